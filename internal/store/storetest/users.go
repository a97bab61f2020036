package storetest

import (
	"strings"
	"testing"
	"time"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

var userTests = []test{
	{"a user is read back by id, name, email and external id", func(t *testing.T, h *harness) {
		u := h.newUser("Alice.Smith")
		u.Profile.Addresses = []ic.Address{{Locality: "Lyon", Country: "FR", Primary: true}}
		u.Profile.PhoneNumbers = []ic.PhoneNumber{{Value: "+33 1 23 45 67 89", Type: "work"}}
		ok(t, h.s.CreateUser(h.ctx, u))
		h.createUser(t) // another user, which no lookup may return
		reads := map[string]func() (ic.User, error){
			"User":             func() (ic.User, error) { return h.s.User(h.ctx, u.ID) },
			"UserByName":       func() (ic.User, error) { return h.s.UserByName(h.ctx, "alice.smith") },
			"UserByEmail":      func() (ic.User, error) { return h.s.UserByEmail(h.ctx, "ALICE.SMITH@example.COM") },
			"UserByExternalID": func() (ic.User, error) { return h.s.UserByExternalID(h.ctx, u.ExternalIDs[0]) },
		}
		for name, read := range reads {
			got, err := read()
			ok(t, err)
			equal(t, name, u, got)
		}
		equal(t, "event", "identitystore.user.create", h.lastEvent(t).Action)
	}},
	{"a user whose email is of the longest length the identity store allows is found by it", func(t *testing.T, h *harness) {
		// 1024 characters (the identity store's limit for an email) of
		// three-byte text that does not compress: 3 KiB, past what one
		// PostgreSQL index entry holds.
		long := incompressible(1000) + "@Example.com"
		u := h.newUser(h.name("long-email"))
		u.Profile.Emails = []ic.Email{{Value: long, Type: "work", Primary: true}}
		ok(t, h.s.CreateUser(h.ctx, u))
		got, err := h.s.UserByEmail(h.ctx, strings.ToUpper(long))
		ok(t, err)
		equal(t, "UserByEmail", u.ID, got.ID)
		_, err = h.s.UserByEmail(h.ctx, long[:len(long)-1])
		notFound(t, err, store.ResourceUser)
	}},
	{"a missing user is not found by id, name, email or external id", func(t *testing.T, h *harness) {
		h.createUser(t)
		_, err := h.s.User(h.ctx, h.newUser("ghost").ID)
		notFound(t, err, store.ResourceUser)
		_, err = h.s.UserByName(h.ctx, "nobody")
		notFound(t, err, store.ResourceUser)
		_, err = h.s.UserByEmail(h.ctx, "nobody@example.com")
		notFound(t, err, store.ResourceUser)
		_, err = h.s.UserByExternalID(h.ctx, ic.ExternalID{Issuer: "https://idp.example.com", ID: "nobody"})
		notFound(t, err, store.ResourceUser)
	}},
	{"a duplicate user name is a conflict, case-insensitively", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		dup := h.newUser(flipCase(u.Profile.UserName))
		h.unchangedLog(t, func() { conflict(t, h.s.CreateUser(h.ctx, dup)) })
		_, err := h.s.User(h.ctx, dup.ID)
		notFound(t, err, store.ResourceUser)
	}},
	{"a duplicate external id is a conflict", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		dup := h.newUser(h.name("user"))
		dup.ExternalIDs = u.ExternalIDs
		conflict(t, h.s.CreateUser(h.ctx, dup))
		_, err := h.s.UserByName(h.ctx, dup.Profile.UserName)
		notFound(t, err, store.ResourceUser)
	}},
	{"users are listed in id order across pages and filtered by name", func(t *testing.T, h *harness) {
		var want []ic.User
		for range 5 {
			want = append(want, h.createUser(t))
		}
		sortBy(want, func(u ic.User) string { return u.ID })
		got, pages := walk(t, 2, func(p store.Page) ([]ic.User, string, error) {
			return h.s.ListUsers(h.ctx, store.UserFilter{}, p)
		})
		equal(t, "users", want, got)
		equal(t, "pages", 3, pages)
		f := store.UserFilter{UserName: strings.ToUpper(want[3].Profile.UserName)}
		got, next, err := h.s.ListUsers(h.ctx, f, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "filtered", []ic.User{want[3]}, got)
		equal(t, "token", "", next)
	}},
	{"updating a user replaces it and re-indexes its name and email", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		h.clk.Advance(time.Minute)
		got, err := h.s.UpdateUser(h.ctx, u.ID, func(old ic.User) (ic.User, error) {
			equal(t, "fn's input", u, old)
			old.Profile.UserName = "Renamed"
			old.Profile.Emails = []ic.Email{{Value: "new@example.com", Primary: true}}
			old.ExternalIDs = []ic.ExternalID{{Issuer: "https://other.example", ID: "x-1"}}
			old.Status, old.UpdatedAt, old.UpdatedBy = ic.UserDisabled, h.clk.Now(), "scim"
			return old, nil
		})
		ok(t, err)
		stored, err := h.s.UserByName(h.ctx, "renamed")
		ok(t, err)
		equal(t, "stored", got, stored)
		byEmail, err := h.s.UserByEmail(h.ctx, "NEW@example.com")
		ok(t, err)
		equal(t, "by new email", u.ID, byEmail.ID)
		byExt, err := h.s.UserByExternalID(h.ctx, ic.ExternalID{Issuer: "https://other.example", ID: "x-1"})
		ok(t, err)
		equal(t, "by new external id", u.ID, byExt.ID)
		for _, err := range []error{
			second(h.s.UserByName(h.ctx, u.Profile.UserName)),
			second(h.s.UserByEmail(h.ctx, u.Profile.Emails[0].Value)),
			second(h.s.UserByExternalID(h.ctx, u.ExternalIDs[0])),
		} {
			notFound(t, err, store.ResourceUser)
		}
		equal(t, "event", "identitystore.user.update", h.lastEvent(t).Action)
	}},
	{"renaming a user onto a taken name is a conflict and changes nothing", func(t *testing.T, h *harness) {
		a, b := h.createUser(t), h.createUser(t)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateUser(h.ctx, b.ID, func(old ic.User) (ic.User, error) {
				old.Profile.UserName = flipCase(a.Profile.UserName)
				return old, nil
			})
			conflict(t, err)
		})
		got, err := h.s.User(h.ctx, b.ID)
		ok(t, err)
		equal(t, "user", b, got)
	}},
	{"a user update whose fn fails returns its error and writes nothing", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateUser(h.ctx, u.ID, func(old ic.User) (ic.User, error) {
				old.Profile.UserName = "changed"
				return old, errFn
			})
			fnFailed(t, err)
		})
		got, err := h.s.User(h.ctx, u.ID)
		ok(t, err)
		equal(t, "user", u, got)
	}},
	{"updating a missing user is not found and fn is not called", func(t *testing.T, h *harness) {
		_, err := h.s.UpdateUser(h.ctx, h.newUser("ghost").ID, func(old ic.User) (ic.User, error) {
			t.Error("fn called for a missing user")
			return old, nil
		})
		notFound(t, err, store.ResourceUser)
	}},
	{"deleting a missing user is not found", func(t *testing.T, h *harness) {
		notFound(t, h.s.DeleteUser(h.ctx, h.newUser("ghost").ID), store.ResourceUser)
	}},
}

// second returns the error of a two-value call.
func second[T any](_ T, err error) error { return err }
