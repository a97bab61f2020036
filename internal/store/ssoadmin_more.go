package store

import (
	"context"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// RequestFilter narrows ListRequests: the kind of request (ic.Request*)
// and, when set, its status.
type RequestFilter struct {
	Kind   string
	Status string
}

// SSOAdmin is what SSO Admin keeps beyond permission sets and assignments:
// the instance's editable fields, the request history and the assignments
// of one principal.
type SSOAdmin interface {
	// UpdateInstance is compare-and-swap on the instance's name, tags and
	// access control configuration (the rest cannot change).
	// Action: "ssoadmin.instance.update".
	UpdateInstance(ctx context.Context, fn func(ic.Instance) (ic.Instance, error)) (ic.Instance, error)
	// RecordRequest records a request that changed nothing (a provisioning
	// or assignment that failed). Action: the request's kind's
	// ("ssoadmin.permissionset.provision", "ssoadmin.assignment.create")
	// with outcome FAILURE.
	RecordRequest(ctx context.Context, req ic.Request) error
	// ListRequests pages requests ordered by id.
	ListRequests(ctx context.Context, f RequestFilter, p Page) ([]ic.Request, string, error)
	// ListPrincipalAssignments pages a principal's assignments (a user's
	// include those of the groups it is in), on one account when accountID
	// is set, ordered by account id, permission set id, principal type and
	// principal id.
	ListPrincipalAssignments(ctx context.Context, principalType, principalID, accountID string, p Page) ([]ic.Assignment, string, error)
}
