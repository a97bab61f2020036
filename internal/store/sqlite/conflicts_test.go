package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// TestConflictsNameWhatIsDuplicated checks that the constraint names in
// conflictMessages match what SQLite reports, so a client reads which
// value is taken rather than a generic message.
func TestConflictsNameWhatIsDuplicated(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "keyward.db"), clock.NewFake(start))
	ctx := t.Context()
	id := func(n int) string { return "0123456789-00000000-0000-4000-8000-00000000000" + string(rune('0'+n)) }
	x := []ic.ExternalID{{Issuer: "i", ID: "x"}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateUser(ctx, ic.User{ID: id(1), Profile: ic.Profile{UserName: "a"}, ExternalIDs: x}))
	must(db.CreateGroup(ctx, ic.Group{ID: id(2), DisplayName: "g", ExternalIDs: x}))
	must(db.CreateMembership(ctx, ic.Membership{ID: id(3), GroupID: id(2), UserID: id(1)}))
	must(db.CreatePermissionSet(ctx, ic.PermissionSet{ID: "ps-0000000000000001", InstanceID: "i", Name: "p"}))
	cases := map[string]struct {
		err  error
		want string
	}{
		"user name":   {db.CreateUser(ctx, ic.User{ID: id(4), Profile: ic.Profile{UserName: "A"}}), "Duplicate UserName"},
		"user ext id": {db.CreateUser(ctx, ic.User{ID: id(4), Profile: ic.Profile{UserName: "b"}, ExternalIDs: x}), "Duplicate ExternalId"},
		"group name":  {db.CreateGroup(ctx, ic.Group{ID: id(4), DisplayName: "G"}), "Duplicate GroupDisplayName"},
		"group ext":   {db.CreateGroup(ctx, ic.Group{ID: id(4), DisplayName: "h", ExternalIDs: x}), "Duplicate ExternalId"},
		"membership":  {db.CreateMembership(ctx, ic.Membership{ID: id(4), GroupID: id(2), UserID: id(1)}), "The user is already a member of the group."},
		"ps name": {db.CreatePermissionSet(ctx, ic.PermissionSet{ID: "ps-0000000000000002", InstanceID: "i", Name: "p"}),
			"A permission set with this name already exists."},
	}
	for name, c := range cases {
		e, ok := errs.As(c.err)
		if !ok || e.Kind != errs.Conflict || e.Message != c.want || e.Reason != "UNIQUENESS_CONSTRAINT_VIOLATION" {
			t.Errorf("%s: error %#v, want Conflict %q with reason UNIQUENESS_CONSTRAINT_VIOLATION", name, c.err, c.want)
		}
	}
}
