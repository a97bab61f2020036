package identitycenter

import (
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// Root is the organization's single root, the top of its tree of
// organizational units. PolicyTypes lists the policy types enabled in it.
type Root struct {
	ID          string // r-<4 lowercase letters or digits>
	Name        string // always "Root"
	PolicyTypes []string
	CreatedAt   time.Time
}

// RootName is the name AWS gives every root.
const RootName = "Root"

// Enabled reports whether policyType is enabled in the root.
func (r Root) Enabled(policyType string) bool { return slices.Contains(r.PolicyTypes, policyType) }

// RootIDFor returns the id of the root of organization orgID: "r-" and the
// first four characters of the organization id's suffix. Deriving it lets a
// migration give an existing organization the same root a first start
// would.
func RootIDFor(orgID string) string {
	suffix := strings.TrimPrefix(orgID, "o-")
	if len(suffix) > 4 {
		suffix = suffix[:4]
	}
	return "r-" + suffix
}

// OrgUnit is an organizational unit: a named container of accounts and
// other OUs under the root or another OU.
type OrgUnit struct {
	ID        string // ou-<root suffix>-<8 lowercase letters or digits>
	Name      string
	ParentID  string // a root or OU id
	CreatedAt time.Time
}

// Organization limits AWS documents (Organizations quotas).
const (
	// MaxOUDepth is how many levels of OUs may sit under the root.
	MaxOUDepth = 5
	// MaxOrgUnits is how many OUs an organization may hold.
	MaxOrgUnits = 2000
	// MaxOrgTags is how many tags one account, OU, root or policy may carry.
	MaxOrgTags = 50
)

// Kinds of things in the organization's tree, as Organizations' ChildType,
// ParentType and TargetType name them.
const (
	KindRoot    = "ROOT"
	KindOrgUnit = "ORGANIZATIONAL_UNIT"
	KindAccount = "ACCOUNT"
	KindPolicy  = "POLICY"
)

// Identifier shapes from the Organizations model (botocore), anchored.
var (
	rootIDRe    = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	orgUnitIDRe = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	policyIDRe  = regexp.MustCompile(`^p-[0-9a-zA-Z_]{8,128}$`)
)

// ValidRootID reports whether s has the shape of a root id.
func ValidRootID(s string) bool { return rootIDRe.MatchString(s) }

// ValidOrgUnitID reports whether s has the shape of an OU id.
func ValidOrgUnitID(s string) bool { return orgUnitIDRe.MatchString(s) }

// ValidOrgPolicyID reports whether s has the shape of an Organizations policy id.
func ValidOrgPolicyID(s string) bool { return policyIDRe.MatchString(s) }

// OrgKindOf names what an Organizations id refers to by its shape: KindRoot,
// KindOrgUnit, KindAccount or KindPolicy, or "" for no valid id.
func OrgKindOf(id string) string {
	switch {
	case ValidRootID(id):
		return KindRoot
	case ValidOrgUnitID(id):
		return KindOrgUnit
	case ValidAccountID(id):
		return KindAccount
	case ValidOrgPolicyID(id):
		return KindPolicy
	}
	return ""
}

// NewOrgUnitID returns an OU id under the root rootID: "ou-", the root's
// suffix, "-" and eight random lowercase letters and digits.
func NewOrgUnitID(r io.Reader, rootID string) string {
	return "ou-" + strings.TrimPrefix(rootID, "r-") + "-" + randomFrom(r, "abcdefghijklmnopqrstuvwxyz0123456789", 8)
}

// ValidateOrgUnitName checks an OU name: 1 to 128 characters.
func ValidateOrgUnitName(name string) error {
	if n := len([]rune(name)); n < 1 || n > 128 {
		return errs.E(errs.Invalid, "Name must be 1 to 128 characters").WithReason(lengthReason(n, 1))
	}
	return nil
}

// lengthReason is the InvalidInputException reason for a string of n
// characters outside [min, max].
func lengthReason(n, min int) string {
	if n < min {
		return "MIN_LENGTH_EXCEEDED"
	}
	return "MAX_LENGTH_EXCEEDED"
}

// DelegatedAdmin records that a member account administers an AWS service
// for the organization.
type DelegatedAdmin struct {
	AccountID        string
	ServicePrincipal string // e.g. sso.amazonaws.com
	EnabledAt        time.Time
}

// ServiceAccess records that an AWS service has trusted access to the
// organization.
type ServiceAccess struct {
	ServicePrincipal string
	EnabledAt        time.Time
}

// singleAdminServices are the services that take one delegated
// administrator at a time: IAM Identity Center does.
var singleAdminServices = map[string]bool{"sso.amazonaws.com": true}

// MaxDelegatedAdmins is how many accounts may administer a service at once,
// or 0 for no limit keyward knows.
func MaxDelegatedAdmins(servicePrincipal string) int {
	if singleAdminServices[servicePrincipal] {
		return 1
	}
	return 0
}

var servicePrincipalRe = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)

// ValidateServicePrincipal checks a service principal against the model's
// shape, and that it names an AWS service (…amazonaws.com), as
// Organizations refuses principals it does not recognize.
func ValidateServicePrincipal(sp string) error {
	if !servicePrincipalRe.MatchString(sp) {
		return errs.E(errs.Invalid, "ServicePrincipal %.64q must be 1 to 128 letters, digits and +=,.@-_", sp).WithReason("INVALID_PATTERN")
	}
	if !strings.HasSuffix(sp, ".amazonaws.com") || len(sp) == len(".amazonaws.com") {
		return errs.E(errs.Invalid, "ServicePrincipal %.64q is not a recognized AWS service principal, such as sso.amazonaws.com", sp).
			WithReason("UNRECOGNIZED_SERVICE_PRINCIPAL")
	}
	return nil
}
