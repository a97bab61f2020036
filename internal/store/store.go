// Package store is keyward's storage contract: one small interface per
// aggregate, grouped into one contract per side of keyward: AWS (the
// Identity Center, Organizations and STS side) on top of Common (the system
// log, rate limits, housekeeping and the connection), which the identity
// provider's contract will share. Every backend (store/sqlite,
// store/postgres) implements them and store/storetest proves it. Consumers
// should declare the narrower interface they need rather than take a whole
// contract.
//
// Rules every backend follows:
//   - Errors are *errs.Error: errs.NotFound for a missing row, naming what
//     is missing in ResourceType (one of the Resource* names below) and
//     ResourceID; errs.Conflict for a uniqueness violation, naming the
//     resource and the Field* that is taken; errs.Invalid for a bad page
//     token. Messages are plain English for logs: each protocol package
//     words its own wire message from the names. Anything else is a
//     backend failure.
//   - Every mutating method writes its audit.Event (actor and client taken
//     from the context with audit.ActorFrom/ClientFrom) in the same
//     transaction as the change. Action names are listed on each method.
//   - Update methods are compare-and-swap: fn gets the current value inside
//     the transaction and returns the new one, or an error that aborts with
//     nothing written.
//   - A failed call writes nothing.
package store

import (
	"context"
	"io"
	"time"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// What store errors are about: ResourceType of errs.NotFound and
// errs.Conflict.
const (
	ResourceOrganization  = "organization"
	ResourceInstance      = "instance"
	ResourceAccount       = "account"
	ResourceAccountStatus = "account request"
	ResourceAccessKey     = "access key"
	ResourceUser          = "user"
	ResourceGroup         = "group"
	ResourceMembership    = "membership"
	ResourcePermissionSet = "permission set"
	ResourceAssignment    = "assignment"
	ResourceEntitlement   = "entitlement"
	ResourceRequest       = "request"
	ResourceClient        = "client"
	ResourceDevice        = "device authorization"
	ResourceCode          = "authorization code"
	ResourceToken         = "token"
	ResourceSession       = "session"
	ResourceEvent         = "event"
	ResourceSCIMToken     = "scim token"
	ResourceOneTimeKey    = "one-time key"
)

// Which value of a resource is taken: Field of errs.Conflict.
const (
	FieldID         = "id"
	FieldName       = "name" // a user's name, a group's display name, a permission set's name
	FieldEmail      = "email"
	FieldExternalID = "external id"
	FieldMember     = "member"    // the user is already in the group
	FieldUserCode   = "user code" // a live device authorization holds it
	FieldSecret     = "secret"    // a token or session hash is already stored
	FieldInUse      = "in use"    // assignments still use it
	FieldLimit      = "limit"     // a quota refused it: an IAM limit (LimitExceeded), the organization's OUs or policies
)

// Page asks for one page of a list. Token is the opaque NextToken of the
// previous page, or empty for the first page. Limit is at least 1. A token
// continues only the list it came from: sent with other parameters (another
// group, owner or filter) it is errs.Invalid.
type Page struct {
	Limit int
	Token string
}

// Bootstrap is everything a first start creates.
type Bootstrap struct {
	Organization      ic.Organization
	ManagementAccount ic.Account
	Instance          ic.Instance
	RootKey           ic.AccessKey
}

// NewBootstrap is what a first start creates at now: an organization whose
// management account is rootKey's (named "Management", reached at email)
// and an Identity Center instance, with ids drawn from random.
func NewBootstrap(random io.Reader, now time.Time, email string, rootKey ic.AccessKey) Bootstrap {
	mgmt := rootKey.AccountID
	return Bootstrap{
		Organization: ic.Organization{ID: ic.NewOrgID(random), ManagementAccountID: mgmt,
			ManagementEmail: email, CreatedAt: now},
		ManagementAccount: ic.Account{ID: mgmt, Name: "Management", Email: email,
			Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now},
		Instance: ic.Instance{ID: ic.NewInstanceID(random), IdentityStoreID: ic.NewIdentityStoreID(random),
			OwnerAccountID: mgmt, Name: "keyward", CreatedAt: now},
		RootKey: rootKey,
	}
}

// Org is the singleton organization and instance.
type Org interface {
	// Bootstrap stores b if nothing is bootstrapped yet and reports true;
	// otherwise it returns what is stored and false. Action: "keyward.bootstrap".
	Bootstrap(ctx context.Context, b Bootstrap) (Bootstrap, bool, error)
	Organization(ctx context.Context) (ic.Organization, error)
	Instance(ctx context.Context) (ic.Instance, error)
}

// Accounts are the organization's accounts and CreateAccount requests.
type Accounts interface {
	// CreateAccount stores a new account and its (succeeded) request status.
	// A duplicate email is errs.Conflict. Action: "organizations.account.create".
	CreateAccount(ctx context.Context, a ic.Account, st ic.CreateAccountStatus) error
	// PutCreateAccountStatus records a request that failed before creating
	// anything. Action: "organizations.account.create" with outcome FAILURE.
	PutCreateAccountStatus(ctx context.Context, st ic.CreateAccountStatus) error
	CreateAccountStatus(ctx context.Context, id string) (ic.CreateAccountStatus, error)
	Account(ctx context.Context, id string) (ic.Account, error)
	// ListAccounts pages accounts in account-id order.
	ListAccounts(ctx context.Context, p Page) ([]ic.Account, string, error)
}

// AccessKeys are long-term root access keys.
type AccessKeys interface {
	AccessKey(ctx context.Context, id string) (ic.AccessKey, error)
}

// UserFilter narrows ListUsers; empty fields match everything.
type UserFilter struct {
	UserName string // exact, case-insensitive
}

// Users are identity-store users. User names are unique case-insensitively.
type Users interface {
	// CreateUser: duplicate user name is errs.Conflict. Action: "identitystore.user.create".
	CreateUser(ctx context.Context, u ic.User) error
	User(ctx context.Context, id string) (ic.User, error)
	UserByName(ctx context.Context, userName string) (ic.User, error)
	// UserByEmail matches any email value, case-insensitively.
	UserByEmail(ctx context.Context, email string) (ic.User, error)
	UserByExternalID(ctx context.Context, x ic.ExternalID) (ic.User, error)
	// ListUsers pages users ordered by id.
	ListUsers(ctx context.Context, f UserFilter, p Page) ([]ic.User, string, error)
	// UpdateUser: a rename onto a taken name is errs.Conflict. Action: "identitystore.user.update".
	UpdateUser(ctx context.Context, id string, fn func(ic.User) (ic.User, error)) (ic.User, error)
	// DeleteUser removes the user with its memberships, assignments,
	// password, portal sessions and tokens. Action: "identitystore.user.delete".
	DeleteUser(ctx context.Context, id string) error
}

// GroupFilter narrows ListGroups; empty fields match everything.
type GroupFilter struct {
	DisplayName string // exact, case-insensitive
}

// Groups are identity-store groups. Display names are unique case-insensitively.
type Groups interface {
	// Action: "identitystore.group.create".
	CreateGroup(ctx context.Context, g ic.Group) error
	Group(ctx context.Context, id string) (ic.Group, error)
	GroupByName(ctx context.Context, displayName string) (ic.Group, error)
	GroupByExternalID(ctx context.Context, x ic.ExternalID) (ic.Group, error)
	ListGroups(ctx context.Context, f GroupFilter, p Page) ([]ic.Group, string, error)
	// Action: "identitystore.group.update".
	UpdateGroup(ctx context.Context, id string, fn func(ic.Group) (ic.Group, error)) (ic.Group, error)
	// DeleteGroup removes the group with its memberships and assignments.
	// Action: "identitystore.group.delete".
	DeleteGroup(ctx context.Context, id string) error
}

// Memberships put users in groups.
type Memberships interface {
	// CreateMembership: a missing user or group is errs.NotFound (ResourceType
	// USER or GROUP), an existing pair errs.Conflict.
	// Action: "identitystore.membership.create".
	CreateMembership(ctx context.Context, m ic.Membership) error
	Membership(ctx context.Context, id string) (ic.Membership, error)
	MembershipOf(ctx context.Context, groupID, userID string) (ic.Membership, error)
	// ListMemberships pages a group's memberships ordered by id.
	ListMemberships(ctx context.Context, groupID string, p Page) ([]ic.Membership, string, error)
	// ListMembershipsForUser pages a user's memberships ordered by id.
	ListMembershipsForUser(ctx context.Context, userID string, p Page) ([]ic.Membership, string, error)
	// MemberOf returns which of groupIDs have userID as a member.
	MemberOf(ctx context.Context, userID string, groupIDs []string) (map[string]bool, error)
	// Action: "identitystore.membership.delete".
	DeleteMembership(ctx context.Context, id string) error
}

// PermissionSets are the instance's permission sets. Names are unique.
type PermissionSets interface {
	// Action: "ssoadmin.permissionset.create".
	CreatePermissionSet(ctx context.Context, ps ic.PermissionSet) error
	PermissionSet(ctx context.Context, id string) (ic.PermissionSet, error)
	// ListPermissionSets pages permission sets ordered by id.
	ListPermissionSets(ctx context.Context, p Page) ([]ic.PermissionSet, string, error)
	// Action: "ssoadmin.permissionset.update".
	UpdatePermissionSet(ctx context.Context, id string, fn func(ic.PermissionSet) (ic.PermissionSet, error)) (ic.PermissionSet, error)
	// DeletePermissionSet refuses (errs.Conflict) while assignments use it;
	// it removes the permission set's roles. Action: "ssoadmin.permissionset.delete".
	DeletePermissionSet(ctx context.Context, id string) error
}

// RoleFilter narrows ListRoles; empty fields match everything.
type RoleFilter struct {
	AccountID       string
	PermissionSetID string
	// Outdated, when set, keeps only roles whose Version is (true) or is not
	// (false) behind their permission set's.
	Outdated *bool
}

// Assignments are account assignments, the roles they provision and the
// request status objects.
type Assignments interface {
	// CreateAssignment stores a (idempotent: an existing one is kept), and
	// provisions role unless the permission set already has a role in the
	// account, then records req. A missing permission set, account or
	// principal is errs.NotFound. Action: "ssoadmin.assignment.create".
	CreateAssignment(ctx context.Context, a ic.Assignment, role ic.Role, req ic.Request) error
	// DeleteAssignment removes a (errs.NotFound if absent), removes the role
	// when no assignment of the permission set is left in the account, and
	// records req. Action: "ssoadmin.assignment.delete".
	DeleteAssignment(ctx context.Context, a ic.Assignment, req ic.Request) error
	// ListAssignments pages the assignments of a permission set on an account,
	// ordered by principal type and id.
	ListAssignments(ctx context.Context, accountID, permissionSetID string, p Page) ([]ic.Assignment, string, error)
	// Provision brings the permission set's role in each account to the
	// permission set's current Version, creating it from role (with the
	// account id filled in) where missing. accountID empty means every
	// account the permission set has a role in. Records req.
	// Action: "ssoadmin.permissionset.provision".
	Provision(ctx context.Context, permissionSetID, accountID string, role ic.Role, req ic.Request) error
	// ListRoles pages provisioned roles ordered by account id, then
	// permission set id.
	ListRoles(ctx context.Context, f RoleFilter, p Page) ([]ic.Role, string, error)
	Request(ctx context.Context, id string) (ic.Request, error)
}

// Entitlements answer what a user may use, through direct and group
// assignments, each in one indexed query.
type Entitlements interface {
	// UserAccounts pages the distinct accounts the user has any
	// assignment on, ordered by account id.
	UserAccounts(ctx context.Context, userID string, p Page) ([]ic.Account, string, error)
	// UserRoles pages the user's entitlements on one account, ordered by
	// permission set name.
	UserRoles(ctx context.Context, userID, accountID string, p Page) ([]ic.Entitlement, string, error)
	// UserRole returns the entitlement to the named permission set on the
	// account, or errs.NotFound when the user has none.
	UserRole(ctx context.Context, userID, accountID, permissionSetName string) (ic.Entitlement, error)
}

// Passwords hold password hashes and lockout state.
type Passwords interface {
	// PasswordState returns the state, or a zero state (no hash) for a user
	// who has none; a missing user is errs.NotFound.
	PasswordState(ctx context.Context, userID string) (ic.PasswordState, error)
	// UpdatePasswordState is compare-and-swap. A changed hash also ends the
	// user's portal sessions and tokens, in the same transaction: a new
	// password ends every sign-in. Action: "user.password.update"
	// when the hash changes, "user.signin" otherwise (outcome SUCCESS when
	// FailedAttempts became 0, FAILURE when it grew).
	UpdatePasswordState(ctx context.Context, userID string, fn func(ic.PasswordState) (ic.PasswordState, error)) (ic.PasswordState, error)
}

// PortalSessions are access-portal browser sessions.
type PortalSessions interface {
	// Action: "portal.session.create".
	CreatePortalSession(ctx context.Context, s ic.PortalSession) error
	PortalSession(ctx context.Context, idHash string) (ic.PortalSession, error)
	// DeletePortalSession ends the session and every token and
	// authorization code whose SessionHash is idHash (sign-ins approved in
	// it).
	// Action: "portal.session.delete". Deleting a missing session is not an error.
	DeletePortalSession(ctx context.Context, idHash string) error
}

// OIDC is SSO-OIDC state: clients, device authorizations, authorization
// codes and tokens. Whatever ends a user's tokens (a disabled or deleted
// user, a change of identity source) deletes their authorization codes
// too.
type OIDC interface {
	// Action: "ssooidc.client.register".
	CreateClient(ctx context.Context, c ic.Client) error
	Client(ctx context.Context, id string) (ic.Client, error)
	// CreateDeviceAuthorization: a user code already in use is errs.Conflict
	// (the caller draws another). Action: "ssooidc.device.start".
	CreateDeviceAuthorization(ctx context.Context, d ic.DeviceAuthorization) error
	DeviceAuthorization(ctx context.Context, codeHash string) (ic.DeviceAuthorization, error)
	DeviceAuthorizationByUserCode(ctx context.Context, userCode string) (ic.DeviceAuthorization, error)
	// PendingDevices counts the client's authorizations that are pending
	// and not expired.
	PendingDevices(ctx context.Context, clientID string) (int, error)
	// UpdateDeviceAuthorization is compare-and-swap.
	// Action: "ssooidc.device.<lowercased new status>" when the status changes;
	// a poll that only moves LastPolledAt writes no event.
	UpdateDeviceAuthorization(ctx context.Context, codeHash string, fn func(ic.DeviceAuthorization) (ic.DeviceAuthorization, error)) (ic.DeviceAuthorization, error)
	// CreateAuthorizationCode stores a code the person allowed.
	// Action: "ssooidc.code.issue".
	CreateAuthorizationCode(ctx context.Context, c ic.AuthorizationCode) error
	// RedeemAuthorizationCode spends the live code holding codeHash and, in
	// the same transaction, stores the token fn makes of it, in the code's
	// family (Action "ssooidc.token.create"). When fn refuses (an
	// *errs.Error of any kind but Internal), the code is spent all the same
	// and fn's error returned (Action "ssooidc.code.refuse", outcome
	// FAILURE); any other error of fn's aborts with nothing written. An unknown or expired code
	// is errs.NotFound; so is a spent one, and then every token of its
	// family is revoked and that revocation committed (Action
	// "ssooidc.code.replay", outcome DENY).
	RedeemAuthorizationCode(ctx context.Context, codeHash string, fn func(ic.AuthorizationCode) (ic.Token, error)) (ic.Token, error)
	// CreateToken: Action "ssooidc.token.create".
	CreateToken(ctx context.Context, t ic.Token) error
	TokenByAccess(ctx context.Context, accessHash string) (ic.Token, error)
	// RotateToken finds the token holding refreshHash and, in one
	// transaction, stores what fn returns (fn keeps FamilyID and may refuse
	// with an error, which aborts with nothing written). The old refresh
	// token is spent; the old access token stays valid until it expires, so
	// tools sharing one token cache are not cut off by another's refresh.
	// If no token holds refreshHash it returns errs.NotFound and, when
	// refreshHash was already spent (a replay), revokes every token of its
	// family. Action: "ssooidc.token.refresh".
	RotateToken(ctx context.Context, refreshHash string, fn func(old ic.Token) (ic.Token, error)) (ic.Token, error)
	// RevokeToken ends the sign-in of the token holding accessHash: it
	// deletes every token of its family, including access tokens issued
	// before a refresh. A missing one is errs.NotFound.
	// Action: "ssooidc.token.revoke".
	RevokeToken(ctx context.Context, accessHash string) error
}

// IdentitySources hold where the instance's people sign in (AWS's
// "identity source" setting, which keyward's CLI changes).
type IdentitySources interface {
	// IdentitySource returns the source; before any update it is the
	// Identity Center directory (Type ic.SourceIdentityCenter).
	IdentitySource(ctx context.Context) (ic.IdentitySource, error)
	// UpdateIdentitySource is compare-and-swap; what fn returns must pass
	// ic.IdentitySource.Validate (errs.Invalid otherwise). Changing the
	// type, or the external identity provider's entity ID, changes how
	// people sign in, so in the same transaction it ends every portal
	// session and SSO-OIDC token and denies device authorizations that
	// were approved but not yet redeemed. As AWS does when switching
	// between its own directory and an external identity provider, it
	// keeps every user, group, membership, assignment and password: after a
	// switch to an external provider, a user signs in only if the
	// provider's NameID matches their user name; after a switch back, users
	// with a password sign in with it again, and those without one need a
	// password set (keyward admin set-password). Only an external source
	// provisions, so Provisioning is off for the directory.
	// Action: "identitycenter.identity_source.update".
	UpdateIdentitySource(ctx context.Context, fn func(ic.IdentitySource) (ic.IdentitySource, error)) (ic.IdentitySource, error)
}

// RateLimits count attempts in fixed windows shared by every replica.
type RateLimits interface {
	// Allow counts one attempt against key in the window containing now and
	// reports whether the count is still within limit.
	Allow(ctx context.Context, key string, window time.Duration, limit int) (bool, error)
	// Hit counts one attempt like Allow and returns the window's count
	// (this attempt included) and when the window ends, for APIs that
	// report their quota (Okta's X-Rate-Limit-* headers).
	Hit(ctx context.Context, key string, window time.Duration) (int, time.Time, error)
	// Count returns how many attempts key has in the window containing now
	// and the window before it (so a count never drops to nothing at a
	// window's edge), counting none.
	Count(ctx context.Context, key string, window time.Duration) (int, error)
}

// EventQuery selects events for the system log API. Zero times are no
// bound.
type EventQuery struct {
	Since time.Time // events published at or after Since
	Until time.Time // events published before Until
	// Ascending lists oldest first (Okta's default), otherwise newest
	// first. Order is Seq order, which is the order events were written.
	Ascending bool
	// AfterSeq, when above 0, starts the list after the event with this
	// Seq in the list's direction, instead of at Page.Token: a caller that
	// stops partway through a page resumes from the last event it used.
	AfterSeq int64
	Page     Page
}

// Events is the system log: a hash chain of events (see audit.Verifier).
// Every write assigns the event Seq (the newest Seq + 1, dense from 1),
// PrevHash and Hash in the transaction that writes it, so the chain stays
// whole under concurrent writers.
type Events interface {
	// AppendEvent writes an event that accompanies no state change (a denial,
	// a failed sign-in). The store sets ID, Time, Seq, PrevHash and Hash.
	AppendEvent(ctx context.Context, e audit.Event) error
	// ListEvents pages events newest first.
	ListEvents(ctx context.Context, p Page) ([]audit.Event, string, error)
	// EventsAfter returns up to limit (at least 1) events with Seq above
	// afterSeq, oldest first: the log in chain order, for verification.
	EventsAfter(ctx context.Context, afterSeq int64, limit int) ([]audit.Event, error)
	// QueryEvents pages the events q selects.
	QueryEvents(ctx context.Context, q EventQuery) ([]audit.Event, string, error)
}

// Housekeeping removes what has expired.
type Housekeeping interface {
	// Purge deletes spent and expired tokens, refresh-rotation records past
	// their refresh expiry, expired portal sessions, ended rate-limit
	// windows, device authorizations a day past expiry and the identity
	// provider's expired sessions, one-time links and API tokens, and
	// reports how many rows went. Reads already treat all of these as gone; Purge only
	// keeps the database from growing. It writes no event.
	// It also deletes expired one-time keys.
	Purge(ctx context.Context) (int64, error)
}

// SCIMTokens are the access tokens of Identity Center's SCIM endpoint,
// stored by the hash of their secret.
type SCIMTokens interface {
	// CreateSCIMToken stores t. With ic.MaxSCIMTokens live (unexpired)
	// tokens already stored it is errs.Conflict (ResourceSCIMToken).
	// Action: "identitycenter.scim.token.create".
	CreateSCIMToken(ctx context.Context, t ic.SCIMToken) error
	// SCIMTokens lists every token, expired or not, oldest first.
	SCIMTokens(ctx context.Context) ([]ic.SCIMToken, error)
	// SCIMTokenByHash finds a live token; an expired one is errs.NotFound.
	SCIMTokenByHash(ctx context.Context, hash string) (ic.SCIMToken, error)
	// TouchSCIMToken records a use at now (LastUsed never moves back). It
	// writes no event.
	TouchSCIMToken(ctx context.Context, id string, now time.Time) error
	// DeleteSCIMToken: a missing one is errs.NotFound.
	// Action: "identitycenter.scim.token.delete".
	DeleteSCIMToken(ctx context.Context, id string) error
	// DeleteSCIMTokens deletes every token (provisioning switched off),
	// writing one delete event per token.
	DeleteSCIMTokens(ctx context.Context) error
}

// OneTimeKeys remember keys that may be used once before they expire: a
// SAML AuthnRequest id awaiting its response, an assertion id (a replay
// cache), a JWT's jti. Keys are opaque to the store; callers prefix them
// with what they are for. They accompany no state change a person made, so
// they write no event.
type OneTimeKeys interface {
	// RememberKey stores key until expires. A key already remembered and
	// not expired is errs.Conflict (FieldID); an expired one is replaced.
	RememberKey(ctx context.Context, key string, expires time.Time) error
	// ConsumeKey deletes key; a key never remembered, already consumed or
	// expired is errs.NotFound.
	ConsumeKey(ctx context.Context, key string) error
}

// Common is what every side of keyward needs from its store.
type Common interface {
	RateLimits
	Events
	Housekeeping
	OneTimeKeys
	// Ping checks the backend is reachable (for /readyz).
	Ping(ctx context.Context) error
	Close() error
}

// AWS is the AWS side's contract: the organization, Identity Center's
// directory, permission sets and assignments, sign-in to the portal, and
// IAM's roles and policies.
type AWS interface {
	Common
	Org
	Accounts
	AccessKeys
	Users
	Groups
	Memberships
	PermissionSets
	Assignments
	SSOAdmin
	Entitlements
	Passwords
	PortalSessions
	OIDC
	SCIMTokens
	IdentitySources
	IAMRoles
	IAMPolicies
	Organizations
	IAMUsers
	IAMProviders
}
