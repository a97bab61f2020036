package cli

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// withLog returns a served data directory whose log holds n more events.
func withLog(t *testing.T, n int) string {
	t.Helper()
	dir := served(t)
	cfg := config.Default()
	cfg.DataDir = dir
	s, err := app.OpenExistingStore(context.Background(), cfg, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for range n {
		e := audit.New(context.Background(), "user.session.start", "User", "00u1")
		e.Detail = map[string]string{"requestId": "r1"}
		if err := s.AppendEvent(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tamper runs statement on the data directory's SQLite file, as someone
// with the file could.
func tamper(t *testing.T, dir, statement string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, app.DatabaseFile)) // driver registered by store/sqlite
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(statement)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Fatalf("%s changed nothing", statement)
	}
}

func TestAdminEventsVerifyPassesOnAnUntouchedLog(t *testing.T) {
	dir := withLog(t, 4)
	code, out, errOut := run(t, "", nil, "admin", "events", "--verify", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if !strings.HasPrefix(out, "verified 5 events; the chain is unbroken\nnewest event: seq 5, hash ") {
		t.Errorf("output:\n%s", out)
	}
}

func TestAdminEventsVerifyNamesWhereATamperedLogBreaks(t *testing.T) {
	for _, c := range []struct{ name, statement, want string }{
		{"an edited event", "UPDATE events SET outcome = 'DENY' WHERE seq = 3",
			"the chain breaks at event seq 3 (id "},
		{"an edited detail", `UPDATE events SET detail = '{"requestId":"r2"}' WHERE seq = 4`,
			"the chain breaks at event seq 4 (id "},
		{"a deleted event", "DELETE FROM events WHERE seq = 2",
			"the chain breaks at event seq 3 (id "},
		{"an edited hash", "UPDATE events SET hash = prev_hash WHERE seq = 5",
			"the chain breaks at event seq 5 (id "},
		// `keyward admin events` lists it with the others.
		{"an event inserted before the first", `INSERT INTO events (seq, id, time, action, actor_type, actor_id, actor_name,
			client_ip, client_user_agent, target_type, target_id, target_name, outcome, message, detail, prev_hash, hash)
			VALUES (0, 'forged', 1, 'user.session.start', 'user', '00u1', '', '', '', 'User', '00u1', '', 'SUCCESS', '', '{}', '', '')`,
			"the chain breaks at event seq 0 (id forged)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := withLog(t, 4)
			tamper(t, dir, c.statement)
			code, out, _ := run(t, "", nil, "admin", "events", "--verify", "--data-dir", dir)
			if code == 0 || !strings.HasPrefix(out, c.want) {
				t.Errorf("exit %d, output:\n%s\nwant it to start with %q", code, out, c.want)
			}
		})
	}
}

func TestAdminEventsVerifyTakesNoFilter(t *testing.T) {
	dir := served(t)
	code, _, errOut := run(t, "", nil, "admin", "events", "--verify", "--since", "1h", "--data-dir", dir)
	if code == 0 || !strings.Contains(errOut, "since") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// An operator's password reset is logged as the operator's, as every other
// admin command's change is, not as keyward's own.
func TestSetPasswordIsLoggedAsTheOperator(t *testing.T) {
	dir := served(t)
	cfg := config.Default()
	cfg.DataDir = dir
	s, err := app.OpenExistingStore(context.Background(), cfg, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	err = s.CreateUser(context.Background(), ic.User{ID: ic.NewPrincipalID(clock.Random, "d-0123456789"),
		Profile: ic.Profile{UserName: "alice", DisplayName: "Alice"}, Status: ic.UserEnabled, CreatedAt: now, UpdatedAt: now})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, "a-long-password\n", nil, "admin", "set-password", "--data-dir", dir, "--user", "alice"); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	_, out, _ := run(t, "", nil, "admin", "events", "--data-dir", dir, "--action", "user.password.update")
	if !strings.Contains(out, `actor=operator:"keyward admin"`) {
		t.Errorf("the password change is logged as:\n%s", out)
	}
}
