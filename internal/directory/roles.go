package directory

import (
	"slices"
	"time"
)

// RoleType is a standard Okta administrator role.
type RoleType string

// The roles keyward has.
const (
	SuperAdmin           RoleType = "SUPER_ADMIN"
	OrgAdmin             RoleType = "ORG_ADMIN"
	AppAdmin             RoleType = "APP_ADMIN"
	UserAdmin            RoleType = "USER_ADMIN" // Okta labels it "Group Administrator"
	GroupMembershipAdmin RoleType = "GROUP_MEMBERSHIP_ADMIN"
	HelpDeskAdmin        RoleType = "HELP_DESK_ADMIN"
	ReadOnlyAdmin        RoleType = "READ_ONLY_ADMIN"
)

// roleLabels are Okta's labels, which also list the known roles.
var roleLabels = map[RoleType]string{
	SuperAdmin:           "Super Administrator",
	OrgAdmin:             "Organizational Administrator",
	AppAdmin:             "Application Administrator",
	UserAdmin:            "Group Administrator",
	GroupMembershipAdmin: "Group Membership Administrator",
	HelpDeskAdmin:        "Help Desk Administrator",
	ReadOnlyAdmin:        "Read-only Administrator",
}

// Label is the role's display label, or "" for an unknown role.
func (t RoleType) Label() string { return roleLabels[t] }

// Targetable reports whether the role can be limited to groups.
func (t RoleType) Targetable() bool {
	return t == UserAdmin || t == GroupMembershipAdmin || t == HelpDeskAdmin
}

// Role is a role assigned to a user. A targetable role with no Targets
// covers every group; with Targets it covers only the members of those
// groups (for group membership, only those groups).
type Role struct {
	ID          string
	UserID      string
	Type        RoleType
	Targets     []string // group ids
	Created     time.Time
	LastUpdated time.Time
}

// Action is what an administrator asks to do.
type Action string

// The actions the management API checks.
const (
	ReadDirectory     Action = "read"        // users, groups, members, factors, roles, schema
	ReadLog           Action = "log"         // the system log
	ManageUsers       Action = "users"       // create, update, lifecycle, delete
	ManageCredentials Action = "credentials" // reset password, unlock, expire password, reset factors, end sessions
	ManageGroups      Action = "groups"      // create, update, delete groups
	ManageMembers     Action = "members"     // add and remove group members
	ManageRoles       Action = "roles"       // assign and remove administrator roles
	ManageOrg         Action = "org"         // schema, policies, other people's API tokens
	ManageApps        Action = "apps"        // create, update, activate and delete apps; assign people and groups to them
)

// grants is what each role may do; scoped actions of targetable roles are
// further limited by Scope.
var grants = map[RoleType][]Action{
	OrgAdmin:             {ReadDirectory, ReadLog, ManageUsers, ManageCredentials, ManageGroups, ManageMembers, ManageRoles, ManageOrg, ManageApps},
	UserAdmin:            {ReadDirectory, ManageUsers, ManageCredentials, ManageMembers},
	GroupMembershipAdmin: {ReadDirectory, ManageMembers},
	HelpDeskAdmin:        {ReadDirectory, ManageCredentials},
	ReadOnlyAdmin:        {ReadDirectory, ReadLog},
	AppAdmin:             {ReadDirectory, ManageApps},
}

// Scope is what an action touches: the groups of the user it changes (or
// the group whose members change), and whether that user is an
// administrator. A zero Scope is org-wide.
type Scope struct {
	Groups        []string
	TargetIsAdmin bool
	// TargetIsSuperAdmin: only a super administrator may change one, else
	// an org administrator could take over the account and so the role.
	TargetIsSuperAdmin bool
	// OrgWide marks an action on no particular user or group (creating a
	// group, reading the log): only untargeted grants cover it.
	OrgWide bool
}

// Allowed reports whether holding roles permits action on scope. Super
// administrators may do anything. Only super and org administrators may
// act on another administrator, and only super administrators on a super
// administrator. A targeted role covers a user who is in
// one of its groups.
func Allowed(roles []Role, action Action, scope Scope) bool {
	for _, r := range roles {
		if r.Type == SuperAdmin {
			return true
		}
	}
	for _, r := range roles {
		if grantsAction(r, action, scope) {
			return true
		}
	}
	return false
}

func grantsAction(r Role, action Action, scope Scope) bool {
	if !slices.Contains(grants[r.Type], action) {
		return false
	}
	if action == ReadDirectory || action == ReadLog {
		return true
	}
	if r.Type == OrgAdmin {
		return !scope.TargetIsSuperAdmin
	}
	if scope.TargetIsAdmin {
		return false
	}
	if len(r.Targets) == 0 {
		return true
	}
	if scope.OrgWide {
		return false
	}
	for _, g := range scope.Groups {
		if slices.Contains(r.Targets, g) {
			return true
		}
	}
	return false
}

// CanGrant reports whether holding roles permits assigning or removing a
// role of type t: super administrators grant any role, org administrators
// any but super administrator, and nobody else grants roles.
func CanGrant(roles []Role, t RoleType) bool {
	for _, r := range roles {
		if r.Type == SuperAdmin || (r.Type == OrgAdmin && t != SuperAdmin) {
			return true
		}
	}
	return false
}

// IsAdmin reports whether roles hold any administrator role.
func IsAdmin(roles []Role) bool { return len(roles) > 0 }
