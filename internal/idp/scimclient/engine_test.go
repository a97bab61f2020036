package scimclient

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// team creates users with logins, in groups, and assigns them to the app.
func (w *world) team(t *testing.T, names []string, groupIDs ...string) []directory.User {
	t.Helper()
	var out []directory.User
	for _, l := range names {
		u := w.user(t, l, groupIDs...)
		w.apps.assign(testApp, u.ID)
		out = append(out, u)
	}
	return out
}

func lower(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = strings.ToLower(x)
	}
	slices.Sort(out)
	return out
}

func (w *world) members(t *testing.T, groupName string) []string {
	t.Helper()
	g, ok := w.scim.groupByName(groupName)
	if !ok {
		t.Fatalf("group %s is not at the target", groupName)
	}
	return w.scim.memberNames(g.ID)
}

func TestFullPushConvergesAgainstAHostileTarget(t *testing.T) {
	w := newWorld(t)
	eng, ops := w.group(t, "Engineering"), w.group(t, "Operations")
	engineers := logins("eng", 60)
	operators := logins("ops", 15)
	w.team(t, engineers, eng.ID)
	w.team(t, operators, ops.ID, eng.ID)
	w.user(t, "unassigned@example.com", eng.ID) // a member not assigned to the app stays out
	w.apps.push(testApp, eng.ID, ops.ID)
	w.scim.set(func() { w.scim.chaos = true })
	w.settle(t)
	w.scim.set(func() { w.scim.chaos = false })

	all := append(slices.Clone(engineers), operators...)
	w.eachOnce(t, all...)
	if diff := gocmp.Diff(lower(all), w.members(t, "Engineering")); diff != "" {
		t.Errorf("Engineering's members (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff(lower(operators), w.members(t, "Operations")); diff != "" {
		t.Errorf("Operations' members (-want +got):\n%s", diff)
	}
	w.scim.set(func() {
		t.Logf("faults met: %v", w.scim.faults)
		for _, f := range []fault{throttle, serverError, dropBefore, dropAfter, slowAfter} {
			if w.scim.faults[f] == 0 {
				t.Errorf("the target never used fault %d: the test proves less than it claims", f)
			}
		}
	})
	w.noDrift(t)
}

func TestEachDirectoryChangeReachesTheTarget(t *testing.T) {
	w := newWorld(t)
	eng := w.group(t, "Engineering")
	users := w.team(t, []string{"alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"}, eng.ID)
	alice, bob, carol, dave := users[0], users[1], users[2], users[3]
	w.apps.push(testApp, eng.ID)
	w.settle(t)

	steps := []struct {
		name  string
		do    func(t *testing.T)
		check func(t *testing.T)
	}{
		{"a renamed group is renamed at the target", func(t *testing.T) {
			_, err := w.st.UpdateGroup(w.ctx, eng.ID, func(g directory.Group) (directory.Group, error) {
				g.Name = "Platform Engineering"
				return g, nil
			})
			must(t, err)
		}, func(t *testing.T) {
			if _, ok := w.scim.groupByName("Platform Engineering"); !ok {
				t.Error("the group was not renamed")
			}
		}},
		{"a changed department and login reach the user", func(t *testing.T) {
			_, err := w.st.UpdateUser(w.ctx, alice.ID, "user.account.update_profile", func(u directory.User) (directory.User, error) {
				u.Profile = u.Profile.Merge(directory.Profile{"department": "Security", "login": "alice.smith@example.com"})
				return u, nil
			})
			must(t, err)
		}, func(t *testing.T) {
			u, ok := w.scim.userByName("alice.smith@example.com")
			if !ok || u.Enterprise == nil || u.Enterprise.Department != "Security" || u.ExternalID != alice.ID {
				t.Errorf("alice at the target = %+v, %v", u, ok)
			}
		}},
		{"a member removed at the identity provider leaves the group", func(t *testing.T) {
			_, err := w.st.RemoveMember(w.ctx, eng.ID, bob.ID)
			must(t, err)
		}, func(t *testing.T) {
			want := []string{"alice.smith@example.com", "carol@example.com", "dave@example.com"}
			if diff := gocmp.Diff(want, w.members(t, "Platform Engineering")); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		}},
		{"a suspended user is deactivated and stays a member", func(t *testing.T) {
			_, err := w.st.UpdateUser(w.ctx, carol.ID, "user.lifecycle.suspend", func(u directory.User) (directory.User, error) {
				u.Status = directory.Suspended
				return u, nil
			})
			must(t, err)
		}, func(t *testing.T) {
			if u, _ := w.scim.userByName("carol@example.com"); u.Active {
				t.Error("carol is still active at the target")
			}
		}},
		{"a suspended user's new title reaches the target, still inactive", func(t *testing.T) {
			_, err := w.st.UpdateUser(w.ctx, carol.ID, "user.account.update_profile", func(u directory.User) (directory.User, error) {
				u.Profile = u.Profile.Merge(directory.Profile{"title": "On leave"})
				return u, nil
			})
			must(t, err)
		}, func(t *testing.T) {
			if u, _ := w.scim.userByName("carol@example.com"); u.Active || u.Title != "On leave" {
				t.Errorf("carol at the target = %+v", u)
			}
		}},
		{"a deleted user is deleted at the target", func(t *testing.T) {
			must(t, w.st.DeleteUser(w.ctx, dave.ID))
		}, func(t *testing.T) {
			if _, ok := w.scim.userByName("dave@example.com"); ok {
				t.Error("dave is still at the target")
			}
		}},
		{"an unassigned user is deactivated and leaves the pushed groups on resync", func(t *testing.T) {
			w.apps.unassign(testApp, alice.ID)
			must(t, w.eng.Resync(w.ctx, testApp))
		}, func(t *testing.T) {
			if u, _ := w.scim.userByName("alice.smith@example.com"); u.Active {
				t.Error("alice is still active at the target")
			}
			if diff := gocmp.Diff([]string{"carol@example.com"}, w.members(t, "Platform Engineering")); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.do(t)
			w.settle(t)
			s.check(t)
			w.noDrift(t)
		})
	}
	w.eachOnce(t, "alice.smith@example.com", "bob@example.com", "carol@example.com")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestExistingUsersAndGroupsAreAdoptedOn409(t *testing.T) {
	w := newWorld(t)
	w.scim.set(func() {
		w.scim.users["pre-1"] = User{ID: "pre-1", UserName: "ALICE@example.com", DisplayName: "Old", Name: Name{GivenName: "A", FamilyName: "B"}}
		w.scim.groups["pre-g"] = Group{ID: "pre-g", DisplayName: "engineering"}
		w.scim.members["pre-g"] = map[string]bool{}
	})
	eng := w.group(t, "Engineering")
	alice := w.team(t, []string{"alice@example.com"}, eng.ID)[0]
	w.apps.push(testApp, eng.ID)
	w.settle(t)

	u, _ := w.scim.userByName("alice@example.com")
	if u.ID != "pre-1" || u.ExternalID != alice.ID || u.DisplayName != "First Last alice@example.com" {
		t.Errorf("alice was not adopted and updated: %+v", u)
	}
	g, _ := w.scim.groupByName("Engineering")
	if g.ID != "pre-g" || g.ExternalID != eng.ID || g.DisplayName != "Engineering" {
		t.Errorf("the group was not adopted and updated: %+v", g)
	}
	w.eachOnce(t, "alice@example.com")
	w.noDrift(t)
}

func TestThrottlingHonoursRetryAfterAndPermanentFailuresAreReported(t *testing.T) {
	w := newWorld(t)
	throttled := false
	w.scim.hook = func(r *http.Request, body []byte) (int, string) {
		if r.Method != http.MethodPost {
			return 0, ""
		}
		if !throttled {
			throttled = true
			return 429, "Rate exceeded"
		}
		if strings.Contains(string(body), "bad@") {
			return 400, "1 validation error detected: Value at 'userName' failed to satisfy constraint"
		}
		return 0, ""
	}
	good := w.team(t, []string{"good@example.com"})[0]
	bad := w.team(t, []string{"bad@example.com"})[0]
	_ = good
	for range 3 {
		must(t, w.eng.Step(w.ctx))
	}
	if !slices.Contains(w.sleeps.all(), 7*time.Second) {
		t.Errorf("the client's waits %v do not include the Retry-After of 7s", w.sleeps.all())
	}
	w.eachOnce(t, "good@example.com")
	st, err := Status(w.ctx, w.apps, w.st, testApp)
	must(t, err)
	want := AppStatus{AppID: testApp, Label: "AWS IAM Identity Center", Enabled: true, Target: w.srv.URL + "/scim/v2",
		Started: true, LastPush: w.clk.Now(), Pending: 1, Failures: []Failure{{Kind: store.ProvisionUser, ObjectID: bad.ID,
			Attempts: 1, Permanent: true,
			Message: "SCIM target answered 400: 1 validation error detected: Value at 'userName' failed to satisfy constraint"}}}
	if diff := gocmp.Diff(want, st); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}
	all, err := Statuses(w.ctx, w.apps, w.st)
	must(t, err)
	if len(all) != 1 || all[0].Pending != 1 {
		t.Errorf("statuses = %+v", all)
	}

	t.Run("a change to the app retries what failed for good", func(t *testing.T) {
		w.scim.set(func() { w.scim.hook = nil }) // the administrator fixed the target
		must(t, w.eng.Step(w.ctx))
		w.eachOnce(t, "good@example.com")
		_, err := w.eng.route(w.ctx, testApp, []directory.Change{{Seq: 99, Kind: directory.AppChanged, AppID: testApp}})
		must(t, err)
		must(t, w.eng.Step(w.ctx))
		w.eachOnce(t, "good@example.com", "bad@example.com")
	})
}

// A fix made while the push it fixes is being refused reaches the target
// on the next round, even when another replica followed the feed to it
// (so this one's next Sync does not queue it again).
func TestAChangeQueuedDuringAFailingPushIsPushedAtOnce(t *testing.T) {
	w := newWorld(t)
	bad := w.team(t, []string{"bad@example.com"})[0]
	must(t, w.eng.Sync(w.ctx))
	other := w.newEngine("replica-b")
	w.scim.hook = func(r *http.Request, body []byte) (int, string) {
		if r.Method != http.MethodPost || !strings.Contains(string(body), `"userName":"bad@`) {
			return 0, ""
		}
		_, err := w.st.UpdateUser(w.ctx, bad.ID, "user.account.update_profile", func(u directory.User) (directory.User, error) {
			u.Profile["login"], u.Profile["email"] = "fixed@example.com", "fixed@example.com"
			return u, nil
		})
		if err := errors.Join(err, other.Sync(w.ctx)); err != nil {
			t.Errorf("fixing the user meanwhile: %v", err)
		}
		return 400, "1 validation error detected: Value at 'userName' failed to satisfy constraint"
	}
	must(t, w.eng.Drain(w.ctx))
	w.clk.Advance(time.Second)
	must(t, w.eng.Step(w.ctx))
	w.eachOnce(t, "fixed@example.com")
	st, err := w.st.ProvisionStatus(w.ctx, testApp)
	must(t, err)
	if st.Pending != 0 {
		t.Errorf("pending %d, failures %+v; want nothing pending", st.Pending, st.Failures)
	}
}

func TestGroupMembershipIsPushedInChunksOfAtMost100(t *testing.T) {
	w := newWorld(t)
	big := w.group(t, "Everyone")
	w.team(t, logins("p", 250), big.ID)
	w.apps.push(testApp, big.ID)
	w.settle(t)

	if got := len(w.members(t, "Everyone")); got != 250 {
		t.Fatalf("the group has %d members at the target, want 250", got)
	}
	var adds []int
	for _, p := range w.scim.patches {
		for _, op := range p.ops {
			if strings.HasPrefix(op, "replace members") || op == "remove members" {
				t.Errorf("a PATCH replaced or removed all members: %v", p.ops)
			}
		}
		if p.adds+p.removes > 100 {
			t.Errorf("a PATCH changed %d members", p.adds+p.removes)
		}
		if p.adds > 0 {
			adds = append(adds, p.adds)
		}
	}
	slices.Sort(adds)
	if diff := gocmp.Diff([]int{50, 100, 100}, adds); diff != "" {
		t.Errorf("member-add PATCH sizes (-want +got):\n%s", diff)
	}
}

func TestOutboxAndMappingSurviveARestartWithoutDuplicates(t *testing.T) {
	w := newWorld(t)
	names := logins("u", 60)
	w.team(t, names)
	ctx, kill := context.WithCancel(w.ctx)
	w.scim.set(func() {
		w.scim.after = func(r *http.Request) {
			if r.Method == http.MethodPost && w.scim.userNames() != nil && len(w.scim.userNames()) >= 20 {
				kill() // the process dies with pushes in flight: their answers are lost
			}
		}
	})
	must(t, w.eng.Sync(w.ctx))
	_ = w.eng.Drain(ctx)
	w.scim.set(func() { w.scim.after = nil })
	must(t, w.db.Close())

	w.open(t)
	st, err := w.st.ProvisionStatus(w.ctx, testApp)
	must(t, err)
	mapped, err := w.st.ListProvisionTargets(w.ctx, testApp, store.ProvisionUser)
	must(t, err)
	if st.Pending == 0 || len(mapped) == 0 || len(mapped) == 60 {
		t.Fatalf("after the crash %d items are pending and %d users mapped, want some pending and some but not all mapped",
			st.Pending, len(mapped))
	}
	// The restarted replica takes back its own leases at once.
	must(t, w.eng.Step(w.ctx))
	if st, err := w.st.ProvisionStatus(w.ctx, testApp); err != nil || st.Pending != 0 {
		t.Fatalf("after one round of the restarted engine: %+v, %v", st, err)
	}
	w.eachOnce(t, names...)
	if got := w.scim.creates["Users"]; got != 60 {
		t.Errorf("the target saw %d user creations, want 60", got)
	}
	w.noDrift(t)
}

func TestTwoReplicasNeverPushTheSameItemAtOnce(t *testing.T) {
	w := newWorld(t)
	names := logins("r", 40)
	w.team(t, names)
	must(t, w.eng.Sync(w.ctx))
	other := w.newEngine("replica-b")
	var wg sync.WaitGroup
	for _, e := range []*Engine{w.eng, other} {
		wg.Go(func() { must(t, e.Drain(w.ctx)) })
	}
	wg.Wait()
	w.eachOnce(t, names...)
	if got := w.scim.creates["Users"]; got != 40 {
		t.Errorf("the target saw %d user creations, want 40", got)
	}
}

func TestProvisioningStartsWhenEnabledAndStopsWhenDisabled(t *testing.T) {
	w := newWorld(t)
	app := w.apps.apps[testApp]
	app.Provisioning.Enabled = false
	w.apps.apps[testApp] = app
	w.team(t, []string{"early@example.com"})
	must(t, w.eng.Step(w.ctx))
	w.eachOnce(t)
	if _, err := w.st.ProvisionState(w.ctx, testApp); err == nil {
		t.Error("provisioning started while disabled")
	}
	app.Provisioning.Enabled = true
	w.apps.apps[testApp] = app
	w.settle(t)
	w.eachOnce(t, "early@example.com")

	app.Status = directory.AppInactive
	w.apps.apps[testApp] = app
	w.team(t, []string{"late@example.com"})
	must(t, w.eng.Step(w.ctx))
	w.eachOnce(t, "early@example.com")
	if _, err := w.st.ProvisionState(w.ctx, testApp); err == nil {
		t.Error("provisioning of an inactive app did not stop")
	}
}

func TestRunWakesOnAPokeWithoutWaitingForTheTicker(t *testing.T) {
	w := newWorld(t)
	w.eng.c.Tick = time.Hour
	ctx, stop := context.WithCancel(w.ctx)
	done := make(chan error)
	go func() { done <- w.eng.Run(ctx) }()
	waitFor(t, "provisioning to start", func() bool { _, err := w.st.ProvisionState(w.ctx, testApp); return err == nil })
	u := w.team(t, []string{"first@example.com"})[0]
	// The fake apps write no feed entry for the assignment: a profile
	// change makes one the engine routes to the app.
	_, err := w.st.UpdateUser(w.ctx, u.ID, "user.account.update_profile", func(u directory.User) (directory.User, error) {
		u.Profile = u.Profile.Merge(directory.Profile{"title": "Engineer"})
		return u, nil
	})
	must(t, err)
	w.eng.Poke()
	waitFor(t, "the user to reach the target", func() bool { return len(w.scim.userNames()) == 1 })
	stop()
	must(t, <-done)
	w.eachOnce(t, "first@example.com")
}

// waitFor polls cond for up to 10 s; the bound only stops a hung test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// deleteAtTarget deletes the user at the target with its memberships, as
// an administrator does in the AWS console.
func (w *world) deleteAtTarget(login string) {
	gone, _ := w.scim.userByName(login)
	w.scim.set(func() {
		delete(w.scim.users, gone.ID)
		for _, m := range w.scim.members {
			delete(m, gone.ID)
		}
	})
}

// A user deleted at the target by someone else is created again on its
// next change, and put back in the pushed groups it was in: the record of
// its pushed memberships went with it.
func TestAUserDeletedAtTheTargetComesBackInItsGroups(t *testing.T) {
	w := newWorld(t)
	eng := w.group(t, "Engineering")
	alice := w.team(t, []string{"alice@example.com", "bob@example.com"}, eng.ID)[0]
	w.apps.push(testApp, eng.ID)
	w.settle(t)

	w.deleteAtTarget("alice@example.com")
	_, err := w.st.UpdateUser(w.ctx, alice.ID, "user.account.update_profile", func(u directory.User) (directory.User, error) {
		u.Profile = u.Profile.Merge(directory.Profile{"title": "Staff Engineer"})
		return u, nil
	})
	must(t, err)
	w.settle(t)

	if u, ok := w.scim.userByName("alice@example.com"); !ok || u.Title != "Staff Engineer" {
		t.Fatalf("alice at the target = %+v, %v", u, ok)
	}
	if diff := gocmp.Diff([]string{"alice@example.com", "bob@example.com"}, w.members(t, "Engineering")); diff != "" {
		t.Errorf("Engineering's members (-want +got):\n%s", diff)
	}
	w.noDrift(t)
}

// A group pushed while one of its members is gone from the target (an
// administrator deleted them there, and they have not changed since) does
// not fail for good: the target refuses the stale member (keyward's AWS
// side: 400 ValidationException, `member "..." is not a user`), so the
// push creates the member again and retries, and the member's own push
// puts them back in their other pushed groups.
func TestAGroupPushedWithAMemberDeletedAtTheTargetBringsTheMemberBack(t *testing.T) {
	w := newWorld(t)
	eng, ops := w.group(t, "Engineering"), w.group(t, "Operations")
	alice := w.user(t, "alice@example.com", eng.ID, ops.ID)
	bob := w.user(t, "bob@example.com", eng.ID)
	w.apps.assign(testApp, alice.ID, bob.ID)
	w.apps.push(testApp, eng.ID)
	w.settle(t)

	w.deleteAtTarget("alice@example.com")
	// Operations is pushed to the app: the feed queues the group alone.
	w.apps.push(testApp, ops.ID)
	keys, err := w.eng.route(w.ctx, testApp, []directory.Change{{Seq: 99, Kind: directory.AppGroupPushed, AppID: testApp, GroupID: ops.ID}})
	must(t, err)
	must(t, w.st.Enqueue(w.ctx, keys))
	for range 3 { // the next push cycles
		must(t, w.eng.Step(w.ctx))
		w.clk.Advance(11 * time.Minute)
	}

	st, err := Status(w.ctx, w.apps, w.st, testApp)
	must(t, err)
	if st.Pending != 0 || len(st.Failures) != 0 {
		t.Errorf("pending %d, failures %+v; want nothing pending nor failed", st.Pending, st.Failures)
	}
	if diff := gocmp.Diff([]string{"alice@example.com"}, w.members(t, "Operations")); diff != "" {
		t.Errorf("Operations' members (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff([]string{"alice@example.com", "bob@example.com"}, w.members(t, "Engineering")); diff != "" {
		t.Errorf("Engineering's members (-want +got):\n%s", diff)
	}
	w.eachOnce(t, "alice@example.com", "bob@example.com")
	w.noDrift(t)
}

// A member PATCH refused for another reason, every member being at the
// target, stays the group's failure, with the target's words, after one
// PATCH: the recovery above neither hides it nor loops.
func TestARefusedMemberPatchWithNoStaleMemberStaysAFailure(t *testing.T) {
	w := newWorld(t)
	eng := w.group(t, "Engineering")
	w.team(t, []string{"alice@example.com"}, eng.ID)
	w.apps.push(testApp, eng.ID)
	patches := 0
	w.scim.hook = func(r *http.Request, body []byte) (int, string) {
		if r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/scim/v2/Groups/") {
			patches++
			return 400, "Request is unparsable, syntactically incorrect, or violates schema."
		}
		return 0, ""
	}
	for range 3 {
		must(t, w.eng.Step(w.ctx))
		w.clk.Advance(11 * time.Minute)
	}
	st, err := Status(w.ctx, w.apps, w.st, testApp)
	must(t, err)
	want := []Failure{{Kind: store.ProvisionGroup, ObjectID: eng.ID, Attempts: 1, Permanent: true,
		Message: "SCIM target answered 400: Request is unparsable, syntactically incorrect, or violates schema."}}
	if diff := gocmp.Diff(want, st.Failures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	w.scim.set(func() {
		if patches != 1 {
			t.Errorf("the target saw %d member PATCHes, want 1", patches)
		}
	})
	w.eachOnce(t, "alice@example.com")
}

// A Retry-After longer than the client's longest wait is not slept out
// inside the push: that would hold the item past its lease (another
// replica then pushes it too) and hold up every other item of the round.
// The item is tried again once the time asked for has passed.
func TestALongRetryAfterPostponesTheItemInsteadOfSleepingPastItsLease(t *testing.T) {
	w := newWorld(t)
	w.scim.retryAfter = "180"
	throttled := true
	w.scim.hook = func(r *http.Request, _ []byte) (int, string) {
		if throttled && r.Method == http.MethodPost {
			return 429, "Rate exceeded"
		}
		return 0, ""
	}
	alice := w.team(t, []string{"alice@example.com"})[0]
	must(t, w.eng.Step(w.ctx))
	for _, d := range w.sleeps.all() {
		if d >= time.Minute {
			t.Errorf("the client waited %v within the push (lease %v)", d, w.eng.c.Lease)
		}
	}
	st, err := Status(w.ctx, w.apps, w.st, testApp)
	must(t, err)
	if len(st.Failures) != 1 || st.Failures[0].ObjectID != alice.ID || st.Failures[0].Permanent ||
		!st.Failures[0].NextAttempt.Equal(w.clk.Now().Add(180*time.Second)) {
		t.Fatalf("failures %+v, want alice's, retried at %v", st.Failures, w.clk.Now().Add(180*time.Second))
	}
	w.scim.set(func() { throttled = false })
	w.clk.Advance(179 * time.Second)
	must(t, w.eng.Step(w.ctx))
	w.eachOnce(t)
	w.clk.Advance(time.Second)
	must(t, w.eng.Step(w.ctx))
	w.eachOnce(t, "alice@example.com")
}

// A target that keeps failing is not asked about every queued item in
// turn, each with the client's retries: once a push of the round failed
// at the target (5xx, 429, network), the app's other items of that round
// wait their backoff without a request.
func TestATargetThatKeepsFailingIsNotAskedAboutEveryItem(t *testing.T) {
	w := newWorld(t)
	w.eng.c.Workers = 2
	requests, down := 0, true
	w.scim.hook = func(*http.Request, []byte) (int, string) {
		requests++
		if down {
			return 503, "Service Unavailable"
		}
		return 0, ""
	}
	people := logins("p", 40)
	w.team(t, people)
	must(t, w.eng.Step(w.ctx))
	var got int
	w.scim.set(func() { got = requests })
	// Each of the 2 workers may have started one more item before the
	// first failure was known: 4 items of 4 tries at most, not 40 of 4.
	if got > 4*4 {
		t.Errorf("the failing target got %d requests in one round", got)
	}
	st, err := Status(w.ctx, w.apps, w.st, testApp)
	must(t, err)
	if st.Pending != 40 || len(st.Failures) != 40 {
		t.Fatalf("pending %d, failures %d; want all 40 waiting", st.Pending, len(st.Failures))
	}
	for _, f := range st.Failures {
		if f.Permanent || !f.NextAttempt.After(w.clk.Now()) {
			t.Fatalf("failure %+v: want a retry later", f)
		}
	}
	w.scim.set(func() { down = false })
	w.settle(t)
	w.eachOnce(t, people...)
}
