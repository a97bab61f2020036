package identitycenter

import (
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// Principal types and the one target type.
const (
	PrincipalUser  = "USER"
	PrincipalGroup = "GROUP"
	TargetAccount  = "AWS_ACCOUNT"
)

// Assignment grants a user or group a permission set on an account.
type Assignment struct {
	AccountID       string
	PermissionSetID string
	PrincipalType   string
	PrincipalID     string
	CreatedAt       time.Time
}

// Validate checks the assignment's fields.
func (a Assignment) Validate() error {
	if !ValidAccountID(a.AccountID) {
		return errs.E(errs.Invalid, "TargetId %q must be a 12-digit account id", a.AccountID)
	}
	if a.PrincipalType != PrincipalUser && a.PrincipalType != PrincipalGroup {
		return errs.E(errs.Invalid, "PrincipalType must be USER or GROUP")
	}
	if !ValidPrincipalID(a.PrincipalID) {
		return errs.E(errs.Invalid, "PrincipalId %q is not a valid identity store id", a.PrincipalID)
	}
	return nil
}

// Request kinds recorded for the Describe...Status operations.
const (
	RequestAssignmentCreate = "ASSIGNMENT_CREATE"
	RequestAssignmentDelete = "ASSIGNMENT_DELETE"
	RequestProvision        = "PROVISION"
)

// Request is the status object of an assignment or provisioning request.
type Request struct {
	ID              string // UUID
	Kind            string
	Status          string
	FailureReason   string
	AccountID       string
	PermissionSetID string
	PrincipalType   string
	PrincipalID     string
	CreatedAt       time.Time
}

// Role is the IAM role provisioning creates for a permission set in an account.
type Role struct {
	AccountID       string
	PermissionSetID string
	Name            string // AWSReservedSSO_<PermissionSetName>_<16 hex>
	ID              string // AROA...
	Path            string
	// Version is the permission set version this role was provisioned from.
	Version   int
	CreatedAt time.Time
}

// RolePath is where Identity Center keeps its roles.
const RolePath = "/aws-reserved/sso.amazonaws.com/"

// ReservedRoleName is the name of the role a permission set becomes.
func ReservedRoleName(permissionSetName, suffix string) string {
	return "AWSReservedSSO_" + permissionSetName + "_" + suffix
}

// ARN returns the role's IAM ARN.
func (r Role) ARN() string { return iam.RoleARN(r.AccountID, r.Path, r.Name) }

// Entitlement is one role a user may take: a permission set on an account,
// reached directly or through a group.
type Entitlement struct {
	Account       Account
	PermissionSet PermissionSet
	Role          Role
}
