package portal

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

// Attribute-based access control: when the instance has an access control
// attribute configuration, each role session carries the user's mapped
// attributes as session tags, for policies' aws:PrincipalTag conditions.
// An external identity provider's AccessControl attributes, asserted at
// sign-in, take precedence over the identity store's values.

type accessControlKey struct{}

// WithAccessControl returns ctx carrying the attributes for access control
// the person's sign-in asserted (ic.PortalSession.AccessControl), for
// RoleCredentials to tag the session with.
func WithAccessControl(ctx context.Context, attrs map[string]string) context.Context {
	return context.WithValue(ctx, accessControlKey{}, attrs)
}

func accessControlFrom(ctx context.Context) map[string]string {
	attrs, _ := ctx.Value(accessControlKey{}).(map[string]string)
	return attrs
}

// sessionTags are the tags of u's role sessions: none while the instance
// has no access control attribute configuration (or there is no instance).
func (s *Service) sessionTags(ctx context.Context, u ic.User) ([]iam.Tag, error) {
	inst, err := s.store.Instance(ctx)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil || inst.AccessControl == nil {
		return nil, err
	}
	var tags []iam.Tag
	for _, t := range inst.AccessControl.SessionTags(u, accessControlFrom(ctx)) {
		tags = append(tags, iam.Tag{Key: t.Key, Value: t.Value})
	}
	return tags, nil
}

// signInAccessControl is what the sign-in behind a bearer token asserted:
// the portal session a device sign-in was approved in. A token with no
// session, or whose session has ended, asserted nothing.
func (s *Service) signInAccessControl(ctx context.Context, bearer string) (map[string]string, error) {
	tok, err := s.store.TokenByAccess(ctx, keys.HashSecret(bearer))
	if err != nil || tok.SessionHash == "" {
		return nil, err
	}
	ps, err := s.store.PortalSession(ctx, tok.SessionHash)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	return ps.AccessControl, err
}
