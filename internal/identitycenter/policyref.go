package identitycenter

import (
	"regexp"

	"github.com/keyward/keyward/internal/errs"
)

// PolicyRef names a customer managed policy by name and path: a permission
// set refers to it, and provisioning attaches the policy of that name and
// path in each account (which must exist there).
type PolicyRef struct {
	Name string `json:"Name"`
	Path string `json:"Path,omitempty"` // "/" when empty
}

// PermissionsBoundary is a permission set's boundary: an AWS managed policy
// ARN or a customer managed policy reference, exactly one of them.
type PermissionsBoundary struct {
	ManagedPolicyARN string     `json:"ManagedPolicyArn,omitempty"`
	CustomerPolicy   *PolicyRef `json:"CustomerManagedPolicyReference,omitempty"`
}

var (
	policyNameRe = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	policyPathRe = regexp.MustCompile(`^(?:/[A-Za-z0-9.,+@=_-]+)*/$`)
)

// NormalPath is the reference's path, "/" when none was given.
func (r PolicyRef) NormalPath() string {
	if r.Path == "" {
		return "/"
	}
	return r.Path
}

// ARN is the policy's ARN in an account.
func (r PolicyRef) ARN(accountID string) string {
	return "arn:aws:iam::" + accountID + ":policy" + r.NormalPath() + r.Name
}

// Validate checks the reference as the service model does.
func (r PolicyRef) Validate() error {
	if !policyNameRe.MatchString(r.Name) {
		return errs.E(errs.Invalid, "CustomerManagedPolicyReference.Name %.140q must be 1 to 128 characters of letters, digits and +=,.@_-", r.Name)
	}
	if r.Path != "" && (len(r.Path) > 512 || !policyPathRe.MatchString(r.Path)) {
		return errs.E(errs.Invalid, "CustomerManagedPolicyReference.Path %.520q must start and end with / and be at most 512 characters", r.Path)
	}
	return nil
}

// Validate checks that the boundary names exactly one well-formed policy.
func (b PermissionsBoundary) Validate() error {
	switch {
	case b.ManagedPolicyARN != "" && b.CustomerPolicy != nil:
		return errs.E(errs.Invalid, "PermissionsBoundary takes either ManagedPolicyArn or CustomerManagedPolicyReference, not both")
	case b.ManagedPolicyARN != "":
		return CheckManagedPolicyARN(b.ManagedPolicyARN)
	case b.CustomerPolicy != nil:
		return b.CustomerPolicy.Validate()
	}
	return errs.E(errs.Invalid, "PermissionsBoundary needs ManagedPolicyArn or CustomerManagedPolicyReference")
}

// ARN is the boundary policy's ARN in an account.
func (b PermissionsBoundary) ARN(accountID string) string {
	if b.CustomerPolicy != nil {
		return b.CustomerPolicy.ARN(accountID)
	}
	return b.ManagedPolicyARN
}
