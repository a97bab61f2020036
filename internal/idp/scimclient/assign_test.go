package scimclient

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
)

// storeApp creates an AWS app in the store itself (assignments through
// groups included) pushing to the fake target, and an engine reading it.
func (w *world) storeApp(t *testing.T) (string, *Engine) {
	t.Helper()
	a, err := w.st.CreateApp(w.ctx, directory.App{Name: directory.AWSIdentityCenterApp, Label: "AWS IAM Identity Center",
		SignOnMode: directory.SAML2, Status: directory.AppActive,
		Provisioning: directory.Provisioning{Enabled: true, BaseURL: w.srv.URL + "/scim/v2",
			SealedToken: []byte("sealed:" + testToken)}})
	must(t, err)
	eng := w.newEngine("replica-a")
	eng.c.Apps = w.st
	return a.ID, eng
}

// settleApp is settle for an engine and app of the test's own.
func (w *world) settleApp(t *testing.T, eng *Engine, appID string) {
	t.Helper()
	for range 50 {
		if err := eng.Step(w.ctx); err != nil {
			t.Logf("step: %v", err)
		}
		st, err := w.st.ProvisionStatus(w.ctx, appID)
		if err == nil && st.Pending == 0 {
			return
		}
		w.clk.Advance(11 * time.Minute)
	}
	t.Fatalf("the outbox of %s did not drain", appID)
}

// twoAssigningGroups is storeApp with the groups AWS Users and AWS Admins
// assigned to it.
func (w *world) twoAssigningGroups(t *testing.T) (string, *Engine, directory.Group, directory.Group) {
	t.Helper()
	appID, eng := w.storeApp(t)
	users, admins := w.group(t, "AWS Users"), w.group(t, "AWS Admins")
	for _, g := range []directory.Group{users, admins} {
		_, err := w.st.AssignGroup(w.ctx, directory.AppGroup{AppID: appID, GroupID: g.ID})
		must(t, err)
	}
	return appID, eng, users, admins
}

// active reports whether login is at the target and active there.
func (w *world) active(login string) (at, active bool) {
	u, ok := w.scim.userByName(login)
	return ok, u.Active
}

func TestJoiningOrLeavingTheGroupThatAssignsTheAppReachesTheTarget(t *testing.T) {
	w := newWorld(t)
	appID, eng, users, admins := w.twoAssigningGroups(t)
	alice := w.user(t, "alice@example.com", users.ID)
	bob := w.user(t, "bob@example.com", users.ID, admins.ID)
	carol := w.user(t, "carol@example.com")
	w.settleApp(t, eng, appID)
	for _, l := range []string{"alice@example.com", "bob@example.com"} {
		if at, active := w.active(l); !at || !active {
			t.Fatalf("%s at the target %v, active %v; want an active user", l, at, active)
		}
	}

	_, err := w.st.AddMember(w.ctx, users.ID, carol.ID)
	must(t, err)
	_, err = w.st.RemoveMember(w.ctx, users.ID, alice.ID)
	must(t, err)
	_, err = w.st.RemoveMember(w.ctx, admins.ID, bob.ID) // still assigned through AWS Users
	must(t, err)
	w.settleApp(t, eng, appID)

	for _, c := range []struct {
		login      string
		at, active bool
	}{{"alice@example.com", true, false}, {"bob@example.com", true, true}, {"carol@example.com", true, true}} {
		if at, active := w.active(c.login); at != c.at || active != c.active {
			t.Errorf("%s at the target %v, active %v; want %v, %v", c.login, at, active, c.at, c.active)
		}
	}
}

func TestDeletingTheGroupThatAssignsTheAppDeactivatesItsMembers(t *testing.T) {
	w := newWorld(t)
	appID, eng, users, admins := w.twoAssigningGroups(t)
	w.user(t, "alice@example.com", users.ID)
	w.user(t, "bob@example.com", users.ID, admins.ID)
	w.settleApp(t, eng, appID)

	must(t, w.st.DeleteGroup(w.ctx, users.ID))
	w.settleApp(t, eng, appID)

	for _, c := range []struct {
		login      string
		at, active bool
	}{{"alice@example.com", true, false}, {"bob@example.com", true, true}} {
		if at, active := w.active(c.login); at != c.at || active != c.active {
			t.Errorf("%s at the target %v, active %v; want %v, %v", c.login, at, active, c.at, c.active)
		}
	}
}

func TestWhatChangedWhileTheAppWasInactiveReachesTheTargetWhenItIsActiveAgain(t *testing.T) {
	w := newWorld(t)
	appID, eng := w.storeApp(t)
	alice, bob := w.user(t, "alice@example.com"), w.user(t, "bob@example.com")
	for _, u := range []directory.User{alice, bob} {
		_, err := w.st.AssignUser(w.ctx, appID, u.ID)
		must(t, err)
	}
	w.settleApp(t, eng, appID)
	status := func(s directory.AppStatus) {
		_, err := w.st.UpdateApp(w.ctx, appID, "application.lifecycle.update", func(a directory.App) (directory.App, error) {
			a.Status = s
			return a, nil
		})
		must(t, err)
		must(t, eng.Step(w.ctx))
	}

	status(directory.AppInactive)
	must(t, w.st.UnassignUser(w.ctx, appID, alice.ID))
	must(t, w.st.DeleteUser(w.ctx, bob.ID))
	status(directory.AppActive)
	w.settleApp(t, eng, appID)

	if at, active := w.active("alice@example.com"); !at || active {
		t.Errorf("alice (unassigned meanwhile) at the target %v, active %v; want an inactive user", at, active)
	}
	if at, _ := w.active("bob@example.com"); at {
		t.Error("bob (deleted meanwhile) is still at the target")
	}
}
