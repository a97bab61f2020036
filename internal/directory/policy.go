package directory

import (
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// SignOnPolicy is the sign-on rule for the members of one group: whether
// they must use a second factor, and how long their sessions live. A
// person with MFA required and no factor enrols one at their next sign-in
// (Okta's "require registration at sign-in").
type SignOnPolicy struct {
	GroupID      string
	RequireMFA   bool
	IdleLifetime time.Duration // a session ends after this long unused
	MaxLifetime  time.Duration // and after this long whatever happens
}

// DefaultSignOnPolicy applies to everyone: password only, sessions ending
// after 2 hours unused (Okta's default) and 12 hours at most.
var DefaultSignOnPolicy = SignOnPolicy{IdleLifetime: 2 * time.Hour, MaxLifetime: 12 * time.Hour}

// ValidateSignOnPolicy checks lifetimes are between 5 minutes and 90 days,
// the idle one no longer than the maximum.
func ValidateSignOnPolicy(p SignOnPolicy) error {
	const least, most = 5 * time.Minute, 90 * 24 * time.Hour
	switch {
	case p.IdleLifetime < least || p.IdleLifetime > most || p.MaxLifetime < least || p.MaxLifetime > most:
		return errs.E(errs.Invalid, "session lifetimes must be between 5m and 2160h")
	case p.IdleLifetime > p.MaxLifetime:
		return errs.E(errs.Invalid, "the idle lifetime cannot be longer than the maximum lifetime")
	}
	return nil
}

// EffectivePolicy is the policy for a person in groups: the most
// restrictive of the default and every policy of their groups. MFA is
// required if any requires it; each lifetime is the shortest.
func EffectivePolicy(policies []SignOnPolicy, groups []string) SignOnPolicy {
	out := DefaultSignOnPolicy
	mine := map[string]bool{}
	for _, g := range groups {
		mine[g] = true
	}
	for _, p := range policies {
		if !mine[p.GroupID] {
			continue
		}
		out.RequireMFA = out.RequireMFA || p.RequireMFA
		out.IdleLifetime = min(out.IdleLifetime, p.IdleLifetime)
		out.MaxLifetime = min(out.MaxLifetime, p.MaxLifetime)
	}
	return out
}
