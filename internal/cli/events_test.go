package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
)

// withEvents returns a served data directory whose log also holds a denial
// by a user whose name tries to forge a second log line.
func withEvents(t *testing.T) string {
	t.Helper()
	dir := served(t)
	cfg := config.Default()
	cfg.DataDir = dir
	s, err := app.OpenExistingStore(context.Background(), cfg, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := audit.WithActor(context.Background(), audit.Actor{Type: "user", ID: "u-1", Name: "mallory\n2026-01-01T00:00:00Z SUCCESS forged"})
	e := audit.New(ctx, "portal.credentials.get", "ROLE", "DevOps")
	e.Outcome, e.Message = audit.Deny, "no assignment"
	if err := s.AppendEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestAdminEventsPrintsTheSystemLogOldestFirst(t *testing.T) {
	dir := withEvents(t)
	code, out, errOut := run(t, "", nil, "admin", "events", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "keyward.bootstrap") || !strings.Contains(lines[1], "DENY    portal.credentials.get") {
		t.Fatalf("events, oldest first, one per line:\n%s", out)
	}
	if !strings.Contains(lines[1], `actor=user:"mallory\n2026`) || !strings.Contains(lines[1], `message="no assignment"`) {
		t.Errorf("a client-chosen name is not quoted: %s", lines[1])
	}
}

func TestAdminEventsFilters(t *testing.T) {
	dir := withEvents(t)
	cases := map[string]struct {
		args []string
		want []string // actions printed
	}{
		"by action":         {[]string{"--action", "keyward.bootstrap"}, []string{"keyward.bootstrap"}},
		"by action prefix":  {[]string{"--action", "portal.*"}, []string{"portal.credentials.get"}},
		"by outcome":        {[]string{"--outcome", "deny"}, []string{"portal.credentials.get"}},
		"by actor id":       {[]string{"--actor", "u-1"}, []string{"portal.credentials.get"}},
		"since an hour ago": {[]string{"--since", "1h"}, []string{"keyward.bootstrap", "portal.credentials.get"}},
		"until long ago":    {[]string{"--until", "2020-01-01T00:00:00Z"}, nil},
		"the newest one":    {[]string{"--limit", "1"}, []string{"portal.credentials.get"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"admin", "events", "--data-dir", dir, "--format", "json"}, c.args...)
			code, out, errOut := run(t, "", nil, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if line == "" {
					continue
				}
				var e eventJSON
				if err := json.Unmarshal([]byte(line), &e); err != nil {
					t.Fatalf("not a JSON line: %q: %v", line, err)
				}
				got = append(got, e.Action)
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("printed %v, want %v", got, c.want)
			}
		})
	}
}

func TestAdminEventsRefusesBadArguments(t *testing.T) {
	dir := served(t)
	for _, args := range [][]string{{"--since", "yesterday"}, {"--format", "xml"}, {"--limit", "0"}, {"--outcome", "DENIED"}} {
		code, _, errOut := run(t, "", nil, append([]string{"admin", "events", "--data-dir", dir}, args...)...)
		if code == 0 || !strings.Contains(errOut, args[0]) {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
}
