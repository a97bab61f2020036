package authz

import (
	"context"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/iam"
)

// ConditionKeys is implemented by inputs that carry request condition
// keys: sts:ExternalId, aws:RequestTag/…, aws:TagKeys and the like.
type ConditionKeys interface {
	ConditionKeys() map[string][]string
}

// context is the request's condition keys: time, the caller's address,
// the organization, and what the input supplies. The principal's own keys
// (aws:PrincipalArn, aws:PrincipalTag/…) come from the principal.
func (a *Authority) context(ctx context.Context, p awsauth.Principal, req gateway.Request) iam.Context {
	now := a.clock.Now().UTC()
	c := RequestContext(ctx, now)
	// Sessions say whether MFA was used; long-term keys leave it absent.
	setMFA(&c, p.Session, now)
	if in, ok := req.Input.(ConditionKeys); ok {
		for k, v := range in.ConditionKeys() {
			c.Set(k, v...)
		}
	}
	return c
}
