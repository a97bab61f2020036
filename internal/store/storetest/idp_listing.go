package storetest

import (
	"encoding/json"
	"testing"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// inSales keeps the users whose department is Sales.
func inSales(u directory.User) bool { return u.Profile.String("department") == "Sales" }

var idpListTests = []idpTest{
	{"250 users page in id order, each exactly once, with and without a Keep filter", func(t *testing.T, h *idpHarness) {
		var all, sales []directory.User
		for i := range 250 {
			in := h.newUser()
			if i%7 == 3 {
				in.Profile["department"] = "Sales"
			}
			u, err := h.s.CreateUser(h.ctx, in, nil)
			ok(t, err)
			all = append(all, u)
			if inSales(u) {
				sales = append(sales, u)
			}
		}
		sortBy(all, userKey)
		sortBy(sales, userKey)
		got, pages := walk(t, 20, func(p store.Page) ([]directory.User, string, error) {
			return h.s.ListUsers(h.ctx, store.UserQuery{}, p)
		})
		equal(t, "users", all, got)
		equal(t, "pages", 13, pages)
		got, _ = walk(t, 20, func(p store.Page) ([]directory.User, string, error) {
			return h.s.ListUsers(h.ctx, store.UserQuery{Keep: inSales}, p)
		})
		equal(t, "kept users", sales, got)
		got, next, err := h.s.ListUsers(h.ctx, store.UserQuery{Keep: func(directory.User) bool { return false }}, store.Page{Limit: 20})
		ok(t, err)
		equal(t, "none kept", 0, len(got))
		equal(t, "token when none is kept", "", next)
	}},
	{"a page that ends exactly at the last user has no token", func(t *testing.T, h *idpHarness) {
		for range 4 {
			h.createUser(t)
		}
		got, next, err := h.s.ListUsers(h.ctx, store.UserQuery{}, store.Page{Limit: 4})
		ok(t, err)
		equal(t, "users", 4, len(got))
		equal(t, "token", "", next)
		got, next, err = h.s.ListUsers(h.ctx, store.UserQuery{Keep: func(directory.User) bool { return true }}, store.Page{Limit: 4})
		ok(t, err)
		equal(t, "kept users", 4, len(got))
		equal(t, "token with Keep", "", next)
	}},
	{"a group's members page in user-id order with and without a Keep filter", func(t *testing.T, h *idpHarness) {
		g, other := h.createGroup(t), h.createGroup(t)
		var members, sales []directory.User
		for i := range 30 {
			in := h.newUser()
			if i%3 == 0 {
				in.Profile["department"] = "Sales"
			}
			groups := []string{other.ID}
			if i%2 == 0 {
				groups = append(groups, g.ID)
			}
			u, err := h.s.CreateUser(h.ctx, in, groups)
			ok(t, err)
			if i%2 == 0 {
				members = append(members, u)
				if inSales(u) {
					sales = append(sales, u)
				}
			}
		}
		sortBy(members, userKey)
		sortBy(sales, userKey)
		got, _ := walk(t, 4, func(p store.Page) ([]directory.User, string, error) {
			return h.s.ListMembers(h.ctx, g.ID, store.UserQuery{}, p)
		})
		equal(t, "members", members, got)
		got, _ = walk(t, 2, func(p store.Page) ([]directory.User, string, error) {
			return h.s.ListMembers(h.ctx, g.ID, store.UserQuery{Keep: inSales}, p)
		})
		equal(t, "kept members", sales, got)
		n, err := h.s.CountMembers(h.ctx, g.ID)
		ok(t, err)
		equal(t, "count", len(members), n)
		_, _, err = h.s.ListMembers(h.ctx, "00gMissing", store.UserQuery{}, store.Page{Limit: 2})
		notFound(t, err, store.ResourceGroup)
	}},
	{"groups page in id order with and without a Keep filter", func(t *testing.T, h *idpHarness) {
		var all, kept []directory.Group
		for i := range 12 {
			g := h.createGroup(t)
			all = append(all, g)
			if i%2 == 1 {
				kept = append(kept, g)
			}
		}
		keep := func(g directory.Group) bool {
			for _, k := range kept {
				if k.ID == g.ID {
					return true
				}
			}
			return false
		}
		sortBy(all, groupKey)
		sortBy(kept, groupKey)
		got, _ := walk(t, 5, func(p store.Page) ([]directory.Group, string, error) {
			return h.s.ListGroups(h.ctx, store.GroupQuery{}, p)
		})
		equal(t, "groups", all, got)
		got, _ = walk(t, 5, func(p store.Page) ([]directory.Group, string, error) {
			return h.s.ListGroups(h.ctx, store.GroupQuery{Keep: keep}, p)
		})
		equal(t, "kept groups", kept, got)
	}},
	{"a bad page token or limit is invalid", func(t *testing.T, h *idpHarness) {
		h.createUser(t)
		h.createUser(t)
		g := h.createGroup(t)
		h.createGroup(t)
		_, groupToken, err := h.s.ListGroups(h.ctx, store.GroupQuery{}, store.Page{Limit: 1})
		ok(t, err)
		for _, p := range []store.Page{{Limit: 0}, {Limit: 1, Token: "not-a-token"}, {Limit: 1, Token: groupToken}} {
			_, _, err := h.s.ListUsers(h.ctx, store.UserQuery{}, p)
			isKind(t, err, errs.Invalid)
			_, _, err = h.s.ListMembers(h.ctx, g.ID, store.UserQuery{}, p)
			isKind(t, err, errs.Invalid)
		}
	}},
}

func userKey(u directory.User) string   { return u.ID }
func groupKey(g directory.Group) string { return g.ID }

var idpRequireTests = []idpTest{
	{"a listing that requires a profile value finds exactly the users a full scan keeps", func(t *testing.T, h *idpHarness) {
		departments := []any{"Sales", "SALES", "Émile", "émile", "Ops", []any{"Ops", "Sales"}, json.Number("42.50"), true, nil}
		for i := range 40 {
			u := h.newUser()
			if d := departments[i%len(departments)]; d != nil {
				u.Profile["department"] = d
			}
			_, err := h.s.CreateUser(h.ctx, u, nil)
			ok(t, err)
		}
		for _, value := range []string{"sales", "ÉMILE", "ops", "42.5", "true", "nobody"} {
			folded := directory.Fold(value)
			keep := func(u directory.User) bool {
				for _, v := range u.Profile.Texts("department") {
					if directory.Fold(v) == folded {
						return true
					}
				}
				return false
			}
			want := listAll(t, h, store.UserQuery{Keep: keep})
			got := listAll(t, h, store.UserQuery{Keep: keep,
				Require: []directory.Condition{{Path: "profile.department", Op: directory.CmpEq, Folded: folded}}})
			equal(t, "users with department "+value, want, got)
		}
	}},
	{"a profile value of the longest length a profile allows is stored and found by value", func(t *testing.T, h *idpHarness) {
		// 1024 characters (profile.go's limit for a base attribute) of
		// three-byte text that does not compress: 3 KiB folded, past
		// what one PostgreSQL index entry holds.
		long := incompressible(1024)
		u := h.newUser()
		u.Profile["streetAddress"] = long
		u, err := h.s.CreateUser(h.ctx, u, nil)
		ok(t, err)
		other := h.newUser()
		other.Profile["streetAddress"] = long[:len(long)-3] + "a" // the same but its last character
		other, err = h.s.CreateUser(h.ctx, other, nil)
		ok(t, err)
		for _, v := range []string{long, other.Profile.String("streetAddress")} {
			folded := directory.Fold(v)
			keep := func(u directory.User) bool { return directory.Fold(u.Profile.String("streetAddress")) == folded }
			got := listAll(t, h, store.UserQuery{Keep: keep,
				Require: []directory.Condition{{Path: "profile.streetAddress", Op: directory.CmpEq, Folded: folded}}})
			equal(t, "users with the long address", listAll(t, h, store.UserQuery{Keep: keep}), got)
			equal(t, "how many have it", 1, len(got))
		}
	}},
	{"the value index follows updates and deletes", func(t *testing.T, h *idpHarness) {
		u := h.newUser()
		u.Profile["title"] = "Engineer"
		u, err := h.s.CreateUser(h.ctx, u, nil)
		ok(t, err)
		require := func(v string) []string {
			q := store.UserQuery{Require: []directory.Condition{{Path: "profile.title", Op: directory.CmpEq, Folded: directory.Fold(v)}}}
			return listAll(t, h, q)
		}
		equal(t, "before", []string{u.ID}, require("engineer"))
		_, err = h.s.UpdateUser(h.ctx, u.ID, "user.account.update_profile", func(u directory.User) (directory.User, error) {
			u.Profile = u.Profile.Merge(directory.Profile{"title": "Manager"})
			return u, nil
		})
		ok(t, err)
		equal(t, "the old value", 0, len(require("engineer")))
		equal(t, "the new value", []string{u.ID}, require("manager"))
		ok(t, h.s.DeleteUser(h.ctx, u.ID))
		equal(t, "after delete", 0, len(require("manager")))
	}},
}

// listAll pages through every user q keeps, 7 at a time, returning ids.
func listAll(t *testing.T, h *idpHarness, q store.UserQuery) []string {
	t.Helper()
	var out []string
	p := store.Page{Limit: 7}
	for {
		users, next, err := h.s.ListUsers(h.ctx, q, p)
		ok(t, err)
		for _, u := range users {
			out = append(out, u.ID)
		}
		if next == "" {
			return out
		}
		p.Token = next
	}
}

// incompressible returns n characters of CJK text from a fixed
// pseudo-random sequence.
func incompressible(n int) string {
	r := make([]rune, n)
	x := uint32(2463534242)
	for i := range r {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		r[i] = rune(0x4E00 + x%0x5000)
	}
	return string(r)
}
