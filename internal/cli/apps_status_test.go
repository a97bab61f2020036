package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/oktaapi"
	"github.com/keyward/keyward/internal/store"
)

// provisionedDir is appsDir with the app active and provisioning to
// target with the token "tok".
func provisionedDir(t *testing.T, target string) (dir, appID string) {
	t.Helper()
	dir, appID, _ = appsDir(t)
	code, _, errOut := run(t, "", nil, "admin", "apps", "provisioning", appID, "--data-dir", dir,
		"--scim-url", target, "--token-file", tokenFile(t, "tok", 0o600))
	if code != 0 {
		t.Fatalf("apps provisioning: %s", errOut)
	}
	withDirIdP(t, dir, func(s store.IdP) {
		_, err := s.UpdateApp(t.Context(), appID, "application.lifecycle.activate", func(a directory.App) (directory.App, error) {
			a.Status = directory.AppActive
			return a, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	return dir, appID
}

func TestStatusShowsFailuresWithTheTargetsMessage(t *testing.T) {
	dir, id := provisionedDir(t, "https://scim.example/tenant/scim/v2")
	code, out, _ := run(t, "", nil, "admin", "apps", "status", id, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "on (starting)") || !strings.Contains(out, "never") {
		t.Fatalf("before the first push: exit %d\n%s", code, out)
	}
	pushed := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	withDirIdP(t, dir, func(s store.IdP) {
		ctx := t.Context()
		done := store.ProvisionKey{AppID: id, Kind: store.ProvisionUser, ObjectID: "00uDone"}
		bad := store.ProvisionKey{AppID: id, Kind: store.ProvisionUser, ObjectID: "00uGone"}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.StartProvisioning(ctx, id, 0, []store.ProvisionKey{done, bad}))
		items, err := s.ClaimOutbox(ctx, "me", pushed, pushed.Add(time.Minute), 10)
		must(err)
		must(s.FinishOutbox(ctx, items[:1], pushed))
		must(s.FailOutbox(ctx, items[1], "Duplicate userName\nat the target", time.Time{}, true))
	})

	code, out, _ = run(t, "", nil, "admin", "apps", "status", id, "--data-dir", dir)
	for _, want := range []string{"2026-03-01T12:00:00Z", "Failures of AWS", "(deleted)", "permanent", "Duplicate userName at the target"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("status (exit %d) does not show %q:\n%s", code, want, out)
		}
	}

	code, out, _ = run(t, "", nil, "admin", "apps", "status", id, "--json", "--data-dir", dir)
	var got oktaapi.ProvisioningStatus
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("status --json: exit %d, %v\n%s", code, err, out)
	}
	want := oktaapi.ProvisioningStatus{ID: id, Label: "AWS", Enabled: true, Target: "https://scim.example/tenant/scim/v2", Started: true,
		LastPush: &pushed, Pending: 1, Failures: []oktaapi.ProvisioningFailure{{Object: "00uGone", Kind: "user",
			Message: "Duplicate userName\nat the target", Attempts: 1, Permanent: true}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("status --json (-want +got):\n%s", d)
	}
}

func TestStatusOfAnUnknownAppSaysSo(t *testing.T) {
	dir, _, _ := appsDir(t)
	code, _, errOut := run(t, "", nil, "admin", "apps", "status", "0oaNoSuchApp0000000", "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, "no app") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}

// readOnlyTarget is a SCIM target holding one user nobody assigned; it
// records every request's method.
type readOnlyTarget struct {
	mu      sync.Mutex
	methods []string
}

func (f *readOnlyTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.methods = append(f.methods, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/scim+json")
	list := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"itemsPerPage":0,"startIndex":1,"Resources":[]}`
	if strings.HasSuffix(r.URL.Path, "/Users") && r.URL.Query().Get("filter") == "" {
		list = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"itemsPerPage":1,"startIndex":1,
			"Resources":[{"id":"t-1","userName":"stranger@example.com","externalId":"00uStranger","active":true}]}`
	}
	w.Write([]byte(list))
}

func TestDriftListsDifferencesExitsThreeAndOnlyReads(t *testing.T) {
	target := &readOnlyTarget{}
	srv := httptest.NewServer(target)
	defer srv.Close()
	dir, id := provisionedDir(t, srv.URL+"/tenant/scim/v2")

	code, out, errOut := run(t, "", nil, "admin", "apps", "drift", id, "--data-dir", dir)
	if code != ExitDrift || !strings.Contains(out, "stranger@example.com") || !strings.Contains(out, "extra") ||
		!strings.Contains(errOut, "1 differences") {
		t.Fatalf("drift: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, "", nil, "admin", "apps", "drift", id, "--json", "--data-dir", dir)
	var got []driftJSON
	if err := json.Unmarshal([]byte(out), &got); code != ExitDrift || err != nil {
		t.Fatalf("drift --json: exit %d, %v\n%s", code, err, out)
	}
	want := []driftJSON{{Kind: "user", Problem: "extra", TargetID: "t-1", Name: "stranger@example.com"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("drift --json (-want +got):\n%s", d)
	}
	target.mu.Lock()
	defer target.mu.Unlock()
	for _, m := range target.methods {
		if !strings.HasPrefix(m, "GET ") {
			t.Errorf("drift sent %s: it must change nothing", m)
		}
	}
}

func TestDriftOfAMatchingTargetExitsZero(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`))
	}))
	defer srv.Close()
	dir, id := provisionedDir(t, srv.URL+"/scim/v2")
	code, out, errOut := run(t, "", nil, "admin", "apps", "drift", id, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "No drift") {
		t.Fatalf("drift: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestResyncBeforeProvisioningStartsSaysHowToStart(t *testing.T) {
	dir, id, _ := appsDir(t)
	code, _, errOut := run(t, "", nil, "admin", "apps", "resync", id, "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, "keyward admin apps provisioning") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}

func TestResyncQueuesTheAppsObjects(t *testing.T) {
	dir, id := provisionedDir(t, "https://scim.example/v2")
	withDirIdP(t, dir, func(s store.IdP) {
		if err := s.StartProvisioning(t.Context(), id, 0, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.PutProvisionTarget(t.Context(), store.ProvisionTarget{ProvisionKey: store.ProvisionKey{
			AppID: id, Kind: store.ProvisionUser, ObjectID: "00uPushedOnce"}, TargetID: "t-9"}); err != nil {
			t.Fatal(err)
		}
	})
	code, out, errOut := run(t, "", nil, "admin", "apps", "resync", id, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "queued") {
		t.Fatalf("exit %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, "", nil, "admin", "apps", "status", id, "--json", "--data-dir", dir)
	var got oktaapi.ProvisioningStatus
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || got.Pending != 1 {
		t.Fatalf("after resync: exit %d, %v, pending %d (want the pushed user queued again)\n%s", code, err, got.Pending, out)
	}
}
