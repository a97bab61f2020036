package sso

import (
	"errors"
	"fmt"
	"net"

	"github.com/aws/smithy-go"
)

// SignInError is a sign-in that cannot be used: never made, expired,
// ended by an administrator, or refused. Its message says what to run.
type SignInError struct {
	Source Source
	Why    string
}

func (e *SignInError) Error() string {
	return fmt.Sprintf("%s at %s: sign in again with `keyward login --sso-session %s`", e.Why, e.Source.StartURL, e.Source.Name)
}

func (c *Client) signIn(why string) error { return &SignInError{Source: c.Source, Why: why} }

// LostAccessError is a role the portal no longer lets the person take.
type LostAccessError struct {
	Role Role
	Code string
}

func (e *LostAccessError) Error() string {
	return fmt.Sprintf("you no longer have access to role %s in account %s (%s): ask your administrator, "+
		"or remove its profile with `keyward profiles sync --prune`", e.Role.RoleName, e.Role.AccountID, e.Code)
}

// explain restates an AWS error as what happened and what to do.
func (c *Client) explain(err error) error {
	var api smithy.APIError
	var dns *net.DNSError
	switch {
	case errors.As(err, &api):
		switch api.ErrorCode() {
		case "UnauthorizedException", "InvalidGrantException", "ExpiredTokenException":
			return c.signIn("your sign-in has expired or was ended (" + api.ErrorCode() + ")")
		case "AccessDeniedException":
			return c.signIn("the sign-in was denied")
		case "InvalidClientException":
			return c.signIn("this computer's client registration is no longer accepted")
		case "InvalidRequestException":
			if c.Source.StartURL != "" {
				return fmt.Errorf("%s refused the request: %s; check the start URL %s and region %s",
					c.endpoint(), api.ErrorMessage(), c.Source.StartURL, c.Source.Region)
			}
		}
		return fmt.Errorf("%s: %s: %s", c.endpoint(), api.ErrorCode(), api.ErrorMessage())
	case errors.As(err, &dns):
		return fmt.Errorf("cannot reach IAM Identity Center in region %s (%s): check --region and your network", c.Source.Region, dns.Name)
	}
	return err
}

// explainRole is explain for a call about role r.
func (c *Client) explainRole(err error, r Role) error {
	var api smithy.APIError
	if errors.As(err, &api) && (api.ErrorCode() == "ForbiddenException" || api.ErrorCode() == "ResourceNotFoundException") {
		return &LostAccessError{Role: r, Code: api.ErrorCode()}
	}
	return c.explain(err)
}

func (c *Client) endpoint() string { return "IAM Identity Center (" + c.Source.Region + ")" }
