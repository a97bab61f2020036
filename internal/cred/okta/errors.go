package okta

import (
	"fmt"
	"strings"
)

// SignInError is an Okta sign-in that cannot be used: never made,
// expired, ended (signed out, deactivated, session terminated) or
// refused. Its message says what to run.
type SignInError struct {
	Source Source
	Why    string
}

func (e *SignInError) Error() string {
	s := e.Source
	return fmt.Sprintf("your Okta sign-in at %s %s; run: keyward login --okta-org %s --okta-client-id %s --okta-session %s",
		s.OrgURL, e.Why, s.OrgURL, s.ClientID, s.Name)
}

func (c *Client) signIn(why string) error { return &SignInError{Source: c.Source, Why: why} }

// ended is the SignInError of Okta refusing the sign-in's tokens.
func (c *Client) ended(e *oauthError) error {
	return c.signIn("ended (" + first(e.Description, e.Code) + ")")
}

// LostAccessError is an AWS Account Federation app, or a role through
// one, that Okta no longer gives the person.
type LostAccessError struct {
	App  App
	Role string // the role's ARN; "" when the whole app is gone
	Why  string
}

func (e *LostAccessError) Error() string {
	what := fmt.Sprintf("the AWS Account Federation app %s", e.App.name())
	if e.Role != "" {
		what = fmt.Sprintf("the role %s through %s", e.Role, what)
	}
	return fmt.Sprintf("you no longer have %s (%s): ask your Okta administrator, or remove the profile", what, e.Why)
}

// App is an AWS Account Federation app the person is assigned to.
type App struct {
	ID    string
	Label string
}

func (a App) name() string {
	if a.Label == "" || a.Label == a.ID {
		return a.ID
	}
	return fmt.Sprintf("%q (%s)", a.Label, a.ID)
}

// exchangeError restates a refused token exchange for app.
func (c *Client) exchangeError(err error, app App) error {
	e, ok := asOAuth(err)
	switch {
	case !ok:
		return err
	case e.Code == "invalid_grant" && strings.Contains(strings.ToLower(e.Description), "not assigned"):
		return &LostAccessError{App: app, Why: e.Description}
	case e.Code == "invalid_grant":
		return c.ended(e)
	case e.Code == "invalid_request" && strings.Contains(strings.ToLower(e.Description), "audience"):
		return fmt.Errorf("the AWS Account Federation app %s does not let the Okta app %s sign in to it (%s): "+
			"the administrator sets its Allowed Web SSO Client to %s", app.name(), c.Source.ClientID, e.Description, c.Source.ClientID)
	case e.Code == "unauthorized_client":
		return fmt.Errorf("the Okta app %s may not exchange tokens (%s): the administrator adds the Token Exchange grant type",
			c.Source.ClientID, e.Description)
	}
	return fmt.Errorf("getting a web-SSO token for %s: %w", app.name(), err)
}
