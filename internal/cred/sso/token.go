package sso

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
)

// refreshWindow is how long before its expiry an access token is
// refreshed: long enough that no call made with it fails on the way.
const refreshWindow = 10 * time.Minute

// AccessToken returns a live access token, refreshing it when it is about
// to expire. However many processes ask at once, one refresh reaches the
// server (the Keeper's Refresh). With no usable sign-in it returns a
// *SignInError saying what to run.
func (c *Client) AccessToken(ctx context.Context) (Token, error) {
	b, err := c.Keep.Refresh(ctx, c.key("token"), c.fresh, c.refresh)
	if err != nil {
		return Token{}, err
	}
	var t Token
	if err := json.Unmarshal(b, &t); err != nil {
		return Token{}, c.signIn("the kept sign-in is unreadable")
	}
	return t, nil
}

func (c *Client) fresh(b []byte) bool {
	var t Token
	return json.Unmarshal(b, &t) == nil && t.AccessToken != "" && t.ExpiresAt.After(c.now().Add(refreshWindow))
}

// refresh trades the kept refresh token for new tokens.
func (c *Client) refresh(ctx context.Context) ([]byte, error) {
	b, err := c.Keep.Get(ctx, c.key("token"))
	if errors.Is(err, ErrNotFound) {
		return nil, c.signIn("you have not signed in")
	}
	if err != nil {
		return nil, err
	}
	var old Token
	if json.Unmarshal(b, &old) != nil || old.RefreshToken == "" || !old.Client.ExpiresAt.After(c.now()) {
		return nil, c.signIn("your sign-in has expired")
	}
	out, err := c.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: &old.Client.ClientID,
		ClientSecret: &old.Client.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: &old.RefreshToken})
	if err != nil {
		return nil, c.explain(err)
	}
	t := c.token(old.Client, out)
	if t.RefreshToken == "" {
		t.RefreshToken = old.RefreshToken // AWS may keep the refresh token
	}
	if err := c.writeAWSCache(t); err != nil {
		return nil, err
	}
	return json.Marshal(t)
}

// Logout ends the sign-in at the portal (sso:Logout, as `aws sso logout`
// does, so its tokens stop working there too; best effort: an expired or
// unreachable sign-in is forgotten all the same), then forgets it here and
// in the AWS CLI's cache.
func (c *Client) Logout(ctx context.Context) error {
	var t Token
	if b, err := c.Keep.Get(ctx, c.key("token")); err == nil && json.Unmarshal(b, &t) == nil && t.AccessToken != "" {
		_, _ = c.portal.Logout(ctx, &sso.LogoutInput{AccessToken: &t.AccessToken})
	}
	if err := c.Keep.Delete(ctx, c.key("token")); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return c.removeAWSCache()
}
