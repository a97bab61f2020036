package oidc

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// webSSO is what a web-SSO token carries, sealed: the person, the app it
// signs them in to, the session it hangs off and the client that asked.
// It is used once, before it expires.
type webSSO struct {
	ID          string    `json:"id"`
	AppID       string    `json:"app"`
	UserID      string    `json:"uid"`
	SessionHash string    `json:"sid"`
	ClientID    string    `json:"cid"`
	Expires     time.Time `json:"exp"`
}

func (p *Provider) sealWebSSO(ctx context.Context, t webSSO) (string, error) {
	t.ID, t.Expires = clock.Token(p.Random, 16), p.now().Add(webSSOLifetime)
	if err := p.Store.RememberKey(ctx, "oidc-websso:"+t.ID, t.Expires); err != nil {
		return "", err
	}
	plain, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(p.webSSO.Seal(plain, nil)), nil
}

// errWebSSO is every web-SSO token that cannot be redeemed.
var errWebSSO = errs.E(errs.Unauthenticated, "The sign-in token is invalid, expired or already used. Sign in again.")

// RedeemWebSSO spends a web-SSO token and returns what it grants: the app
// to sign in to, the person and the IdP session, if all three and the
// OIDC client that asked for the token still stand.
func (p *Provider) RedeemWebSSO(ctx context.Context, token string) (app directory.App, u directory.User, ss directory.Session, err error) {
	var t webSSO
	if len(token) > 4096 {
		return app, u, ss, errWebSSO
	}
	sealed, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return app, u, ss, errWebSSO
	}
	plain, err := p.webSSO.Open(sealed, nil)
	if err != nil || json.Unmarshal(plain, &t) != nil || !p.now().Before(t.Expires) {
		return app, u, ss, errWebSSO
	}
	if err := p.Store.ConsumeKey(ctx, "oidc-websso:"+t.ID); errs.Is(err, errs.NotFound) {
		return app, u, ss, errWebSSO
	} else if err != nil {
		return app, u, ss, err
	}
	u, err = p.standing(ctx, t.UserID, t.SessionHash)
	if err != nil {
		return app, u, ss, refused(err)
	}
	ss, err = p.Directory.IdPSession(ctx, t.SessionHash)
	if err != nil {
		return app, u, ss, errWebSSO
	}
	client, err := p.client(ctx, t.ClientID)
	if err == errClientAuth {
		return app, u, ss, errs.E(errs.Denied, "The app that asked for this sign-in is no longer active. Ask your administrator.")
	} else if err != nil {
		return app, u, ss, err
	}
	app, err = p.webSSOApp(ctx, client, u, t.AppID)
	if err != nil {
		return app, u, ss, refused(err)
	}
	return app, u, ss, nil
}

// refused is a grant's refusal as the SAML pages show it: a protocol
// refusal as access denied, anything else as it is.
func refused(err error) error {
	if e, ok := err.(*oauthError); ok {
		return errs.E(errs.Denied, "%s", e.desc)
	}
	return err
}
