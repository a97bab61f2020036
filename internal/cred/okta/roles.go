package okta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/keyward/keyward/internal/cred/awsenv"
	"github.com/keyward/keyward/internal/cred/output"
)

// Apps lists the AWS Account Federation apps the person is assigned to,
// from their app links; with Source.AppID set, just that one.
func (c *Client) Apps(ctx context.Context) ([]App, error) {
	if c.Source.AppID != "" {
		if err := c.Source.Check(); err != nil {
			return nil, err
		}
		return []App{{ID: c.Source.AppID, Label: c.Source.AppID}}, nil
	}
	t, err := c.live(ctx)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Source.OrgURL+"/api/v1/users/me/appLinks", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", t.TokenType+" "+t.AccessToken)
	req.Header.Set("Accept", "application/json")
	a, err := c.send(req)
	if err != nil {
		return nil, err
	}
	var links []struct {
		AppName       string `json:"appName"`
		AppInstanceID string `json:"appInstanceId"`
		Label         string `json:"label"`
	}
	if err := decodeJSON(a, "app links", &links); err != nil {
		if e, ok := asOAuth(err); ok && e.Status == http.StatusUnauthorized {
			return nil, c.ended(e)
		}
		if e, ok := asOAuth(err); ok && e.Status == http.StatusForbidden {
			return nil, fmt.Errorf("Okta at %s will not list your apps (%s): the administrator grants the app %s the "+
				"okta.users.read.self scope, or sets okta_app_id", c.Source.OrgURL, first(e.Description, e.Code), c.Source.ClientID)
		}
		return nil, err
	}
	var apps []App
	for _, l := range links {
		if l.AppName == "amazon_aws" && idPattern.MatchString(l.AppInstanceID) {
			apps = append(apps, App{ID: l.AppInstanceID, Label: printable(l.Label, 100)})
		}
	}
	if len(apps) == 0 {
		return nil, fmt.Errorf("Okta at %s assigns you no AWS Account Federation app: ask your Okta administrator", c.Source.OrgURL)
	}
	return apps, nil
}

// Roles lists every role the person may take through each app, as a
// fresh SAML assertion of the app says now.
func (c *Client) Roles(ctx context.Context) ([]Role, error) {
	apps, err := c.Apps(ctx)
	if err != nil {
		return nil, err
	}
	var roles []Role
	for _, app := range apps {
		_, rs, err := c.assertion(ctx, app)
		if err != nil {
			return nil, err
		}
		roles = append(roles, rs...)
	}
	return roles, nil
}

// assertion signs in to app the way a browser would be sent there: the
// tokens for a web-SSO token (token exchange, RFC 8693), that token for
// the app's SAML form. It returns the SAMLResponse and its roles. Each
// web-SSO token and assertion is used once, so every call makes new ones.
func (c *Client) assertion(ctx context.Context, app App) (string, []Role, error) {
	t, err := c.live(ctx)
	if err != nil {
		return "", nil, err
	}
	web, err := c.token(ctx, url.Values{"client_id": {c.Source.ClientID},
		"actor_token": {t.AccessToken}, "actor_token_type": {"urn:ietf:params:oauth:token-type:access_token"},
		"subject_token": {t.IDToken}, "subject_token_type": {"urn:ietf:params:oauth:token-type:id_token"},
		"grant_type":           {"urn:ietf:params:oauth:grant-type:token-exchange"},
		"requested_token_type": {"urn:okta:oauth:token-type:web_sso_token"}, "audience": {"urn:okta:apps:" + app.ID}})
	if err != nil {
		return "", nil, c.exchangeError(err, app)
	}
	if web.AccessToken == "" {
		return "", nil, fmt.Errorf("Okta at %s answered the token exchange for %s without a web-SSO token", c.Source.OrgURL, app.name())
	}
	a, err := c.postForm(ctx, "/login/token/sso", url.Values{"token": {web.AccessToken}}, "text/html")
	if err != nil {
		return "", nil, err
	}
	if a.status != http.StatusOK {
		return "", nil, fmt.Errorf("Okta at %s would not sign you in to %s (%d %s)", c.Source.OrgURL, app.name(),
			a.status, http.StatusText(a.status))
	}
	value, err := formResponse(a.body)
	if err == nil {
		var roles []Role
		if roles, err = assertionRoles(value); err == nil {
			for i := range roles {
				roles[i].AppID, roles[i].AppLabel = app.ID, app.Label
			}
			return value, roles, nil
		}
	}
	return "", nil, fmt.Errorf("signing in to %s: %w", app.name(), err)
}

// RoleCredentials takes r with a fresh assertion of its app
// (AssumeRoleWithSAML, unsigned, at the STS endpoint the environment
// names). duration 0 is STS's default (an hour, capped by the assertion's
// SessionDuration). A role the assertion no longer carries is a
// *LostAccessError.
func (c *Client) RoleCredentials(ctx context.Context, r Role, region string, duration time.Duration) (output.Credentials, error) {
	app := App{ID: r.AppID, Label: r.AppLabel}
	if !idPattern.MatchString(r.AppID) || r.RoleARN == "" {
		return output.Credentials{}, fmt.Errorf("role %q names no AWS Account Federation app and role ARN", r.RoleARN)
	}
	if duration < 0 || duration > 12*time.Hour {
		return output.Credentials{}, fmt.Errorf("a session of %s: AWS allows 15 minutes to 12 hours", duration)
	}
	value, roles, err := c.assertion(ctx, app)
	if err != nil {
		return output.Credentials{}, err
	}
	principal := ""
	for _, got := range roles {
		if got.RoleARN == r.RoleARN && (r.PrincipalARN == "" || got.PrincipalARN == r.PrincipalARN) {
			principal = got.PrincipalARN
			break
		}
	}
	if principal == "" {
		return output.Credentials{}, &LostAccessError{App: app, Role: r.RoleARN, Why: "the app's assertion no longer carries it"}
	}
	r.PrincipalARN = principal
	if region == "" {
		region = "us-east-1"
	}
	in := &sts.AssumeRoleWithSAMLInput{PrincipalArn: &principal, RoleArn: &r.RoleARN, SAMLAssertion: &value}
	if duration > 0 {
		in.DurationSeconds = aws.Int32(int32(duration / time.Second))
	}
	out, err := sts.NewFromConfig(awsenv.Config("STS", region, nil)).AssumeRoleWithSAML(ctx, in)
	if err != nil {
		return output.Credentials{}, stsError(err, r)
	}
	cr := out.Credentials
	return output.Credentials{AccessKeyID: aws.ToString(cr.AccessKeyId), SecretAccessKey: aws.ToString(cr.SecretAccessKey),
		SessionToken: aws.ToString(cr.SessionToken), Expiration: aws.ToTime(cr.Expiration).UTC(), Region: region}, nil
}

// stsError restates a refused AssumeRoleWithSAML for r.
func stsError(err error, r Role) error {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return fmt.Errorf("AssumeRoleWithSAML for %s: %w", r.RoleARN, err)
	}
	switch api.ErrorCode() {
	case "AccessDenied", "AccessDeniedException":
		return fmt.Errorf("AWS refused the role %s (%s): its trust policy does not trust the SAML provider %s for you; "+
			"ask your administrator", r.RoleARN, api.ErrorMessage(), r.PrincipalARN)
	case "InvalidIdentityToken":
		return fmt.Errorf("AWS does not accept the app's assertion for %s (%s): the SAML provider %s must hold "+
			"the app's current metadata", r.RoleARN, api.ErrorMessage(), r.PrincipalARN)
	case "ValidationError":
		return fmt.Errorf("AWS refused the request for %s: %s", r.RoleARN, api.ErrorMessage())
	}
	return fmt.Errorf("AssumeRoleWithSAML for %s: %s: %s", r.RoleARN, api.ErrorCode(), api.ErrorMessage())
}
