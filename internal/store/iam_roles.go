package store

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/iam"
)

// What IAM's store errors are about (ResourceType).
const (
	ResourceIAMRole          = "iam role"
	ResourceIAMRolePolicy    = "iam role policy"
	ResourceIAMAttachment    = "iam policy attachment"
	ResourceIAMPolicy        = "iam policy"
	ResourceIAMPolicyVersion = "iam policy version"
)

// MaxAttachedRolePolicies is IAM's default quota of managed policies
// attached to one role.
const MaxAttachedRolePolicies = 10

// RolePolicy is an inline policy of a role.
type RolePolicy struct {
	Name     string
	Document string
}

// AttachedPolicy is a managed policy attached to a role. Document is the
// default version's document of a customer managed policy, and empty for
// an AWS managed one (the catalog, iam.LookupManaged, holds those).
type AttachedPolicy struct {
	ARN      string
	Document string
}

// RoleAuthorization is what evaluating a role's sessions needs: the role
// (with its trust policy and permissions boundary), its inline policies
// and its attached managed policies.
type RoleAuthorization struct {
	Role     iam.Role
	Inline   []RolePolicy     // ordered by name
	Attached []AttachedPolicy // ordered by ARN
}

// IAMRoles are the IAM roles of each account, their inline policies and
// their attached managed policies. Role names are unique per account,
// case-insensitively, and every lookup by name ignores case as IAM does.
type IAMRoles interface {
	// CreateIAMRole stores r. A taken name is errs.Conflict (FieldName).
	// Action: "iam.role.create".
	CreateIAMRole(ctx context.Context, r iam.Role) error
	// Role returns one role.
	IAMRole(ctx context.Context, accountID, name string) (iam.Role, error)
	// ListIAMRoles pages an account's roles whose path starts with pathPrefix,
	// ordered by name.
	ListIAMRoles(ctx context.Context, accountID, pathPrefix string, p Page) ([]iam.Role, string, error)
	// UpdateIAMRole is compare-and-swap on a role's description, session
	// duration, trust policy, boundary and tags (its ids, name, path and
	// creation time are kept). Action: "iam.role.update".
	UpdateIAMRole(ctx context.Context, accountID, name string, fn func(iam.Role) (iam.Role, error)) (iam.Role, error)
	// TouchIAMRole records a session's use of the role at at, in region (the
	// time never moves back). It writes no event.
	TouchIAMRole(ctx context.Context, accountID, name string, at time.Time, region string) error
	// DeleteIAMRole deletes a role that has no inline or attached policies
	// left; otherwise it is errs.Conflict (FieldInUse).
	// Action: "iam.role.delete".
	DeleteIAMRole(ctx context.Context, accountID, name string) error

	// PutRolePolicy adds or replaces an inline policy. Documents of all of a
	// role's inline policies together may hold iam.MaxRoleInlinePolicySize
	// characters (iam.PolicySize); more is errs.Invalid with code
	// LimitExceeded. Action: "iam.role.policy.put".
	PutRolePolicy(ctx context.Context, accountID, roleName string, p RolePolicy) error
	RolePolicy(ctx context.Context, accountID, roleName, policyName string) (RolePolicy, error)
	// ListRolePolicies pages a role's inline policy names in order.
	ListRolePolicies(ctx context.Context, accountID, roleName string, p Page) ([]string, string, error)
	// DeleteRolePolicy: a missing policy is errs.NotFound
	// (ResourceIAMRolePolicy). Action: "iam.role.policy.delete".
	DeleteRolePolicy(ctx context.Context, accountID, roleName, policyName string) error

	// AttachRolePolicy attaches a managed policy (idempotently). A customer
	// managed policy of the account must exist (errs.NotFound,
	// ResourceIAMPolicy); an AWS managed one is the caller's to check. More
	// than MaxAttachedRolePolicies is errs.Conflict (FieldLimit).
	// Action: "iam.role.policy.attach".
	AttachRolePolicy(ctx context.Context, accountID, roleName, policyARN string) error
	// DetachRolePolicy: a policy not attached is errs.NotFound
	// (ResourceIAMAttachment). Action: "iam.role.policy.detach".
	DetachRolePolicy(ctx context.Context, accountID, roleName, policyARN string) error
	// ListAttachedRolePolicies pages the ARNs attached to a role, in order.
	ListAttachedRolePolicies(ctx context.Context, accountID, roleName string, p Page) ([]string, string, error)

	// RoleAuthorization returns a role with all its policies.
	RoleAuthorization(ctx context.Context, accountID, roleName string) (RoleAuthorization, error)
}

// Which roles use a managed policy (PolicyFilter.Usage, RolesForPolicy).
const (
	UsagePermissions = "PermissionsPolicy"   // attached
	UsageBoundary    = "PermissionsBoundary" // set as a permissions boundary
)

// PolicyFilter narrows ListIAMPolicies; empty fields match everything.
type PolicyFilter struct {
	PathPrefix string
	// OnlyAttached keeps policies attached to (or, with Usage, used as
	// Usage by) at least one role, user or group.
	OnlyAttached bool
	Usage        string // "", UsagePermissions or UsageBoundary
}

// PolicyUse counts the roles, users and groups using a managed policy.
type PolicyUse struct {
	Attachments int // roles, users and groups it is attached to
	Boundaries  int // roles and users it bounds
}

// IAMPolicies are each account's customer managed policies and their
// versions. Policy names are unique per account, case-insensitively, and
// every lookup by name ignores case.
type IAMPolicies interface {
	// CreateIAMPolicy stores p with its first version v (the default). A taken
	// name is errs.Conflict (FieldName). Action: "iam.policy.create".
	CreateIAMPolicy(ctx context.Context, p iam.Policy, v iam.PolicyVersion) error
	IAMPolicy(ctx context.Context, accountID, name string) (iam.Policy, error)
	// ListIAMPolicies pages an account's customer managed policies, ordered by
	// name.
	ListIAMPolicies(ctx context.Context, accountID string, f PolicyFilter, p Page) ([]iam.Policy, string, error)
	// UpdateIAMPolicy is compare-and-swap on a policy's tags and description.
	// Action: "iam.policy.update".
	UpdateIAMPolicy(ctx context.Context, accountID, name string, fn func(iam.Policy) (iam.Policy, error)) (iam.Policy, error)
	// DeleteIAMPolicy deletes a policy no role, user or group uses and that
	// has no version but its default; otherwise errs.Conflict (FieldInUse).
	// Action: "iam.policy.delete".
	DeleteIAMPolicy(ctx context.Context, accountID, name string) error

	// CreatePolicyVersion adds the next version (v1, v2, ...: ids are never
	// reused) with doc, created at now, and makes it the default if
	// setDefault. A policy already holding iam.MaxPolicyVersions versions
	// is errs.Conflict (FieldLimit). Action: "iam.policy.version.create".
	CreatePolicyVersion(ctx context.Context, accountID, name, doc string, setDefault bool, now time.Time) (iam.PolicyVersion, error)
	PolicyVersion(ctx context.Context, accountID, name, versionID string) (iam.PolicyVersion, error)
	// ListPolicyVersions lists a policy's versions, newest first.
	ListPolicyVersions(ctx context.Context, accountID, name string) ([]iam.PolicyVersion, error)
	// DeletePolicyVersion deletes a version that is not the default (the
	// default is errs.Conflict, FieldInUse). Action: "iam.policy.version.delete".
	DeletePolicyVersion(ctx context.Context, accountID, name, versionID string) error
	// SetDefaultPolicyVersion makes versionID the default.
	// Action: "iam.policy.version.default".
	SetDefaultPolicyVersion(ctx context.Context, accountID, name, versionID string) error

	// PolicyUses counts, per managed policy ARN (customer and AWS managed),
	// the account's roles, users and groups using it; unused policies are
	// absent.
	PolicyUses(ctx context.Context, accountID string) (map[string]PolicyUse, error)
	// RolesForPolicy lists the roles using a managed policy as usage ("" for
	// either), ordered by name.
	RolesForPolicy(ctx context.Context, accountID, policyARN, usage string) ([]iam.Role, error)
}
