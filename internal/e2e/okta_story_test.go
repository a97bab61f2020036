package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

// TestTheOktaSDKRunsTheDirectoryStory is issue 6's story through the real
// Okta SDK for Go: groups, a staged person activated by link, an active
// person with a password, memberships, q/filter/search, suspend and
// unsuspend, the lifecycle Okta refuses, a group administrator limited to
// Contractors, a read-only administrator, and deactivation ending a token.
func TestTheOktaSDKRunsTheDirectoryStory(t *testing.T) {
	s := start(t)
	admin := s.oktaAdmin()
	ctx := context.Background()

	eng := must2[*okta.Group](t, "create Engineering")(admin.GroupAPI.CreateGroup(ctx).Group(newGroup("Engineering", "Builds things")).Execute())
	con := must2[*okta.Group](t, "create Contractors")(admin.GroupAPI.CreateGroup(ctx).Group(newGroup("Contractors", "Outside help")).Execute())

	alice := must2[*okta.User](t, "create alice staged")(admin.UserAPI.CreateUser(ctx).
		Body(newPerson("alice@example.com", "Alice", "Liddell", eng.GetId())).Activate(false).Execute())
	fatalIf(t, statusOf(alice) != "STAGED", "alice is %s, want STAGED", statusOf(alice))
	act := must2[*okta.UserActivationToken](t, "activate alice")(admin.UserAPI.ActivateUser(ctx, alice.GetId()).SendEmail(false).Execute())
	fatalIf(t, !strings.HasPrefix(act.GetActivationUrl(), admin.orgURL+"/welcome/") || act.GetActivationToken() == "",
		"activation = %q / %q, want a one-time link under %s/welcome/", act.GetActivationUrl(), act.GetActivationToken(), admin.orgURL)
	byLogin := must2[*okta.UserGetSingleton](t, "get alice by login")(admin.UserAPI.GetUser(ctx, "alice@example.com").Execute())
	fatalIf(t, byLogin.GetId() != alice.GetId() || statusOf(byLogin) != "PROVISIONED",
		"alice by login is %s (%s), want %s PROVISIONED", byLogin.GetId(), statusOf(byLogin), alice.GetId())

	bob := must2[*okta.User](t, "create bob")(admin.UserAPI.CreateUser(ctx).
		Body(withPassword(newPerson("bob@example.com", "Bob", "Builder", con.GetId()), "correct horse battery")).Execute())
	fatalIf(t, statusOf(bob) != "ACTIVE", "bob is %s, want ACTIVE", statusOf(bob))
	mustOK(t, "add bob to Engineering")(admin.GroupAPI.AssignUserToGroup(ctx, eng.GetId(), bob.GetId()).Execute())

	t.Run("q, filter and search find people as Okta does", func(t *testing.T) {
		search := must2[[]okta.User](t, "search")(admin.UserAPI.ListUsers(ctx).Search(`profile.lastName sw "lid"`).Execute())
		equal(t, "search lastName sw", []string{"alice@example.com"}, loginsOf(search))
		filter := must2[[]okta.User](t, "filter")(admin.UserAPI.ListUsers(ctx).Filter(`status eq "ACTIVE" and profile.email eq "bob@example.com"`).Execute())
		equal(t, "filter status and email", []string{"bob@example.com"}, loginsOf(filter))
		q := must2[[]okta.User](t, "q")(admin.UserAPI.ListUsers(ctx).Q("bo").Execute())
		equal(t, "q prefix", []string{"bob@example.com"}, loginsOf(q))
		members := must2[[]okta.GroupMember](t, "Engineering members")(admin.GroupAPI.ListGroupUsers(ctx, eng.GetId()).Execute())
		var got []string
		for _, m := range members {
			got = append(got, m.Profile.GetLogin())
		}
		slices.Sort(got)
		equal(t, "Engineering members", []string{"alice@example.com", "bob@example.com"}, got)
		groups := must2[[]okta.Group](t, "bob's groups")(admin.UserAPI.ListUserGroups(ctx, bob.GetId()).Execute())
		equal(t, "bob's groups", 2, len(groups))
		_, resp, err := admin.UserAPI.ListUsers(ctx).Search(`profile.department co "Eng"`).Execute()
		wantOktaError(t, "co on department", resp, err, 400, "E0000001")
	})

	t.Run("suspend and unsuspend, and the transitions Okta refuses", func(t *testing.T) {
		mustOK(t, "suspend bob")(admin.UserAPI.SuspendUser(ctx, bob.GetId()).Execute())
		got := must2[*okta.UserGetSingleton](t, "get bob")(admin.UserAPI.GetUser(ctx, bob.GetId()).Execute())
		equal(t, "suspended", "SUSPENDED", statusOf(got))
		mustOK(t, "unsuspend bob")(admin.UserAPI.UnsuspendUser(ctx, bob.GetId()).Execute())
		got = must2[*okta.UserGetSingleton](t, "get bob")(admin.UserAPI.GetUser(ctx, bob.GetId()).Execute())
		equal(t, "unsuspended", "ACTIVE", statusOf(got))

		resp, err := admin.UserAPI.SuspendUser(ctx, alice.GetId()).Execute()
		wantOktaError(t, "suspend a provisioned user", resp, err, 400, "E0000001")
		_, resp, err = admin.UserAPI.ActivateUser(ctx, bob.GetId()).SendEmail(false).Execute()
		wantOktaError(t, "activate an active user", resp, err, 403, "E0000016")
		_, resp, err = admin.UserAPI.CreateUser(ctx).Body(newPerson("ALICE@example.com", "A", "L")).Execute()
		e := wantOktaError(t, "a login taken in another case", resp, err, 400, "E0000001")
		fatalIf(t, len(e.ErrorCauses) != 1 || !strings.HasPrefix(e.ErrorCauses[0].ErrorSummary, "login:"),
			"causes = %+v, want one about login", e.ErrorCauses)
		_, resp, err = admin.UserAPI.GetUser(ctx, "00uNoSuchUser000000").Execute()
		wantOktaError(t, "a missing user", resp, err, 404, "E0000007")
	})

	t.Run("a group administrator manages only Contractors and a read-only administrator changes nothing", func(t *testing.T) {
		carol := s.oktaPerson(admin, "carol@example.com", "Carol", "Chief", "USER_ADMIN")
		mustOK(t, "target Contractors")(admin.RoleTargetAPI.AssignGroupTargetToUserRole(ctx, carol.userID, carol.roleID, con.GetId()).Execute())
		mustOK(t, "carol suspends bob, a contractor")(carol.UserAPI.SuspendUser(ctx, bob.GetId()).Execute())
		mustOK(t, "carol unsuspends bob")(carol.UserAPI.UnsuspendUser(ctx, bob.GetId()).Execute())
		_, resp, err := carol.UserAPI.ReactivateUser(ctx, alice.GetId()).SendEmail(false).Execute()
		wantOktaError(t, "carol reactivates alice, not a contractor", resp, err, 403, "E0000006")
		_, resp, err = carol.GroupAPI.CreateGroup(ctx).Group(newGroup("Carol's", "")).Execute()
		wantOktaError(t, "carol creates a group", resp, err, 403, "E0000006")
		_, resp, err = carol.RoleAssignmentAPI.AssignRoleToUser(ctx, bob.GetId()).
			AssignRoleRequest(okta.AssignRoleRequest{Type: okta.PtrString("READ_ONLY_ADMIN")}).Execute()
		wantOktaError(t, "carol grants a role", resp, err, 403, "E0000006")

		dave := s.oktaPerson(admin, "dave@example.com", "Dave", "Reader", "READ_ONLY_ADMIN")
		all := must2[[]okta.User](t, "dave lists users")(dave.UserAPI.ListUsers(ctx).Execute())
		fatalIf(t, len(all) < 4, "dave sees %d users", len(all))
		resp, err = dave.UserAPI.SuspendUser(ctx, bob.GetId()).Execute()
		wantOktaError(t, "dave suspends bob", resp, err, 403, "E0000006")
		_, resp, err = dave.GroupAPI.CreateGroup(ctx).Group(newGroup("Dave's", "")).Execute()
		wantOktaError(t, "dave creates a group", resp, err, 403, "E0000006")

		mustOK(t, "deactivate carol")(admin.UserAPI.DeactivateUser(ctx, carol.userID).Execute())
		_, resp, err = carol.UserAPI.ListUsers(ctx).Execute()
		wantOktaError(t, "carol's token after she is deactivated", resp, err, 401, "E0000011")
	})

	t.Run("deactivating bob makes him DEPROVISIONED and a second delete removes him", func(t *testing.T) {
		mustOK(t, "deactivate bob")(admin.UserAPI.DeactivateUser(ctx, bob.GetId()).Execute())
		got := must2[*okta.UserGetSingleton](t, "get bob")(admin.UserAPI.GetUser(ctx, bob.GetId()).Execute())
		equal(t, "deactivated", "DEPROVISIONED", statusOf(got))
		listed := must2[[]okta.User](t, "list")(admin.UserAPI.ListUsers(ctx).Execute())
		fatalIf(t, slices.Contains(loginsOf(listed), "bob@example.com"), "a plain list shows deprovisioned bob")
		mustOK(t, "delete bob")(admin.UserAPI.DeleteUser(ctx, bob.GetId()).Execute())
		_, resp, err := admin.UserAPI.GetUser(ctx, bob.GetId()).Execute()
		wantOktaError(t, "bob after delete", resp, err, 404, "E0000007")
	})

	t.Run("every step is in the system log, whose chain verifies", func(t *testing.T) {
		for filter, want := range map[string]int{
			`eventType eq "user.lifecycle.suspend" and target.id eq "` + bob.GetId() + `"`:    2,
			`eventType eq "user.lifecycle.unsuspend" and target.id eq "` + bob.GetId() + `"`:  2,
			`eventType eq "user.lifecycle.deactivate" and target.id eq "` + bob.GetId() + `"`: 1,
			`eventType eq "user.lifecycle.activate" and target.id eq "` + alice.GetId() + `"`: 1,
			`eventType eq "group.user_membership.add" and target.id eq "` + bob.GetId() + `"`: 2,
			`eventType eq "core.user_auth.access_denied" and outcome.result eq "DENY"`:        5,
		} {
			if got := len(logTargets(t, admin, filter)); got < want {
				t.Errorf("%s: %d targets, want at least %d", filter, got, want)
			}
		}
		suspended := must2[[]okta.LogEvent](t, "suspensions")(admin.SystemLogAPI.ListLogEvents(ctx).
			Filter(`eventType eq "user.lifecycle.suspend"`).Execute())
		for _, e := range suspended {
			fatalIf(t, e.Transaction == nil || e.Transaction.GetId() == "", "a suspension carries no request id: %+v", e.Transaction)
		}
		_, resp, err := admin.SystemLogAPI.ListLogEvents(ctx).Filter(`eventType eq`).Execute()
		wantOktaError(t, "a bad log filter", resp, err, 400, "E0000001")
		out := s.runAdmin("events", "--verify")
		fatalIf(t, !strings.Contains(out, "the chain is unbroken"), "admin events --verify: %s", out)
	})
}

// logTargets lists the target ids of events matching filter.
func logTargets(t *testing.T, admin *oktaAdmin, filter string) []string {
	t.Helper()
	events := must2[[]okta.LogEvent](t, "logs "+filter)(admin.SystemLogAPI.ListLogEvents(context.Background()).Filter(filter).Execute())
	var out []string
	for _, e := range events {
		for _, target := range e.Target {
			out = append(out, target.GetId())
		}
	}
	return out
}

// oktaPerson is a person made an administrator, with their own token.
type oktaPerson struct {
	*okta.APIClient
	userID, roleID string
}

// oktaPerson creates an active person with role and an API token made by
// `keyward admin api-token create`, as an operator would.
func (s *server) oktaPerson(admin *oktaAdmin, login, first, last, role string) oktaPerson {
	s.t.Helper()
	ctx := context.Background()
	u := must2[*okta.User](s.t, "create "+login)(admin.UserAPI.CreateUser(ctx).
		Body(withPassword(newPerson(login, first, last), "a long passphrase 42")).Execute())
	r := must2[*okta.Role](s.t, "assign "+role)(admin.RoleAssignmentAPI.AssignRoleToUser(ctx, u.GetId()).
		AssignRoleRequest(okta.AssignRoleRequest{Type: okta.PtrString(role)}).Execute())
	token := strings.TrimSpace(s.runAdmin("api-token", "create", "--user", login, "--name", "test"))
	return oktaPerson{APIClient: admin.as(s.t, token), userID: u.GetId(), roleID: r.GetId()}
}
