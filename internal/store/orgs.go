package store

import (
	"context"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// What Organizations' store errors are about, beside ResourceAccount.
const (
	ResourceRoot         = "root"
	ResourceOrgUnit      = "organizational unit"
	ResourceParent       = "parent"          // a root or OU named as a parent
	ResourcePolicyTarget = "policy target"   // a root, OU, account (or policy, for tags) named as a target
	ResourceOrgPolicy    = "policy"          // an Organizations policy
	ResourceAttachment   = "attachment"      // a policy attached to a target
	ResourceDelegation   = "delegated admin" // an account delegated a service
)

// Which rule of the organization a conflict is about: Field of errs.Conflict.
const (
	FieldParent      = "parent"       // the account already sits under that parent
	FieldPolicyType  = "policy type"  // the policy type is (Enable) or is not (Disable, Attach) enabled
	FieldAttached    = "attached"     // the policy is already attached to the target
	FieldMaxAttached = "max attached" // the target has MaxSCPsPerTarget policies of the type
	FieldLastPolicy  = "last policy"  // detaching would leave the target no policy of the type
	FieldTagLimit    = "tag limit"    // the resource would carry more than MaxOrgTags tags
)

// Organizations is the organization's structure beyond its accounts:
// OUs, policies, tags and delegations.
type Organizations interface {
	OrgUnits
	OrgPolicies
	OrgTags
	Delegations
}

// SCPLevel is the service control policies in force at one level of an
// account's path: the root, each OU down to the account, then the account.
type SCPLevel struct {
	TargetID string
	Policies []ic.OrgPolicy
}

// OrgUnits is the organization's tree: its root, its organizational units
// and which parent each account sits under. Every account starts under the
// root; the root exists from bootstrap on (the migration that introduced
// it gave existing organizations theirs, with every account under it).
type OrgUnits interface {
	// Root returns the organization's root, or errs.NotFound before bootstrap.
	Root(ctx context.Context) (ic.Root, error)
	// CreateOrgUnit stores ou under its parent (errs.NotFound ResourceParent
	// when missing) with tags. A name taken under the same parent is
	// errs.Conflict FieldName; ic.MaxOrgUnits OUs already stored is
	// errs.Conflict FieldLimit. With SCPs enabled it attaches FullAWSAccess
	// to the new OU, as Organizations does. Action: "organizations.ou.create".
	CreateOrgUnit(ctx context.Context, ou ic.OrgUnit, tags []ic.Tag) error
	OrgUnit(ctx context.Context, id string) (ic.OrgUnit, error)
	// UpdateOrgUnit is compare-and-swap; only the name may change (a taken
	// one is errs.Conflict FieldName). Action: "organizations.ou.update".
	UpdateOrgUnit(ctx context.Context, id string, fn func(ic.OrgUnit) (ic.OrgUnit, error)) (ic.OrgUnit, error)
	// DeleteOrgUnit removes an empty OU with its tags and attachments; one
	// holding accounts or OUs is errs.Conflict FieldInUse.
	// Action: "organizations.ou.delete".
	DeleteOrgUnit(ctx context.Context, id string) error
	// ListOrgUnits pages the OUs directly under parentID, in id order; a
	// missing parent is errs.NotFound ResourceParent.
	ListOrgUnits(ctx context.Context, parentID string, p Page) ([]ic.OrgUnit, string, error)
	// ListAccountsForParent pages the accounts directly under parentID, in
	// id order; a missing parent is errs.NotFound ResourceParent.
	ListAccountsForParent(ctx context.Context, parentID string, p Page) ([]ic.Account, string, error)
	// ParentOf returns the id of the root or OU holding the account or OU
	// childID; a missing child is errs.NotFound (ResourceAccount or
	// ResourceOrgUnit).
	ParentOf(ctx context.Context, childID string) (string, error)
	// PathOf returns the ids from the root down to the account or OU id,
	// both included.
	PathOf(ctx context.Context, id string) ([]string, error)
	// MoveAccount moves the account from sourceParentID to destParentID.
	// A missing account is errs.NotFound ResourceAccount; a missing
	// destination errs.NotFound ResourceParent; an account not under
	// sourceParentID errs.NotFound ResourceParent with ResourceID
	// sourceParentID; an account already under destParentID errs.Conflict
	// FieldParent. Action: "organizations.account.move".
	MoveAccount(ctx context.Context, accountID, sourceParentID, destParentID string) error
}

// OrgPolicies are Organizations policies, the policy types enabled in the
// root and which targets (the root, OUs, accounts) policies are attached to.
type OrgPolicies interface {
	// SetPolicyType enables or disables policyType in the root. Enabling
	// one already enabled, or disabling one that is not, is errs.Conflict
	// FieldPolicyType. Enabling SCPs attaches FullAWSAccess to the root and
	// every OU and account; disabling a type detaches every policy of it.
	// Action: "organizations.policytype.enable" or ".disable".
	SetPolicyType(ctx context.Context, rootID, policyType string, enabled bool) (ic.Root, error)
	// CreateOrgPolicy stores p with tags. A name taken within its type is
	// errs.Conflict FieldName; ic.MaxPoliciesPerType already stored is
	// errs.Conflict FieldLimit. Action: "organizations.policy.create".
	CreateOrgPolicy(ctx context.Context, p ic.OrgPolicy, tags []ic.Tag) error
	// OrgPolicy returns a policy, FullAWSAccess included.
	OrgPolicy(ctx context.Context, id string) (ic.OrgPolicy, error)
	// UpdateOrgPolicy is compare-and-swap; the id, type and AWSManaged
	// cannot change. Action: "organizations.policy.update".
	UpdateOrgPolicy(ctx context.Context, id string, fn func(ic.OrgPolicy) (ic.OrgPolicy, error)) (ic.OrgPolicy, error)
	// DeleteOrgPolicy removes a policy attached nowhere (attached is
	// errs.Conflict FieldInUse) with its tags. Action: "organizations.policy.delete".
	DeleteOrgPolicy(ctx context.Context, id string) error
	// ListOrgPolicies pages the policies of a type in id order.
	ListOrgPolicies(ctx context.Context, policyType string, p Page) ([]ic.OrgPolicy, string, error)
	// AttachPolicy attaches a policy to a root, OU or account. A missing
	// policy is errs.NotFound ResourceOrgPolicy, a missing target
	// ResourcePolicyTarget; the policy's type not enabled is errs.Conflict
	// FieldPolicyType; already attached FieldAttached; a target with
	// ic.MaxSCPsPerTarget attached FieldMaxAttached.
	// Action: "organizations.policy.attach".
	AttachPolicy(ctx context.Context, policyID, targetID string) error
	// DetachPolicy removes an attachment: missing policy or target as in
	// AttachPolicy, not attached errs.NotFound ResourceAttachment, the
	// target's last SCP errs.Conflict FieldLastPolicy.
	// Action: "organizations.policy.detach".
	DetachPolicy(ctx context.Context, policyID, targetID string) error
	// ListPoliciesForTarget pages the policies of a type attached to a
	// target, in id order; a missing target is errs.NotFound ResourcePolicyTarget.
	ListPoliciesForTarget(ctx context.Context, targetID, policyType string, p Page) ([]ic.OrgPolicy, string, error)
	// ListTargetsForPolicy pages the ids of the targets a policy is
	// attached to, in id order; a missing policy is errs.NotFound.
	ListTargetsForPolicy(ctx context.Context, policyID string, p Page) ([]string, string, error)
	// EffectiveSCPs returns the SCPs in force over an account, one level
	// per step of its path (the root, each OU down, the account), for
	// policy evaluation: an action is allowed only if every level allows
	// it. It is empty when SCPs are disabled. It does not exempt the
	// management account: AWS never limits the management account by SCPs,
	// and the evaluator must skip them for it. A missing account is
	// errs.NotFound ResourceAccount.
	EffectiveSCPs(ctx context.Context, accountID string) ([]SCPLevel, error)
}

// OrgTags are the tags on the organization's accounts, OUs, root and
// policies, by resource id.
type OrgTags interface {
	// TagOrgResource adds tags, replacing the values of keys it already
	// has. A missing resource is errs.NotFound ResourcePolicyTarget; more than
	// ic.MaxOrgTags in all is errs.Conflict FieldTagLimit.
	// Action: "organizations.resource.tag".
	TagOrgResource(ctx context.Context, resourceID string, tags []ic.Tag) error
	// UntagOrgResource removes the keys it has (absent keys are ignored).
	// Action: "organizations.resource.untag".
	UntagOrgResource(ctx context.Context, resourceID string, keys []string) error
	// OrgResourceTags returns the tags in key order.
	OrgResourceTags(ctx context.Context, resourceID string) ([]ic.Tag, error)
}

// Delegations are delegated administrators and the services with trusted
// access to the organization.
type Delegations interface {
	// RegisterDelegatedAdmin stores d. A missing account is errs.NotFound
	// ResourceAccount; an existing pair errs.Conflict FieldID; with
	// maxPerService above 0, a service that already has that many
	// administrators errs.Conflict FieldLimit.
	// Action: "organizations.delegatedadmin.register".
	RegisterDelegatedAdmin(ctx context.Context, d ic.DelegatedAdmin, maxPerService int) error
	// DeregisterDelegatedAdmin removes one; a missing pair is errs.NotFound
	// ResourceDelegation. Action: "organizations.delegatedadmin.deregister".
	DeregisterDelegatedAdmin(ctx context.Context, accountID, servicePrincipal string) error
	// ListDelegatedAdmins pages delegated administrators in account order:
	// for one service when servicePrincipal is set, otherwise each account
	// once with its earliest delegation.
	ListDelegatedAdmins(ctx context.Context, servicePrincipal string, p Page) ([]ic.DelegatedAdmin, string, error)
	// ListDelegatedServices pages an account's delegations in service order.
	ListDelegatedServices(ctx context.Context, accountID string, p Page) ([]ic.DelegatedAdmin, string, error)
	// EnableServiceAccess records trusted access (an enabled one keeps its
	// date). Action: "organizations.serviceaccess.enable".
	EnableServiceAccess(ctx context.Context, a ic.ServiceAccess) error
	// DisableServiceAccess ends trusted access (a disabled one is left
	// alone); delegated administrators stay registered.
	// Action: "organizations.serviceaccess.disable".
	DisableServiceAccess(ctx context.Context, servicePrincipal string) error
	// ServiceAccess reports one service's trusted access, errs.NotFound
	// when not enabled.
	ServiceAccess(ctx context.Context, servicePrincipal string) (ic.ServiceAccess, error)
	// ListServiceAccess pages the services with trusted access in order.
	ListServiceAccess(ctx context.Context, p Page) ([]ic.ServiceAccess, string, error)
}
