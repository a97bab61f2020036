package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// newAuthServer returns an unsaved active authorization server with a
// unique id and name, a custom scope, a claim and a policy with a rule.
func (h *idpHarness) newAuthServer() directory.AuthServer {
	n := h.next()
	now := h.clk.Now()
	return directory.AuthServer{ID: fmt.Sprintf("ausServer%03d", n), Name: fmt.Sprintf("Server %03d", n),
		Description: "for the CI jobs", Audiences: []string{"api://ci"}, Status: directory.AppActive,
		Created: now, LastUpdated: now,
		Scopes: []directory.AuthScope{{ID: "scpM2M", Name: "okta-m2m-access", Description: "machines",
			Consent: "IMPLICIT", Default: true}, {ID: "scpOpenID", Name: "openid", Consent: "IMPLICIT", System: true}},
		Claims: []directory.AuthClaim{{ID: "oclGroups", Name: "groups", Status: directory.AppActive,
			ClaimType: directory.ClaimIdentity, ValueType: directory.ClaimGroups, Value: "aws-",
			GroupFilter: directory.FilterStartsWith, Scopes: []string{"openid"}, AlwaysIncludeInToken: true}},
		Policies: []directory.AuthPolicy{{ID: "00pCI", Name: "CI", Status: directory.AppActive, Priority: 1,
			Clients: []string{directory.AllClients}, Rules: []directory.AuthRule{{ID: "0prCC", Name: "client credentials",
				Status: directory.AppActive, Priority: 1, GrantTypes: []string{directory.GrantClientCredentials},
				Scopes: []string{"okta-m2m-access"}, Everyone: true, AccessTokenLifetime: time.Hour,
				RefreshTokenWindow: 24 * time.Hour}}}},
	}
}

func (h *idpHarness) createAuthServer(t *testing.T) directory.AuthServer {
	t.Helper()
	a, err := h.s.CreateAuthServer(h.ctx, h.newAuthServer())
	ok(t, err)
	return a
}

// deactivate makes the server INACTIVE.
func (h *idpHarness) deactivate(t *testing.T, id string) {
	t.Helper()
	_, err := h.s.UpdateAuthServer(h.ctx, id, "oauth2.as.deactivated", func(old directory.AuthServer) (directory.AuthServer, error) {
		old.Status = directory.AppInactive
		return old, nil
	})
	ok(t, err)
}

var idpAuthServerTests = []idpTest{
	{"a server is created as given, read back whole, updated and deleted once inactive", func(t *testing.T, h *idpHarness) {
		want := h.newAuthServer()
		a, err := h.s.CreateAuthServer(h.ctx, want)
		ok(t, err)
		equal(t, "created", want, a)
		got, err := h.s.AuthServer(h.ctx, a.ID)
		ok(t, err)
		equal(t, "read back", want, got)
		e := h.lastEvent(t)
		equal(t, "event", [4]string{"oauth2.as.created", "AuthorizationServer", a.ID, a.Name},
			[4]string{e.Action, e.TargetType, e.TargetID, e.TargetName})

		later := h.newer()
		got, err = h.s.UpdateAuthServer(h.ctx, a.ID, "oauth2.scope.created", func(old directory.AuthServer) (directory.AuthServer, error) {
			old.ID, old.Created, old.Name = "ausOther", later, "Renamed"
			old.Scopes = append(old.Scopes, directory.AuthScope{ID: "scpRead", Name: "read", Consent: "REQUIRED"})
			return old, nil
		})
		ok(t, err)
		want.Name, want.LastUpdated = "Renamed", later
		want.Scopes = append(want.Scopes, directory.AuthScope{ID: "scpRead", Name: "read", Consent: "REQUIRED"})
		equal(t, "updated (id and creation kept)", want, got)
		read, err := h.s.AuthServer(h.ctx, a.ID)
		ok(t, err)
		equal(t, "read after update", want, read)
		e = h.lastEvent(t)
		equal(t, "event", [2]string{"oauth2.scope.created", "Renamed"}, [2]string{e.Action, e.TargetName})

		h.deactivate(t, a.ID)
		ok(t, h.s.DeleteAuthServer(h.ctx, a.ID))
		_, err = h.s.AuthServer(h.ctx, a.ID)
		notFound(t, err, store.ResourceAuthServer)
		e = h.lastEvent(t)
		equal(t, "event", [2]string{"oauth2.as.deleted", "Renamed"}, [2]string{e.Action, e.TargetName})
	}},
	{"bootstrap stores the default server with the administrator, once", func(t *testing.T, h *idpHarness) {
		def := h.newAuthServer()
		def.ID, def.Name = directory.DefaultAuthServer, "default"
		b := store.IdPBootstrap{Admin: h.newUser(), Token: directory.APIToken{Name: "bootstrap"}, TokenHash: "h1", AuthServer: def}
		created, err := h.s.BootstrapIdP(h.ctx, b)
		ok(t, err)
		equal(t, "created", true, created)
		got, err := h.s.AuthServer(h.ctx, directory.DefaultAuthServer)
		ok(t, err)
		equal(t, "default server", def, got)
		acts := h.actions(t)
		equal(t, "events", []string{"oauth2.as.created", "keyward.idp.bootstrap"}, acts[len(acts)-2:])
		h.deactivate(t, def.ID)
		ok(t, h.s.DeleteAuthServer(h.ctx, def.ID))
		b.Admin, b.TokenHash = h.newUser(), "h2"
		h.nothingWritten(t, func() {
			created, err := h.s.BootstrapIdP(h.ctx, b)
			ok(t, err)
			equal(t, "created again", false, created)
		})
		_, err = h.s.AuthServer(h.ctx, directory.DefaultAuthServer)
		notFound(t, err, store.ResourceAuthServer) // a deleted default server stays deleted, as Okta's
	}},
	{"servers are listed by name", func(t *testing.T, h *idpHarness) {
		for _, name := range []string{"Charlie", "alpha", "Bravo"} {
			s := h.newAuthServer()
			s.Name = name
			_, err := h.s.CreateAuthServer(h.ctx, s)
			ok(t, err)
		}
		all, err := h.s.ListAuthServers(h.ctx)
		ok(t, err)
		var names []string
		for _, s := range all {
			names = append(names, s.Name)
		}
		equal(t, "names", []string{"Bravo", "Charlie", "alpha"}, names)
	}},
	{"a taken id or name is a conflict and failed server calls write nothing", func(t *testing.T, h *idpHarness) {
		a, b := h.createAuthServer(t), h.createAuthServer(t)
		h.nothingWritten(t, func() {
			dup := h.newAuthServer()
			dup.ID = a.ID
			_, err := h.s.CreateAuthServer(h.ctx, dup)
			taken(t, err, store.ResourceAuthServer, store.FieldID)
			dup = h.newAuthServer()
			dup.Name = a.Name
			_, err = h.s.CreateAuthServer(h.ctx, dup)
			taken(t, err, store.ResourceAuthServer, store.FieldName)
			_, err = h.s.UpdateAuthServer(h.ctx, b.ID, "oauth2.as.updated", func(old directory.AuthServer) (directory.AuthServer, error) {
				old.Name = a.Name
				return old, nil
			})
			taken(t, err, store.ResourceAuthServer, store.FieldName)
			_, err = h.s.UpdateAuthServer(h.ctx, b.ID, "oauth2.as.updated", func(old directory.AuthServer) (directory.AuthServer, error) { return old, errFn })
			fnFailed(t, err)
			_, err = h.s.UpdateAuthServer(h.ctx, "ausMissing", "oauth2.as.updated", func(old directory.AuthServer) (directory.AuthServer, error) { return old, nil })
			notFound(t, err, store.ResourceAuthServer)
			taken(t, h.s.DeleteAuthServer(h.ctx, a.ID), store.ResourceAuthServer, store.FieldStatus)
			notFound(t, h.s.DeleteAuthServer(h.ctx, "ausMissing"), store.ResourceAuthServer)
		})
		got, err := h.s.AuthServer(h.ctx, b.ID)
		ok(t, err)
		equal(t, "unchanged", b, got)
	}},
	{"a server the store cannot keep is refused", func(t *testing.T, h *idpHarness) {
		bad := map[string]func(*directory.AuthServer){
			"no id":              func(s *directory.AuthServer) { s.ID = "" },
			"no name":            func(s *directory.AuthServer) { s.Name = "" },
			"an unknown status":  func(s *directory.AuthServer) { s.Status = "PAUSED" },
			"a NUL in a scope":   func(s *directory.AuthServer) { s.Scopes[0].Description = "a\x00b" },
			"bad UTF-8 in rules": func(s *directory.AuthServer) { s.Policies[0].Rules[0].Users = []string{"\xff"} },
			"oversized claims": func(s *directory.AuthServer) {
				s.Claims[0].Value = strings.Repeat("x", 2<<20)
			},
		}
		for what, spoil := range bad {
			t.Run(what, func(t *testing.T) {
				s := h.newAuthServer()
				spoil(&s)
				h.nothingWritten(t, func() {
					_, err := h.s.CreateAuthServer(h.ctx, s)
					isKind(t, err, errs.Invalid)
				})
			})
		}
	}},
}
