package sso

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
)

// clientName is how the CLI registers: the name the approval page shows.
const clientName = "keyward"

// registration is a registered public client, kept until a day before it
// expires so no sign-in starts with one about to lapse, and while the
// sign-in's start URL, region and scopes are those it was registered for.
type registration struct {
	ClientID     string    `json:"clientId"`
	ClientSecret string    `json:"clientSecret"`
	ExpiresAt    time.Time `json:"expiresAt"`
	// For is the start URL, region and scopes it was registered for
	// (registeredFor), as the AWS CLI keys its registrations.
	For string `json:"for,omitempty"`
	// AuthorizeURL is where the browser signs in, for a client registered
	// for the authorization code grant.
	AuthorizeURL string `json:"authorizeUrl,omitempty"`
}

// Token is a sign-in's tokens as the Keeper holds them.
type Token struct {
	AccessToken  string       `json:"accessToken"`
	ExpiresAt    time.Time    `json:"expiresAt"`
	RefreshToken string       `json:"refreshToken,omitempty"`
	Client       registration `json:"client"`
}

// Prompt shows the person where to approve a sign-in. It returns at once;
// Login polls until the approval, a refusal or the code's expiry.
type Prompt interface {
	Approve(verificationURL, userCode string) error
}

// Login signs in and keeps the new tokens. When p is a BrowserPrompt and
// DeviceCode is false it signs in in the browser (authorization code with
// PKCE), unless the server does not offer that; otherwise it runs the
// device authorization flow.
func (c *Client) Login(ctx context.Context, p Prompt) (Token, error) {
	if bp, ok := p.(BrowserPrompt); ok && !c.DeviceCode {
		t, err := c.loginInBrowser(ctx, bp)
		if !errors.Is(err, errNoBrowserSignIn) {
			return t, err
		}
	}
	return c.loginWithDeviceCode(ctx, p)
}

// loginWithDeviceCode runs the device authorization flow.
func (c *Client) loginWithDeviceCode(ctx context.Context, p Prompt) (Token, error) {
	reg, err := c.registration(ctx, "client", &ssooidc.RegisterClientInput{ClientName: aws.String(clientName),
		ClientType: aws.String("public"), Scopes: c.Source.scopes()}, nil)
	if err != nil {
		return Token{}, c.explain(err)
	}
	start, err := c.oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: &reg.ClientID, ClientSecret: &reg.ClientSecret, StartUrl: &c.Source.StartURL})
	if err != nil {
		return Token{}, c.explain(err)
	}
	if err := p.Approve(aws.ToString(start.VerificationUriComplete), aws.ToString(start.UserCode)); err != nil {
		return Token{}, err
	}
	out, err := c.poll(ctx, reg, start)
	if err != nil {
		return Token{}, err
	}
	return c.keep(ctx, reg, out)
}

// poll asks for the tokens every interval until the person decides.
func (c *Client) poll(ctx context.Context, reg registration, start *ssooidc.StartDeviceAuthorizationOutput) (*ssooidc.CreateTokenOutput, error) {
	interval := time.Duration(max(start.Interval, 1)) * time.Second
	deadline := c.now().Add(time.Duration(start.ExpiresIn) * time.Second)
	for {
		out, err := c.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: &reg.ClientID,
			ClientSecret: &reg.ClientSecret, DeviceCode: start.DeviceCode,
			GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code")})
		var pending *types.AuthorizationPendingException
		var slow *types.SlowDownException
		switch {
		case err == nil:
			return out, nil
		case errors.As(err, &slow):
			interval += 5 * time.Second // RFC 8628 §3.5
		case !errors.As(err, &pending):
			return nil, c.explain(err)
		}
		if c.now().After(deadline) {
			return nil, fmt.Errorf("the sign-in was not approved in time: run `keyward login` again")
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(interval):
		}
	}
}

// registration returns the client registration kept under key,
// registering anew with in when there is none, it expires within a day, or
// it was made for another start URL, region or scopes (a registration
// keeps the scopes it was made with: its tokens never get new ones).
// finish, when not nil, completes a new registration (or refuses it)
// before it is kept. A refused RegisterClient is returned as the API error.
func (c *Client) registration(ctx context.Context, key string, in *ssooidc.RegisterClientInput,
	finish func(context.Context, *registration, *ssooidc.RegisterClientOutput) error) (registration, error) {
	var reg registration
	if b, err := c.Keep.Get(ctx, c.key(key)); err == nil && json.Unmarshal(b, &reg) == nil &&
		reg.ExpiresAt.After(c.now().Add(24*time.Hour)) && reg.For == c.registeredFor() {
		return reg, nil
	}
	out, err := c.oidc.RegisterClient(ctx, in)
	if err != nil {
		return registration{}, err
	}
	reg = registration{ClientID: aws.ToString(out.ClientId), ClientSecret: aws.ToString(out.ClientSecret),
		ExpiresAt: time.Unix(out.ClientSecretExpiresAt, 0), For: c.registeredFor()}
	if finish != nil {
		if err := finish(ctx, &reg, out); err != nil {
			return registration{}, err
		}
	}
	b, _ := json.Marshal(reg)
	return reg, c.Keep.Set(ctx, c.key(key), b)
}

// registeredFor is what a registration is good for: the start URL,
// region and scopes of the sign-in.
func (c *Client) registeredFor() string {
	return strings.Join([]string{c.Source.StartURL, c.Source.Region, strings.Join(c.Source.scopes(), " ")}, "\n")
}

// keep stores the tokens of a CreateToken answer.
func (c *Client) keep(ctx context.Context, reg registration, out *ssooidc.CreateTokenOutput) (Token, error) {
	t := c.token(reg, out)
	b, _ := json.Marshal(t)
	if err := c.Keep.Set(ctx, c.key("token"), b); err != nil {
		return Token{}, err
	}
	return t, c.writeAWSCache(t)
}

func (c *Client) token(reg registration, out *ssooidc.CreateTokenOutput) Token {
	return Token{AccessToken: aws.ToString(out.AccessToken), RefreshToken: aws.ToString(out.RefreshToken),
		ExpiresAt: c.now().Add(time.Duration(out.ExpiresIn) * time.Second).UTC().Truncate(time.Second), Client: reg}
}
