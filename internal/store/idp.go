package store

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/directory"
)

// What IdP store errors are about, beyond the shared names above.
const (
	ResourceRole     = "role assignment"
	ResourceAPIToken = "api token"
	ResourceFactor   = "factor"
	ResourceLink     = "one-time link"
)

// Which IdP value is taken.
const (
	FieldLogin    = "login"     // a user's login, compared case-insensitively
	FieldRoleType = "role type" // the user already holds a role of that type
	FieldStatus   = "status"    // the app must be deactivated first
)

// UserQuery narrows ListUsers and ListMembers. Keep, when set, decides
// which users are returned (a search or filter expression); the store
// still pages in id order and returns up to Limit kept users. Require
// lists conditions every kept user meets (directory.Expr.Required): a
// backend may use them to read fewer rows, never to keep more.
type UserQuery struct {
	Keep    func(directory.User) bool
	Require []directory.Condition
}

// GroupQuery narrows ListGroups like UserQuery.
type GroupQuery struct {
	Keep func(directory.Group) bool
}

// NewUser is a user to create with the groups to put them in.
type NewUser struct {
	User     directory.User
	GroupIDs []string
}

// DirectoryUsers are the identity provider's people. Every change bumps
// LastUpdated and appends to the change feed in the same transaction.
type DirectoryUsers interface {
	// CreateUser stores u (with a fresh id; LastUpdated is set by the
	// store) and puts it in groupIDs. A login taken case-insensitively is
	// errs.Conflict (FieldLogin); a missing group is errs.NotFound
	// (ResourceGroup). Events: "user.lifecycle.create", then
	// "group.user_membership.add" per group.
	CreateUser(ctx context.Context, u directory.User, groupIDs []string) (directory.User, error)
	// CreateUsers creates many users in one transaction, each as
	// CreateUser would (bulk import): all or none.
	CreateUsers(ctx context.Context, users []NewUser) ([]directory.User, error)
	User(ctx context.Context, id string) (directory.User, error)
	// UserByLogin matches the login case-insensitively.
	UserByLogin(ctx context.Context, login string) (directory.User, error)
	// ListUsers pages users in id order.
	ListUsers(ctx context.Context, q UserQuery, p Page) ([]directory.User, string, error)
	// UpdateUser is compare-and-swap; eventType is the event it writes
	// (for example "user.lifecycle.suspend", "user.account.update_profile").
	// A rename onto a taken login is errs.Conflict (FieldLogin). A user
	// who becomes DEPROVISIONED loses their sessions, API tokens and
	// one-time links in the same transaction.
	UpdateUser(ctx context.Context, id, eventType string, fn func(directory.User) (directory.User, error)) (directory.User, error)
	// DeleteUser removes the user and everything that hangs off it.
	// Event: "user.lifecycle.delete.completed".
	DeleteUser(ctx context.Context, id string) error
	// UserGroups lists the user's groups by name.
	UserGroups(ctx context.Context, userID string) ([]directory.Group, error)
}

// DirectoryGroups are the identity provider's groups and memberships.
type DirectoryGroups interface {
	// CreateGroup stores g with a fresh id. A name taken case-insensitively
	// is errs.Conflict (FieldName). Event: "group.lifecycle.create".
	CreateGroup(ctx context.Context, g directory.Group) (directory.Group, error)
	// CreateGroups creates many groups in one transaction, each as
	// CreateGroup would (bulk import): all or none.
	CreateGroups(ctx context.Context, groups []directory.Group) ([]directory.Group, error)
	Group(ctx context.Context, id string) (directory.Group, error)
	GroupByName(ctx context.Context, name string) (directory.Group, error)
	// ListGroups pages groups in id order.
	ListGroups(ctx context.Context, q GroupQuery, p Page) ([]directory.Group, string, error)
	// UpdateGroup is compare-and-swap. Event: "group.profile.update".
	UpdateGroup(ctx context.Context, id string, fn func(directory.Group) (directory.Group, error)) (directory.Group, error)
	// DeleteGroup removes the group, its memberships and role targets
	// naming it. Event: "group.lifecycle.delete".
	DeleteGroup(ctx context.Context, id string) error
	// AddMember puts the user in the group and reports whether they were
	// not in it already (only then it writes "group.user_membership.add").
	AddMember(ctx context.Context, groupID, userID string) (bool, error)
	// RemoveMember takes the user out of the group and reports whether
	// they were in it (only then it writes "group.user_membership.remove").
	RemoveMember(ctx context.Context, groupID, userID string) (bool, error)
	// ListMembers pages the group's members in user-id order.
	ListMembers(ctx context.Context, groupID string, q UserQuery, p Page) ([]directory.User, string, error)
	// CountMembers counts the group's members.
	CountMembers(ctx context.Context, groupID string) (int, error)
}

// ChangeFeed is the durable list of directory changes provisioning follows.
type ChangeFeed interface {
	// Changes returns up to limit changes with Seq greater than after,
	// oldest first.
	Changes(ctx context.Context, after int64, limit int) ([]directory.Change, error)
}

// UserSchema is the user profile schema's custom attributes.
type UserSchema interface {
	Schema(ctx context.Context) (directory.Schema, error)
	// PutAttribute declares or redeclares a custom attribute.
	// Event: "user.schema.update" (keyward's name: Okta logs schema
	// changes under its admin console events).
	PutAttribute(ctx context.Context, a directory.Attribute) error
}

// AdminRoles are administrator role assignments.
type AdminRoles interface {
	// AssignRole stores r with a fresh id. A user holding that role type
	// already is errs.Conflict (FieldRoleType). Event:
	// "user.account.privilege.grant".
	AssignRole(ctx context.Context, r directory.Role) (directory.Role, error)
	Roles(ctx context.Context, userID string) ([]directory.Role, error)
	Role(ctx context.Context, userID, roleID string) (directory.Role, error)
	// UpdateRole is compare-and-swap (group targets). Event:
	// "user.account.privilege.grant".
	UpdateRole(ctx context.Context, userID, roleID string, fn func(directory.Role) (directory.Role, error)) (directory.Role, error)
	// RemoveRole: Event "user.account.privilege.revoke". Removing a
	// SUPER_ADMIN role when no other is held by someone who can sign in
	// (directory.Status.CanSignIn) is errs.Invalid and writes nothing,
	// checked in the same transaction, so two removals at once cannot
	// leave none.
	RemoveRole(ctx context.Context, userID, roleID string) error
	// CountRoles counts assignments of role type t across users.
	CountRoles(ctx context.Context, t directory.RoleType) (int, error)
}

// APITokens are SSWS tokens, stored by hash.
type APITokens interface {
	// CreateAPIToken stores t with the hash of its secret.
	// Event: "system.api_token.create".
	CreateAPIToken(ctx context.Context, t directory.APIToken, hash string) error
	// APITokenByHash finds a token by the hash of its secret; an expired
	// one is errs.NotFound.
	APITokenByHash(ctx context.Context, hash string) (directory.APIToken, error)
	APIToken(ctx context.Context, id string) (directory.APIToken, error)
	// ListAPITokens pages tokens in id order.
	ListAPITokens(ctx context.Context, p Page) ([]directory.APIToken, string, error)
	// TouchAPIToken records a use at now, moving its idle expiry. It
	// writes no event.
	TouchAPIToken(ctx context.Context, id string, now time.Time) error
	// RevokeAPIToken: Event "system.api_token.revoke".
	RevokeAPIToken(ctx context.Context, id string) error
}

// UserLinks are one-time activation and reset links.
type UserLinks interface {
	// CreateUserToken stores t, replacing the user's live token of the
	// same purpose (one live link at a time). It writes no event: the
	// lifecycle operation that asks for it does.
	CreateUserToken(ctx context.Context, t directory.UserToken) error
	// UserToken finds a live token by hash and purpose without spending it.
	UserToken(ctx context.Context, hash string, purpose directory.UserTokenPurpose) (directory.UserToken, error)
	// SpendUserToken, in one transaction, deletes the live token and
	// applies fn to its user, writing eventType. A missing, spent or
	// expired token is errs.NotFound (ResourceLink).
	SpendUserToken(ctx context.Context, hash string, purpose directory.UserTokenPurpose, eventType string,
		fn func(directory.User) (directory.User, error)) (directory.User, error)
}

// Factors are enrolled authenticators.
type Factors interface {
	// CreateFactor: Event "user.mfa.factor.update" for a pending one,
	// "user.mfa.factor.activate" for an active one.
	CreateFactor(ctx context.Context, f directory.Factor) (directory.Factor, error)
	Factors(ctx context.Context, userID string) ([]directory.Factor, error)
	Factor(ctx context.Context, userID, factorID string) (directory.Factor, error)
	// FactorByCredentialID finds a WebAuthn factor by credential id.
	FactorByCredentialID(ctx context.Context, credentialID string) (directory.Factor, error)
	// UpdateFactor is compare-and-swap; eventType is what it writes, or ""
	// for bookkeeping with no event (a TOTP step, a sign count).
	UpdateFactor(ctx context.Context, userID, factorID, eventType string,
		fn func(directory.Factor) (directory.Factor, error)) (directory.Factor, error)
	// DeleteFactor: Event "user.mfa.factor.deactivate".
	DeleteFactor(ctx context.Context, userID, factorID string) error
	// DeleteFactors removes all the user's factors. Event:
	// "user.mfa.factor.reset_all".
	DeleteFactors(ctx context.Context, userID string) error
}

// IdPSessions are identity-provider sessions, stored by hash.
type IdPSessions interface {
	// CreateIdPSession starts the session and sets the user's LastLogin
	// (which is not a change: LastUpdated and the feed stay). Event
	// "user.session.start".
	CreateIdPSession(ctx context.Context, s directory.Session) error
	// IdPSession returns a live session; an ended or expired one is
	// errs.NotFound.
	IdPSession(ctx context.Context, idHash string) (directory.Session, error)
	// TouchIdPSession records activity at now, moving the idle expiry to
	// idle. It writes no event.
	TouchIdPSession(ctx context.Context, idHash string, now, idle time.Time) error
	// ListIdPSessions lists the user's live sessions, newest first.
	ListIdPSessions(ctx context.Context, userID string) ([]directory.Session, error)
	// EndIdPSession: Event "user.session.end". A missing one is not an error.
	EndIdPSession(ctx context.Context, idHash string) error
	// EndUserSessions ends every session of the user and reports how many.
	// Event: "user.session.clear".
	EndUserSessions(ctx context.Context, userID string) (int, error)
}

// SignOnPolicies are the per-group sign-on policies.
type SignOnPolicies interface {
	// SignOnPolicies lists every group's policy.
	SignOnPolicies(ctx context.Context) ([]directory.SignOnPolicy, error)
	// PutSignOnPolicy sets a group's policy (a missing group is
	// errs.NotFound). Event: "policy.lifecycle.update".
	PutSignOnPolicy(ctx context.Context, p directory.SignOnPolicy) error
	// DeleteSignOnPolicy removes a group's policy; a missing one is not an
	// error. Event: "policy.lifecycle.delete". Deleting the group removes
	// its policy too.
	DeleteSignOnPolicy(ctx context.Context, groupID string) error
}

// What app store errors are about.
const (
	ResourceApp       = "app"
	ResourceAppUser   = "app user"
	ResourceAppGroup  = "app group"
	ResourceGroupPush = "group push"
)

// Apps are the identity provider's applications, who is assigned to them
// and which groups they push. App, assignment and push changes append to
// the change feed (with AppID set) so provisioning follows them like
// directory changes; membership changes that move effective assignments
// are on the feed already (member.add/remove), and deleting a user or a
// group removes its assignments and pushes with it. Events name the app
// (target type AppInstance) by its label.
type Apps interface {
	// CreateApp stores a with a fresh id (Created and LastUpdated set by the
	// store). Event: "application.lifecycle.create".
	CreateApp(ctx context.Context, a directory.App) (directory.App, error)
	App(ctx context.Context, id string) (directory.App, error)
	// ListApps pages apps in id order.
	ListApps(ctx context.Context, p Page) ([]directory.App, string, error)
	// UpdateApp is compare-and-swap; eventType is what it writes
	// ("application.lifecycle.update", ".activate", ".deactivate").
	UpdateApp(ctx context.Context, id, eventType string, fn func(directory.App) (directory.App, error)) (directory.App, error)
	// DeleteApp removes an INACTIVE app with its assignments and pushes;
	// an active one is errs.Conflict (FieldStatus).
	// Event: "application.lifecycle.delete".
	DeleteApp(ctx context.Context, id string) error

	// AssignUser assigns the user directly and returns the effective
	// assignment. Assigning again writes nothing.
	// Event: "application.user_membership.add".
	AssignUser(ctx context.Context, appID, userID string) (directory.AppUser, error)
	// UnassignUser removes the direct assignment; the person may still be
	// assigned through a group. No direct assignment is errs.NotFound
	// (ResourceAppUser). Event: "application.user_membership.remove".
	UnassignUser(ctx context.Context, appID, userID string) error
	// AppUser is the person's effective assignment: direct (ScopeUser)
	// wins over through-a-group (ScopeGroup); none is errs.NotFound.
	AppUser(ctx context.Context, appID, userID string) (directory.AppUser, error)
	// ListAppUsers pages the effective assignments in user-id order.
	ListAppUsers(ctx context.Context, appID string, p Page) ([]directory.AppUser, string, error)
	// UserApps lists the apps the user is effectively assigned to, by label.
	UserApps(ctx context.Context, userID string) ([]directory.App, error)

	// AssignGroup assigns a group. Assigning it again with another
	// priority updates the priority (event
	// "application.group_membership.update", nothing on the feed); with the
	// same priority it writes nothing. Event: "application.group_membership.add".
	AssignGroup(ctx context.Context, g directory.AppGroup) (directory.AppGroup, error)
	// Event: "application.group_membership.remove".
	UnassignGroup(ctx context.Context, appID, groupID string) error
	AppGroup(ctx context.Context, appID, groupID string) (directory.AppGroup, error)
	// ListAppGroups pages assigned groups in group-id order.
	ListAppGroups(ctx context.Context, appID string, p Page) ([]directory.AppGroup, string, error)

	// PushGroup starts pushing the group; pushing again writes nothing.
	// Event: "application.provision.group_push.push".
	PushGroup(ctx context.Context, appID, groupID string) (directory.GroupPush, error)
	// UnpushGroup: a group not pushed is errs.NotFound (ResourceGroupPush).
	// Event: "application.provision.group_push.unlink".
	UnpushGroup(ctx context.Context, appID, groupID string) error
	// ListGroupPushes lists the app's pushed groups in group-id order.
	ListGroupPushes(ctx context.Context, appID string) ([]directory.GroupPush, error)
}

// IdPBootstrap is what the identity provider's first start creates: a
// super administrator, an API token acting as them and, when its ID is
// set, the "default" authorization server.
type IdPBootstrap struct {
	Admin      directory.User
	Role       directory.Role
	Token      directory.APIToken
	TokenHash  string
	AuthServer directory.AuthServer
}

// IdPOrg is the identity provider's one-time set-up.
type IdPOrg interface {
	// BootstrapIdP stores b (user, role, token and authorization server,
	// in one transaction) if no super administrator exists and reports
	// true; otherwise it stores nothing and reports false. Events:
	// "keyward.idp.bootstrap" (and "oauth2.as.created" for the server).
	BootstrapIdP(ctx context.Context, b IdPBootstrap) (bool, error)
}

// IdP is the identity provider's contract.
type IdP interface {
	Common
	IdPOrg
	DirectoryUsers
	DirectoryGroups
	ChangeFeed
	UserSchema
	AdminRoles
	APITokens
	UserLinks
	Factors
	IdPSessions
	SignOnPolicies
	Apps
	ClientSecrets
	AuthServers
	OAuthGrants
	SigningKeys
	Provisioning
}

// ResourceSigningKey is what signing-key errors are about.
const ResourceSigningKey = "signing key"

// SigningKeys are the identity provider's signing keys (SAML, OIDC), their
// private keys sealed by the caller. Keys of one use form a sequence:
// the first, then one per rotation.
type SigningKeys interface {
	// CreateFirstSigningKey stores k as the first key of k.Use when that
	// use has no key yet and reports whether it did; replicas racing to
	// create it store exactly one. Event: "system.signing_key.create" (only
	// when stored).
	CreateFirstSigningKey(ctx context.Context, k directory.SigningKey) (bool, error)
	// RotateSigningKey stores k as the next key of k.Use, and every key
	// of that use not yet retiring by k.ActivatesAt retires then. A use
	// with no key is errs.NotFound (ResourceSigningKey). Event:
	// "system.signing_key.rotate".
	RotateSigningKey(ctx context.Context, k directory.SigningKey) error
	// SigningKeys lists the keys of use, oldest first.
	SigningKeys(ctx context.Context, use string) ([]directory.SigningKey, error)
}
