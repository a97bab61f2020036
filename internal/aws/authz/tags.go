package authz

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// principalTags are aws:PrincipalTag's values: an IAM role's or user's own
// tags (for a federated user, the tags of the user that called
// GetFederationToken), with the session's tags winning, as in AWS. The
// role or user was just read for its policies, so this is the cached read.
func (a *Authority) principalTags(ctx context.Context, p awsauth.Principal) []iam.Tag {
	var stored []iam.Tag
	switch {
	case p.Type == awsauth.AssumedRole && p.Session.RolePath != ic.RolePath:
		ra, err := a.roleAuthorization(ctx, p.AccountID, p.Session.RoleName)
		if err == nil {
			stored = ra.Role.Tags
		}
	case p.Type == awsauth.User:
		ua, err := a.userAuthorization(ctx, p.UserID)
		if err == nil {
			stored = ua.User.Tags
		}
	case p.Type == awsauth.FederatedUser && p.Session.IAMUserID != "":
		ua, err := a.userAuthorization(ctx, p.Session.IAMUserID)
		if err == nil {
			stored = ua.User.Tags
		}
	}
	return mergeTags(stored, p.Session.Tags)
}

// mergeTags is base with over's keys replacing base's (case-insensitively).
func mergeTags(base, over []iam.Tag) []iam.Tag {
	if len(base) == 0 {
		return over
	}
	out := append([]iam.Tag{}, over...)
	for _, t := range base {
		replaced := false
		for _, o := range over {
			replaced = replaced || strings.EqualFold(o.Key, t.Key)
		}
		if !replaced {
			out = append(out, t)
		}
	}
	return out
}
