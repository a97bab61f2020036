package oidc

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// errSessionEnded is Okta's answer when the sign-in a grant hangs off is
// gone: signed out, expired or ended by an administrator.
var errSessionEnded = invalidGrant("The session associated with the token was terminated.")

// standing returns the person a grant is for if they may still get tokens:
// one who may sign in (not suspended, locked out, deactivated or deleted) and, when the grant hangs
// off an IdP session, with that session live.
func (p *Provider) standing(ctx context.Context, userID, sessionHash string) (directory.User, error) {
	u, err := p.Directory.User(ctx, userID)
	if errs.Is(err, errs.NotFound) || (err == nil && !u.Status.CanSignIn()) {
		return u, invalidGrant("The user is not active. Ask your administrator.")
	}
	if err != nil {
		return u, err
	}
	if sessionHash == "" {
		return u, nil
	}
	ss, err := p.Directory.IdPSession(ctx, sessionHash)
	if errs.Is(err, errs.NotFound) || (err == nil && (ss.UserID != u.ID || !ss.Live(p.now()))) {
		return u, errSessionEnded
	}
	return u, err
}

// entitled checks the person may use the client now: assigned to its app
// and, on a custom server, allowed by its access policy, whose matching
// rule it returns (for token lifetimes; zero on the org server).
func (p *Provider) entitled(ctx context.Context, s server, app directory.App, u directory.User, grantType string, scopes []string) (directory.AuthRule, error) {
	if _, err := p.Apps.AppUser(ctx, app.ID, u.ID); errs.Is(err, errs.NotFound) {
		return directory.AuthRule{}, accessDenied("User is not assigned to the client application.")
	} else if err != nil {
		return directory.AuthRule{}, err
	}
	if s.custom == nil {
		return directory.AuthRule{}, nil
	}
	groups, err := p.Directory.UserGroups(ctx, u.ID)
	if err != nil {
		return directory.AuthRule{}, err
	}
	return decide(s, request{clientID: app.ID, grant: grantType, scopes: scopes, userID: u.ID, groupIDs: groupIDs(groups)})
}

// assured refuses a person whose sign-on policy requires a second factor
// when the sign-in the grant hangs off had none (amr).
func (p *Provider) assured(ctx context.Context, u directory.User, amr []string) error {
	if slices.ContainsFunc(amr, func(m string) bool { return m == "otp" || m == "hwk" || m == "mfa" }) {
		return nil
	}
	policies, err := p.Directory.SignOnPolicies(ctx)
	if err != nil {
		return err
	}
	groups, err := p.Directory.UserGroups(ctx, u.ID)
	if err != nil {
		return err
	}
	if directory.EffectivePolicy(policies, groupIDs(groups)).RequireMFA {
		return invalidGrant("The sign-on policy requires multifactor authentication, and this sign-in had none. Sign in again.")
	}
	return nil
}

func groupIDs(groups []directory.Group) []string {
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	return ids
}
