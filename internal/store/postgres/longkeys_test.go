package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// TestALongNameStoredWholeIsStillFoundAndTaken covers rows written before
// long folded names were stored as keys: PostgreSQL compressed a long but
// repetitive name into its index whole. Such a group is still found by
// name and its name still taken; such an email still finds its user.
func TestALongNameStoredWholeIsStillFoundAndTaken(t *testing.T) {
	u := migrated(t)
	db := open(t, u, clock.NewFake(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
	raw := rawDB(t, u)
	ctx := t.Context()
	long := strings.Repeat("Platform Engineering ", 60) // 1260 bytes, compresses well

	g := ic.Group{ID: "0123456789-00000000-0000-4000-8000-000000000001", DisplayName: long}
	if err := db.CreateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	user := ic.User{ID: "0123456789-00000000-0000-4000-8000-000000000002", Status: ic.UserEnabled,
		Profile: ic.Profile{UserName: "someone", Emails: []ic.Email{{Value: long + "@example.com"}}}}
	if err := db.CreateUser(ctx, user); err != nil {
		t.Fatal(err)
	}
	// As the store wrote them before: the folded value whole.
	if _, err := raw.ExecContext(ctx, `UPDATE groups SET display_name_norm = lower(display_name)`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `UPDATE user_emails SET email_norm = lower($1)`, long+"@example.com"); err != nil {
		t.Fatal(err)
	}

	got, err := db.GroupByName(ctx, strings.ToUpper(long))
	if err != nil || got.ID != g.ID {
		t.Errorf("GroupByName = %v, %v; want the group stored whole", got.ID, err)
	}
	dup := ic.Group{ID: "0123456789-00000000-0000-4000-8000-000000000003", DisplayName: long}
	if err := db.CreateGroup(ctx, dup); errs.KindOf(err) != errs.Conflict {
		t.Errorf("creating a second group of the name stored whole: %v, want errs.Conflict", err)
	}
	if _, err := db.UpdateGroup(ctx, g.ID, func(g ic.Group) (ic.Group, error) { g.Description = "d"; return g, nil }); err != nil {
		t.Errorf("updating the group stored whole: %v", err)
	}
	if got, err := db.GroupByName(ctx, long); err != nil || got.ID != g.ID {
		t.Errorf("GroupByName after an update = %v, %v", got.ID, err)
	}
	byEmail, err := db.UserByEmail(ctx, long+"@EXAMPLE.com")
	if err != nil || byEmail.ID != user.ID {
		t.Errorf("UserByEmail = %v, %v; want the user whose email is stored whole", byEmail.ID, err)
	}
}
