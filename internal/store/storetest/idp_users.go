package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

var idpUserTests = []idpTest{
	{"many users are created in one transaction, all or none", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		a, b := h.newUser(), h.newUser()
		got, err := h.s.CreateUsers(h.ctx, []store.NewUser{{User: a, GroupIDs: []string{g.ID}}, {User: b}})
		ok(t, err)
		equal(t, "created", 2, len(got))
		for _, u := range got {
			stored, err := h.s.User(h.ctx, u.ID)
			ok(t, err)
			equal(t, "stored", u, stored)
		}
		n, err := h.s.CountMembers(h.ctx, g.ID)
		ok(t, err)
		equal(t, "members", 1, n)
		c, d := h.newUser(), h.newUser()
		d.Profile = d.Profile.Merge(directory.Profile{"login": a.Profile.String("login")})
		h.nothingWritten(t, func() {
			_, err := h.s.CreateUsers(h.ctx, []store.NewUser{{User: c}, {User: d}})
			taken(t, err, store.ResourceUser, store.FieldLogin)
		})
		_, err = h.s.UserByLogin(h.ctx, c.Profile.String("login"))
		notFound(t, err, store.ResourceUser)
	}},
	{"a user is created with a fresh id and read back by id and by login in any case", func(t *testing.T, h *idpHarness) {
		in := h.newUser()
		in.Password = directory.Password{Hash: "$argon2id$new", Changed: start, History: []string{"$argon2id$old"}, Expired: true}
		in.Activated, in.StatusChanged = start.Add(-time.Hour), start.Add(-time.Hour)
		u, err := h.s.CreateUser(h.ctx, in, nil)
		ok(t, err)
		if !directory.ValidID(u.ID) {
			t.Errorf("id %q is not one the directory makes", u.ID)
		}
		equalTime(t, "Created", start, u.Created)
		equalTime(t, "LastUpdated", start, u.LastUpdated)
		in.ID, in.Created, in.LastUpdated = u.ID, u.Created, u.LastUpdated
		equal(t, "returned user", in, u)
		got, err := h.s.User(h.ctx, u.ID)
		ok(t, err)
		equal(t, "User", u, got)
		got, err = h.s.UserByLogin(h.ctx, flipCase(u.Login()))
		ok(t, err)
		equal(t, "UserByLogin", u, got)
		e := h.lastEvent(t)
		equal(t, "event", [4]string{"user.lifecycle.create", "User", u.ID, u.Login()}, [4]string{e.Action, e.TargetType, e.TargetID, e.TargetName})
	}},
	{"a missing user is not found by id or login", func(t *testing.T, h *idpHarness) {
		h.createUser(t)
		_, err := h.s.User(h.ctx, "00uMissing")
		notFound(t, err, store.ResourceUser)
		_, err = h.s.UserByLogin(h.ctx, "nobody@example.com")
		notFound(t, err, store.ResourceUser)
	}},
	{"a login taken in another case is a conflict naming the login and writes nothing", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		dup := h.newUser()
		dup.Profile["login"] = flipCase(u.Login())
		h.nothingWritten(t, func() {
			_, err := h.s.CreateUser(h.ctx, dup, nil)
			taken(t, err, store.ResourceUser, store.FieldLogin)
		})
		all, _, err := h.s.ListUsers(h.ctx, store.UserQuery{}, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "users", []directory.User{u}, all)
	}},
	{"creating a user in a missing group is not found and writes nothing", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		in := h.newUser()
		h.nothingWritten(t, func() {
			_, err := h.s.CreateUser(h.ctx, in, []string{g.ID, "00gMissing"})
			notFound(t, err, store.ResourceGroup)
		})
		_, err := h.s.UserByLogin(h.ctx, in.Login())
		notFound(t, err, store.ResourceUser)
		n, err := h.s.CountMembers(h.ctx, g.ID)
		ok(t, err)
		equal(t, "members", 0, n)
	}},
	{"creating a user in groups adds the memberships with their events", func(t *testing.T, h *idpHarness) {
		g1, g2 := h.createGroup(t), h.createGroup(t)
		now := h.newer()
		u := h.createUser(t, g1.ID, g2.ID, g1.ID)
		for _, g := range []directory.Group{g1, g2} {
			got, err := h.s.Group(h.ctx, g.ID)
			ok(t, err)
			equalTime(t, "LastMembershipUpdated", now, got.LastMembershipUpdated)
			equalTime(t, "LastUpdated", g.LastUpdated, got.LastUpdated)
		}
		gs, err := h.s.UserGroups(h.ctx, u.ID)
		ok(t, err)
		equal(t, "groups", 2, len(gs))
		acts := h.actions(t)
		equal(t, "actions", []string{"user.lifecycle.create", "group.user_membership.add", "group.user_membership.add"}, acts[len(acts)-3:])
	}},
	{"concurrent creates of one login in 8 goroutines: one succeeds, the rest conflict", func(t *testing.T, h *idpHarness) {
		race(t, func(i int) error {
			u := h.newUser()
			u.Profile["login"] = caseVariant("racing.user@example.com", i)
			_, err := h.s.CreateUser(h.ctx, u, nil)
			if e, found := errs.As(err); found && (e.ResourceType != store.ResourceUser || e.Field != store.FieldLogin) {
				t.Errorf("conflict names %s %s, want the login", e.ResourceType, e.Field)
			}
			return err
		})
		all, _, err := h.s.ListUsers(h.ctx, store.UserQuery{}, store.Page{Limit: 100})
		ok(t, err)
		equal(t, "users stored", 1, len(all))
		equal(t, "changes", 1, len(h.changes(t)))
	}},
	{"updating a user is compare-and-swap, keeps id and Created and bumps LastUpdated", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		now := h.newer()
		got, err := h.s.UpdateUser(h.ctx, u.ID, "user.lifecycle.suspend", func(old directory.User) (directory.User, error) {
			equal(t, "fn's input", u, old)
			old.ID, old.Created = "00uOther", time.Time{}
			old.Status, old.StatusChanged = directory.Suspended, now
			old.Profile = old.Profile.Merge(directory.Profile{"department": nil, "title": "Boss"})
			return old, nil
		})
		ok(t, err)
		equal(t, "id", u.ID, got.ID)
		equalTime(t, "Created", u.Created, got.Created)
		equalTime(t, "LastUpdated", now, got.LastUpdated)
		read, err := h.s.User(h.ctx, u.ID)
		ok(t, err)
		equal(t, "stored", got, read)
		equal(t, "department", "", read.Profile.String("department"))
		equal(t, "title", "Boss", read.Profile.String("title"))
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"user.lifecycle.suspend", u.ID}, [2]string{e.Action, e.TargetID})
		ch := h.changes(t)
		equal(t, "last change", directory.Change{Seq: ch[len(ch)-1].Seq, Time: now, Kind: directory.UserChanged, UserID: u.ID}, ch[len(ch)-1])
	}},
	{"an update whose fn fails writes nothing", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		h.newer()
		h.nothingWritten(t, func() {
			_, err := h.s.UpdateUser(h.ctx, u.ID, "user.account.update_profile", func(old directory.User) (directory.User, error) {
				old.Status = directory.Deprovisioned
				return old, errFn
			})
			fnFailed(t, err)
		})
		got, err := h.s.User(h.ctx, u.ID)
		ok(t, err)
		equal(t, "user", u, got)
		_, err = h.s.UpdateUser(h.ctx, "00uMissing", "user.account.update_profile", func(old directory.User) (directory.User, error) { return old, nil })
		notFound(t, err, store.ResourceUser)
	}},
	{"renaming a user onto a taken login is a conflict naming the login", func(t *testing.T, h *idpHarness) {
		u, other := h.createUser(t), h.createUser(t)
		h.nothingWritten(t, func() {
			_, err := h.s.UpdateUser(h.ctx, u.ID, "user.account.update_profile", func(old directory.User) (directory.User, error) {
				old.Profile = old.Profile.Merge(directory.Profile{"login": flipCase(other.Login())})
				return old, nil
			})
			taken(t, err, store.ResourceUser, store.FieldLogin)
		})
		renamed, err := h.s.UpdateUser(h.ctx, u.ID, "user.account.update_profile", func(old directory.User) (directory.User, error) {
			old.Profile = old.Profile.Merge(directory.Profile{"login": "Renamed@Example.com"})
			return old, nil
		})
		ok(t, err)
		got, err := h.s.UserByLogin(h.ctx, "renamed@example.com")
		ok(t, err)
		equal(t, "renamed", renamed, got)
		_, err = h.s.UserByLogin(h.ctx, u.Login())
		notFound(t, err, store.ResourceUser)
	}},
	{"deprovisioning a user ends their sessions, API tokens and one-time links", func(t *testing.T, h *idpHarness) {
		u, other := h.createUser(t), h.createUser(t)
		for _, who := range []directory.User{u, other} {
			ok(t, h.s.CreateIdPSession(h.ctx, h.session(who.ID, "session-"+who.ID)))
			ok(t, h.s.CreateAPIToken(h.ctx, directory.APIToken{Name: "ci", UserID: who.ID}, "token-"+who.ID))
			ok(t, h.s.CreateUserToken(h.ctx, h.link(who.ID, "link-"+who.ID, directory.ResetToken)))
		}
		suspend := func(old directory.User) (directory.User, error) { old.Status = directory.Suspended; return old, nil }
		_, err := h.s.UpdateUser(h.ctx, u.ID, "user.lifecycle.suspend", suspend)
		ok(t, err)
		_, err = h.s.IdPSession(h.ctx, "session-"+u.ID)
		ok(t, err) // only deprovisioning ends access in the store
		_, err = h.s.UpdateUser(h.ctx, u.ID, "user.lifecycle.deactivate", func(old directory.User) (directory.User, error) {
			return directory.Transition(old, directory.OpDeactivate, h.clk.Now())
		})
		ok(t, err)
		_, err = h.s.IdPSession(h.ctx, "session-"+u.ID)
		notFound(t, err, store.ResourceSession)
		_, err = h.s.APITokenByHash(h.ctx, "token-"+u.ID)
		notFound(t, err, store.ResourceAPIToken)
		_, err = h.s.UserToken(h.ctx, "link-"+u.ID, directory.ResetToken)
		notFound(t, err, store.ResourceLink)
		_, err = h.s.IdPSession(h.ctx, "session-"+other.ID)
		ok(t, err)
		_, err = h.s.APITokenByHash(h.ctx, "token-"+other.ID)
		ok(t, err)
		_, err = h.s.UserToken(h.ctx, "link-"+other.ID, directory.ResetToken)
		ok(t, err)
		equal(t, "event", "user.lifecycle.deactivate", h.lastEvent(t).Action)
	}},
	{"deleting a user removes their memberships, roles, factors, sessions and tokens", func(t *testing.T, h *idpHarness) {
		g := h.createGroup(t)
		u, other := h.createUser(t, g.ID), h.createUser(t, g.ID)
		_, err := h.s.AssignRole(h.ctx, directory.Role{UserID: u.ID, Type: directory.OrgAdmin})
		ok(t, err)
		f, err := h.s.CreateFactor(h.ctx, directory.Factor{UserID: u.ID, Type: directory.FactorWebAuthn,
			Provider: "FIDO", Status: directory.FactorActive, CredentialID: "cred-1"})
		ok(t, err)
		ok(t, h.s.CreateIdPSession(h.ctx, h.session(u.ID, "session-1")))
		ok(t, h.s.CreateAPIToken(h.ctx, directory.APIToken{Name: "ci", UserID: u.ID}, "token-1"))
		ok(t, h.s.CreateUserToken(h.ctx, h.link(u.ID, "link-1", directory.ActivationToken)))
		now := h.newer()
		ok(t, h.s.DeleteUser(h.ctx, u.ID))
		_, err = h.s.User(h.ctx, u.ID)
		notFound(t, err, store.ResourceUser)
		members, _, err := h.s.ListMembers(h.ctx, g.ID, store.UserQuery{}, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "members", []directory.User{other}, members)
		got, err := h.s.Group(h.ctx, g.ID)
		ok(t, err)
		equalTime(t, "LastMembershipUpdated", now, got.LastMembershipUpdated)
		n, err := h.s.CountRoles(h.ctx, directory.OrgAdmin)
		ok(t, err)
		equal(t, "org admins", 0, n)
		_, err = h.s.FactorByCredentialID(h.ctx, f.CredentialID)
		notFound(t, err, store.ResourceFactor)
		_, err = h.s.IdPSession(h.ctx, "session-1")
		notFound(t, err, store.ResourceSession)
		_, err = h.s.APITokenByHash(h.ctx, "token-1")
		notFound(t, err, store.ResourceAPIToken)
		_, err = h.s.UserToken(h.ctx, "link-1", directory.ActivationToken)
		notFound(t, err, store.ResourceLink)
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"user.lifecycle.delete.completed", u.ID}, [2]string{e.Action, e.TargetID})
		ch := h.changes(t)
		equal(t, "last change", [2]string{string(directory.UserDeleted), u.ID}, [2]string{string(ch[len(ch)-1].Kind), ch[len(ch)-1].UserID})
		h.nothingWritten(t, func() { notFound(t, h.s.DeleteUser(h.ctx, u.ID), store.ResourceUser) })
	}},
	{"a user's groups are listed by name", func(t *testing.T, h *idpHarness) {
		var gs []directory.Group
		for _, name := range []string{"beta", "Alpha", "gamma"} {
			g, err := h.s.CreateGroup(h.ctx, directory.Group{Type: directory.OktaGroup, Name: name})
			ok(t, err)
			gs = append(gs, g)
		}
		u := h.createUser(t, gs[0].ID, gs[1].ID)
		got, err := h.s.UserGroups(h.ctx, u.ID)
		ok(t, err)
		equal(t, "groups", []directory.Group{gs[1], gs[0]}, got)
		alone := h.createUser(t)
		got, err = h.s.UserGroups(h.ctx, alone.ID)
		ok(t, err)
		equal(t, "no groups", 0, len(got))
		_, err = h.s.UserGroups(h.ctx, "00uMissing")
		notFound(t, err, store.ResourceUser)
	}},
	{"profile numbers read back exactly as they were written", func(t *testing.T, h *idpHarness) {
		// An integer attribute past 2^53 (an employee or badge number)
		// and a number's own spelling: a float64 would round the first
		// to ...992 and answer a later GET with another number.
		in := h.newUser()
		in.Profile["employeeNumber"] = json.Number("9007199254740993")
		in.Profile["costCenter"] = json.Number("-12345678901234567")
		u, err := h.s.CreateUser(h.ctx, in, nil)
		ok(t, err)
		got, err := h.s.User(h.ctx, u.ID)
		ok(t, err)
		for name, want := range map[string]string{"employeeNumber": "9007199254740993", "costCenter": "-12345678901234567"} {
			b, err := json.Marshal(got.Profile[name])
			ok(t, err)
			equal(t, name+" as the API writes it", want, string(b))
		}
	}},
	{"text with a NUL character or invalid UTF-8 is invalid and writes nothing", func(t *testing.T, h *idpHarness) {
		u := h.createUser(t)
		h.nothingWritten(t, func() {
			for _, bad := range []string{"nul\x00@example.com", "bad\xff@example.com"} {
				in := h.newUser()
				in.Profile["login"] = bad
				_, err := h.s.CreateUser(h.ctx, in, nil)
				isKind(t, err, errs.Invalid)
				in = h.newUser()
				in.Profile["nickName"] = bad
				_, err = h.s.CreateUser(h.ctx, in, nil)
				isKind(t, err, errs.Invalid)
				_, err = h.s.UserByLogin(h.ctx, bad)
				isKind(t, err, errs.Invalid)
				_, err = h.s.CreateGroup(h.ctx, directory.Group{Type: directory.OktaGroup, Name: bad})
				isKind(t, err, errs.Invalid)
				_, err = h.s.UpdateUser(h.ctx, u.ID, "user.account.update_profile", func(old directory.User) (directory.User, error) {
					old.Profile = old.Profile.Merge(directory.Profile{"title": bad})
					return old, nil
				})
				isKind(t, err, errs.Invalid)
			}
		})
	}},
}

// session is a live session of userID with hash idHash.
func (h *idpHarness) session(userID, idHash string) directory.Session {
	now := h.clk.Now()
	return directory.Session{IDHash: idHash, UserID: userID, IdleExpiresAt: now.Add(2 * time.Hour),
		ExpiresAt: now.Add(12 * time.Hour), AMR: []string{"pwd", "otp"}, IP: "192.0.2.1", UserAgent: "test"}
}

// link is a live one-time link of userID.
func (h *idpHarness) link(userID, hash string, purpose directory.UserTokenPurpose) directory.UserToken {
	return directory.UserToken{Hash: hash, UserID: userID, Purpose: purpose, ExpiresAt: h.clk.Now().Add(7 * 24 * time.Hour)}
}
