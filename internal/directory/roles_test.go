package directory

import "testing"

func TestRolesAllowWhatOktaAllowsThem(t *testing.T) {
	contractors := []string{"00gContractors"}
	carol := []Role{{Type: UserAdmin, Targets: contractors}}
	cases := []struct {
		name   string
		roles  []Role
		action Action
		scope  Scope
		want   bool
	}{
		{"a super administrator may do anything", []Role{{Type: SuperAdmin}}, ManageRoles, Scope{TargetIsAdmin: true}, true},
		{"an org administrator manages another administrator", []Role{{Type: OrgAdmin}}, ManageUsers, Scope{TargetIsAdmin: true}, true},
		{"an org administrator may not manage a super administrator", []Role{{Type: OrgAdmin}}, ManageCredentials, Scope{TargetIsAdmin: true, TargetIsSuperAdmin: true}, false},
		{"an org administrator reads a super administrator", []Role{{Type: OrgAdmin}}, ReadDirectory, Scope{TargetIsAdmin: true, TargetIsSuperAdmin: true}, true},
		{"a group administrator manages a member of a target group", carol, ManageUsers, Scope{Groups: []string{"00gOther", "00gContractors"}}, true},
		{"a group administrator may not manage someone outside the targets", carol, ManageUsers, Scope{Groups: []string{"00gEngineering"}}, false},
		{"a group administrator may not manage someone in no group", carol, ManageUsers, Scope{}, false},
		{"a group administrator may not manage an administrator", carol, ManageUsers, Scope{Groups: contractors, TargetIsAdmin: true}, false},
		{"a group administrator may not create groups", carol, ManageGroups, Scope{OrgWide: true}, false},
		{"an untargeted group administrator may not act org-wide on a targeted action", carol, ManageUsers, Scope{OrgWide: true}, false},
		{"an untargeted group administrator manages anyone who is not an administrator", []Role{{Type: UserAdmin}}, ManageUsers, Scope{OrgWide: true}, true},
		{"a group administrator reads everything", carol, ReadDirectory, Scope{}, true},
		{"a group administrator does not read the log", carol, ReadLog, Scope{}, false},
		{"a read-only administrator reads the log", []Role{{Type: ReadOnlyAdmin}}, ReadLog, Scope{}, true},
		{"a read-only administrator changes nothing", []Role{{Type: ReadOnlyAdmin}}, ManageMembers, Scope{Groups: contractors}, false},
		{"a membership administrator manages members of its groups", []Role{{Type: GroupMembershipAdmin, Targets: contractors}}, ManageMembers, Scope{Groups: contractors}, true},
		{"a membership administrator does not suspend people", []Role{{Type: GroupMembershipAdmin}}, ManageUsers, Scope{Groups: contractors}, false},
		{"a help desk administrator resets credentials", []Role{{Type: HelpDeskAdmin}}, ManageCredentials, Scope{Groups: contractors}, true},
		{"an application administrator manages apps", []Role{{Type: AppAdmin}}, ManageApps, Scope{OrgWide: true}, true},
		{"an org administrator manages apps", []Role{{Type: OrgAdmin}}, ManageApps, Scope{OrgWide: true}, true},
		{"an application administrator does not manage users", []Role{{Type: AppAdmin}}, ManageUsers, Scope{}, false},
		{"a group administrator does not manage apps", []Role{{Type: UserAdmin}}, ManageApps, Scope{OrgWide: true}, false},
		{"a read-only administrator does not manage apps", []Role{{Type: ReadOnlyAdmin}}, ManageApps, Scope{OrgWide: true}, false},
		{"someone with no role may do nothing", nil, ReadDirectory, Scope{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Allowed(c.roles, c.action, c.scope); got != c.want {
				t.Fatalf("Allowed = %v, want %v", got, c.want)
			}
		})
	}
}

func TestOnlySuperAndOrgAdministratorsGrantRoles(t *testing.T) {
	for _, c := range []struct {
		holder RoleType
		grant  RoleType
		want   bool
	}{
		{SuperAdmin, SuperAdmin, true}, {OrgAdmin, UserAdmin, true}, {OrgAdmin, SuperAdmin, false},
		{UserAdmin, ReadOnlyAdmin, false}, {ReadOnlyAdmin, ReadOnlyAdmin, false},
	} {
		if got := CanGrant([]Role{{Type: c.holder}}, c.grant); got != c.want {
			t.Errorf("%s granting %s: %v, want %v", c.holder, c.grant, got, c.want)
		}
	}
}
