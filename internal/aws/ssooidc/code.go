package ssooidc

import (
	"context"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

// redeemCode is CreateToken's authorization_code grant. The code is spent
// by any attempt that names it, right or wrong (RFC 6749 §4.1.2): a code
// that leaked with a wrong verifier or to another client is of no further
// use, and a second redemption ends the tokens of the first.
func (s *Service) redeemCode(ctx context.Context, c ic.Client, in *createTokenInput) (*createTokenOutput, error) {
	if err := protocol.Required("code", in.Code, "redirectUri", in.RedirectURI); err != nil {
		return nil, err
	}
	if len(in.Code) > 256 {
		return nil, invalidCodeGrant()
	}
	var out *createTokenOutput
	_, err := s.store.RedeemAuthorizationCode(ctx, keys.HashSecret(in.Code), func(code ic.AuthorizationCode) (ic.Token, error) {
		if err := s.redeemable(ctx, code, c.ID, in); err != nil {
			return ic.Token{}, err
		}
		scopes, err := narrow(code.Scopes, in.Scope)
		if err != nil {
			return ic.Token{}, err
		}
		t, o := s.newToken(c, signIn{userID: code.UserID, scopes: scopes, family: code.FamilyID,
			sessionHash: code.SessionHash, ends: s.clock.Now().Add(s.cfg.SessionLifetime)})
		out = o
		return t, nil
	})
	if errs.Is(err, errs.NotFound) {
		return nil, invalidCodeGrant()
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func invalidCodeGrant() error {
	return oidcError(errs.Invalid, "InvalidGrantException", "Invalid authorization code provided")
}

// redeemable checks the code was issued to clientID for in's redirect URI
// and code verifier, and that its person may still sign in in the portal
// session that allowed it.
func (s *Service) redeemable(ctx context.Context, code ic.AuthorizationCode, clientID string, in *createTokenInput) error {
	grant := func(msg string) error { return oidcError(errs.Invalid, "InvalidGrantException", msg) }
	switch {
	case code.ClientID != clientID:
		return grant("The authorization code was issued to another client")
	case in.RedirectURI != code.RedirectURI:
		return grant("redirectUri does not match the one the authorization code was issued for")
	case !verifies(in.CodeVerifier, code.CodeChallenge):
		return grant("The code verifier is missing or does not match the code challenge")
	}
	u, err := s.store.User(ctx, code.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && u.Status != ic.UserEnabled) {
		return grant("The user can no longer sign in")
	}
	if err != nil {
		return err
	}
	return s.approvalLive(ctx, code.SessionHash)
}
