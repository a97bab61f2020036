package protocol

import (
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// awsResources are the store's resources as the AWS JSON services name
// them in ResourceType.
var awsResources = map[string]string{
	store.ResourceAccount:       "ACCOUNT",
	store.ResourceAccountStatus: "CREATE_ACCOUNT_STATUS",
	store.ResourceAccessKey:     "ACCESS_KEY",
	store.ResourceUser:          "USER",
	store.ResourceGroup:         "GROUP",
	store.ResourceMembership:    "GROUP_MEMBERSHIP",
	store.ResourcePermissionSet: "PERMISSION_SET",
	store.ResourceAssignment:    "ACCOUNT_ASSIGNMENT",
	store.ResourceRequest:       "REQUEST",
	store.ResourceClient:        "OIDC_CLIENT",
	store.ResourceInstance:      "INSTANCE",
}

// WordStoreError words an error the store returned (which names what is
// missing or taken in its own neutral terms) as the AWS JSON services do:
// a missing resource is "USER not found." with ResourceType USER (an
// account names its id), a permission set still in use says what to do.
// Services that phrase a conflict their own way word it before this; any
// other conflict says the resource exists. A store name with no AWS
// counterpart is dropped rather than shown. Other errors pass unchanged.
func WordStoreError(err error) error {
	e, ok := errs.As(err)
	if !ok || e.ResourceType == "" {
		return err
	}
	typ, known := awsResources[e.ResourceType]
	switch {
	case !known && isStoreResource(e.ResourceType):
		c := *e
		c.ResourceType, c.ResourceID, c.Field = "", "", ""
		return &c
	case !known:
		return err
	case e.Kind == errs.NotFound && typ == "ACCOUNT" && e.ResourceID != "":
		return errs.E(errs.NotFound, "ACCOUNT %s not found.", e.ResourceID).WithResource(typ, e.ResourceID)
	case e.Kind == errs.NotFound:
		return errs.E(errs.NotFound, "%s not found.", typ).WithResource(typ, e.ResourceID)
	case e.Kind == errs.Conflict && e.Field == store.FieldInUse:
		return errs.E(errs.Conflict, "The permission set is assigned to accounts; delete its account assignments first.").
			WithResource(typ, e.ResourceID)
	case e.Kind == errs.Conflict:
		return errs.E(errs.Conflict, "%s already exists.", typ).WithResource(typ, e.ResourceID)
	}
	return err
}

// isStoreResource reports a store.Resource* name (lowercase words), as
// opposed to a ResourceType a service set in AWS's own terms.
func isStoreResource(name string) bool {
	for _, r := range name {
		if (r < 'a' || r > 'z') && r != ' ' {
			return false
		}
	}
	return true
}
