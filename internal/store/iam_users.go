package store

import (
	"context"

	"github.com/keyward/keyward/internal/iam"
)

// What IAM store errors are about (ResourceType), beside the shared names.
const (
	ResourceIAMUser         = "iam user"
	ResourceIAMGroup        = "iam group"
	ResourceIAMMember       = "iam group member"
	ResourceIAMInlinePolicy = "iam inline policy" // a user's or group's
	ResourceIAMAccessKey    = "iam access key"
	ResourceIAMMFADevice    = "iam mfa device"
	ResourceIAMSAMLProvider = "iam saml provider"
	ResourceIAMOIDCProvider = "iam oidc provider"
	ResourceIAMAccountAlias = "iam account alias"
)

// UserAuthorization is what evaluating an IAM user's calls needs: the user
// (with its permissions boundary), and the inline and attached policies of
// the user and of its groups. Attached customer managed policies carry
// their default version's document; AWS managed ones an empty one.
type UserAuthorization struct {
	User     iam.User
	Inline   []RolePolicy
	Attached []AttachedPolicy
}

// IAMUsers are IAM users and groups with their memberships, inline and
// attached policies, access keys and virtual MFA devices. Users and groups
// are named per account (unique case-insensitively) and addressed by id
// once found. Deleting a user or group still named by anything else is
// errs.Conflict with Field FieldInUse and ResourceType naming what remains
// (ResourceIAMAccessKey, ResourceIAMInlinePolicy, ResourceIAMAttachment,
// ResourceIAMMember, ResourceIAMMFADevice).
type IAMUsers interface {
	// UserAuthorization returns a user with its own and its groups' inline
	// and attached policies, for policy evaluation; a missing user is
	// errs.NotFound.
	UserAuthorization(ctx context.Context, userID string) (UserAuthorization, error)
	// Action: "iam.user.create". A taken name is errs.Conflict (FieldName).
	CreateIAMUser(ctx context.Context, u iam.User) error
	IAMUser(ctx context.Context, accountID, name string) (iam.User, error)
	IAMUserByID(ctx context.Context, id string) (iam.User, error)
	// ListIAMUsers pages the account's users whose path starts with
	// pathPrefix, ordered by name.
	ListIAMUsers(ctx context.Context, accountID, pathPrefix string, p Page) ([]iam.User, string, error)
	// UpdateIAMUser is compare-and-swap (rename, path, tags, boundary).
	// Action: "iam.user.update".
	UpdateIAMUser(ctx context.Context, id string, fn func(iam.User) (iam.User, error)) (iam.User, error)
	// Action: "iam.user.delete".
	DeleteIAMUser(ctx context.Context, id string) error

	// Action: "iam.group.create".
	CreateIAMGroup(ctx context.Context, g iam.Group) error
	IAMGroup(ctx context.Context, accountID, name string) (iam.Group, error)
	ListIAMGroups(ctx context.Context, accountID, pathPrefix string, p Page) ([]iam.Group, string, error)
	// Action: "iam.group.update".
	UpdateIAMGroup(ctx context.Context, id string, fn func(iam.Group) (iam.Group, error)) (iam.Group, error)
	// Action: "iam.group.delete".
	DeleteIAMGroup(ctx context.Context, id string) error
	// AddIAMGroupMember is idempotent; a user already in
	// iam.MaxGroupsPerUser other groups is errs.Conflict (FieldLimit).
	// Action: "iam.group.member.add".
	AddIAMGroupMember(ctx context.Context, groupID, userID string) error
	// RemoveIAMGroupMember: a non-member is errs.NotFound (ResourceIAMMember).
	// Action: "iam.group.member.remove".
	RemoveIAMGroupMember(ctx context.Context, groupID, userID string) error
	// ListIAMGroupMembers pages the group's users by name.
	ListIAMGroupMembers(ctx context.Context, groupID string, p Page) ([]iam.User, string, error)
	// ListIAMGroupsForUser pages the user's groups by name.
	ListIAMGroupsForUser(ctx context.Context, userID string, p Page) ([]iam.Group, string, error)

	// PutIAMInlinePolicy creates or replaces a user's or group's (ownerID)
	// inline policy; past the owner's quota (iam.MaxUserInlinePolicySize or
	// iam.MaxGroupInlinePolicySize for all its inline policies together) it
	// is errs.Conflict (FieldLimit). Action: "iam.user.policy.put" or
	// "iam.group.policy.put".
	PutIAMInlinePolicy(ctx context.Context, ownerID string, p iam.InlinePolicy) error
	IAMInlinePolicy(ctx context.Context, ownerID, name string) (iam.InlinePolicy, error)
	// ListIAMInlinePolicies pages the owner's policy names in order.
	ListIAMInlinePolicies(ctx context.Context, ownerID string, p Page) ([]string, string, error)
	// Action: "iam.user.policy.delete" or "iam.group.policy.delete".
	DeleteIAMInlinePolicy(ctx context.Context, ownerID, name string) error
	// AttachIAMPolicy is idempotent; beyond iam.MaxAttachedPolicies it is
	// errs.Conflict (FieldLimit). Action: "iam.user.policy.attach" or
	// "iam.group.policy.attach".
	AttachIAMPolicy(ctx context.Context, ownerID, arn string) error
	// DetachIAMPolicy: one not attached is errs.NotFound (ResourceIAMAttachment).
	// Action: "iam.user.policy.detach" or "iam.group.policy.detach".
	DetachIAMPolicy(ctx context.Context, ownerID, arn string) error
	// ListIAMAttachedPolicies pages the owner's attached ARNs in order.
	ListIAMAttachedPolicies(ctx context.Context, ownerID string, p Page) ([]string, string, error)
	// IAMPrincipalsForPolicy lists the account's users and groups using a
	// managed policy as usage (UsagePermissions: attached; UsageBoundary:
	// a user's boundary; "" either), each ordered by name.
	IAMPrincipalsForPolicy(ctx context.Context, accountID, policyARN, usage string) ([]iam.User, []iam.Group, error)

	// CreateIAMAccessKey refuses (errs.Conflict, FieldLimit) a user's
	// third key. Action: "iam.accesskey.create".
	CreateIAMAccessKey(ctx context.Context, k iam.AccessKey) error
	// IAMAccessKey returns a key with its user.
	IAMAccessKey(ctx context.Context, id string) (iam.AccessKey, iam.User, error)
	// ListIAMAccessKeys lists a user's keys, oldest first.
	ListIAMAccessKeys(ctx context.Context, userID string) ([]iam.AccessKey, error)
	// SetIAMAccessKeyStatus: a key of another user is errs.NotFound.
	// Action: "iam.accesskey.update".
	SetIAMAccessKeyStatus(ctx context.Context, userID, id, status string) error
	// Action: "iam.accesskey.delete".
	DeleteIAMAccessKey(ctx context.Context, userID, id string) error
	// TouchIAMAccessKey records a use (never moving it back); no event.
	TouchIAMAccessKey(ctx context.Context, id string, use iam.KeyUse) error

	// CreateIAMMFADevice: a taken serial number is errs.Conflict (FieldName).
	// Action: "iam.mfa.create".
	CreateIAMMFADevice(ctx context.Context, d iam.VirtualMFADevice) error
	IAMMFADevice(ctx context.Context, serial string) (iam.VirtualMFADevice, error)
	// ListIAMMFADevices pages the account's devices by serial number:
	// userID empty lists every device, else only that user's.
	ListIAMMFADevices(ctx context.Context, accountID, userID string, p Page) ([]iam.VirtualMFADevice, string, error)
	// UpdateIAMMFADevice is compare-and-swap (enable, deactivate, the last
	// step used). Action: "iam.mfa.update"; one that only moves LastStep
	// writes no event.
	UpdateIAMMFADevice(ctx context.Context, serial string, fn func(iam.VirtualMFADevice) (iam.VirtualMFADevice, error)) (iam.VirtualMFADevice, error)
	// DeleteIAMMFADevice refuses (errs.Conflict, FieldInUse) an assigned
	// device. Action: "iam.mfa.delete".
	DeleteIAMMFADevice(ctx context.Context, serial string) error
}

// IAMProviders are each account's SAML and OIDC identity providers and its
// alias, addressed by ARN (the alias by account).
type IAMProviders interface {
	// Action: "iam.samlprovider.create".
	CreateIAMSAMLProvider(ctx context.Context, p iam.SAMLProvider) error
	IAMSAMLProvider(ctx context.Context, arn string) (iam.SAMLProvider, error)
	ListIAMSAMLProviders(ctx context.Context, accountID string) ([]iam.SAMLProvider, error)
	// Action: "iam.samlprovider.update".
	UpdateIAMSAMLProvider(ctx context.Context, arn string, fn func(iam.SAMLProvider) (iam.SAMLProvider, error)) (iam.SAMLProvider, error)
	// Action: "iam.samlprovider.delete".
	DeleteIAMSAMLProvider(ctx context.Context, arn string) error

	// Action: "iam.oidcprovider.create".
	CreateIAMOIDCProvider(ctx context.Context, p iam.OIDCProvider) error
	IAMOIDCProvider(ctx context.Context, arn string) (iam.OIDCProvider, error)
	ListIAMOIDCProviders(ctx context.Context, accountID string) ([]iam.OIDCProvider, error)
	// Action: "iam.oidcprovider.update".
	UpdateIAMOIDCProvider(ctx context.Context, arn string, fn func(iam.OIDCProvider) (iam.OIDCProvider, error)) (iam.OIDCProvider, error)
	// Action: "iam.oidcprovider.delete".
	DeleteIAMOIDCProvider(ctx context.Context, arn string) error

	// SetIAMAccountAlias gives the account alias, replacing its old one. An
	// alias any account holds, this one included, is errs.Conflict
	// (FieldName), as in AWS.
	// Action: "iam.alias.create".
	SetIAMAccountAlias(ctx context.Context, accountID, alias string) error
	// IAMAccountAlias is "" when the account has none.
	IAMAccountAlias(ctx context.Context, accountID string) (string, error)
	// DeleteIAMAccountAlias: an alias the account does not hold is
	// errs.NotFound. Action: "iam.alias.delete".
	DeleteIAMAccountAlias(ctx context.Context, accountID, alias string) error
}
