package sso

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
)

// clientName is how the CLI registers: the name the approval page shows.
const clientName = "keyward"

// registration is a registered public client, kept until a day before it
// expires so no sign-in starts with one about to lapse.
type registration struct {
	ClientID     string    `json:"clientId"`
	ClientSecret string    `json:"clientSecret"`
	ExpiresAt    time.Time `json:"expiresAt"`
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

// Login runs the device authorization flow and keeps the new tokens.
func (c *Client) Login(ctx context.Context, p Prompt) (Token, error) {
	reg, err := c.register(ctx)
	if err != nil {
		return Token{}, err
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

// register returns the kept client registration, registering anew when
// there is none or it expires within a day.
func (c *Client) register(ctx context.Context) (registration, error) {
	var reg registration
	if b, err := c.Keep.Get(ctx, c.key("client")); err == nil && json.Unmarshal(b, &reg) == nil &&
		reg.ExpiresAt.After(c.now().Add(24*time.Hour)) {
		return reg, nil
	}
	out, err := c.oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String(clientName),
		ClientType: aws.String("public"), Scopes: c.Source.scopes()})
	if err != nil {
		return registration{}, c.explain(err)
	}
	reg = registration{ClientID: aws.ToString(out.ClientId), ClientSecret: aws.ToString(out.ClientSecret),
		ExpiresAt: time.Unix(out.ClientSecretExpiresAt, 0)}
	b, _ := json.Marshal(reg)
	return reg, c.Keep.Set(ctx, c.key("client"), b)
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
