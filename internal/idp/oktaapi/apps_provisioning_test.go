package oktaapi

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

func TestProvisioningStatusShowsLastPushPendingAndFailures(t *testing.T) {
	w := newAppWorld(t)
	id := w.must(200, "POST", "/api/v1/apps", awsBody)["id"].(string)
	path := "/api/v1/apps/" + id + "/provisioning"

	before := w.must(200, "GET", path, "")
	want := map[string]any{"id": id, "label": "AWS IAM Identity Center", "enabled": false, "target": "", "started": false,
		"lastPush": nil, "pending": 0.0, "failures": []any{}}
	if d := cmp.Diff(want, before); d != "" {
		t.Fatalf("before provisioning (-want +got):\n%s", d)
	}

	ctx := t.Context()
	_, err := w.st.UpdateApp(ctx, id, appUpdate, func(a directory.App) (directory.App, error) {
		a.Provisioning = directory.Provisioning{Enabled: true, BaseURL: "https://scim.example/t/scim/v2", SealedToken: []byte("sealed")}
		return a, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pushed := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	ok := store.ProvisionKey{AppID: id, Kind: store.ProvisionUser, ObjectID: w.bob.ID}
	busy := store.ProvisionKey{AppID: id, Kind: store.ProvisionGroup, ObjectID: "00gBusy"}
	if err := w.st.StartProvisioning(ctx, id, 0, []store.ProvisionKey{ok, busy}); err != nil {
		t.Fatal(err)
	}
	items, err := w.st.ClaimOutbox(ctx, "me", pushed, pushed.Add(time.Minute), 10)
	if err != nil || len(items) != 2 {
		t.Fatalf("claim: %v %v", items, err)
	}
	retry := pushed.Add(30 * time.Second)
	if err := w.st.FinishOutbox(ctx, items[:1], pushed); err != nil {
		t.Fatal(err)
	}
	if err := w.st.FailOutbox(ctx, items[1], "429 Too Many Requests: ThrottlingException", retry, false); err != nil {
		t.Fatal(err)
	}

	got := w.must(200, "GET", path, "")
	want = map[string]any{"id": id, "label": "AWS IAM Identity Center", "enabled": true, "target": "https://scim.example/t/scim/v2",
		"started": true, "lastPush": "2026-03-01T12:00:00Z", "pending": 1.0, "failures": []any{map[string]any{
			"object": "00gBusy", "kind": "group", "message": "429 Too Many Requests: ThrottlingException", "attempts": 1.0,
			"permanent": false, "nextAttempt": "2026-03-01T12:00:30Z"}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("after a push and a failure (-want +got):\n%s", d)
	}
}

func TestProvisioningStatusNeedsTheRightToReadApps(t *testing.T) {
	w := newAppWorld(t)
	id := w.must(200, "POST", "/api/v1/apps", awsBody)["id"].(string)
	path := "/api/v1/apps/" + id + "/provisioning"
	code, out := w.call(w.tokenFor(w.bob, ""), "GET", path, "")
	wantOktaError(t, code, out, 403, "E0000006", "")
	if code, _ := w.call(w.tokenFor(w.user("ro@example.com"), directory.ReadOnlyAdmin), "GET", path, ""); code != 200 {
		t.Errorf("a read-only administrator got %d, want 200", code)
	}
	code, out = w.call(w.admin, "POST", path, "{}")
	wantOktaError(t, code, out, 405, "E0000022", "")
}
