package storetest

import (
	"sync"
	"testing"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// createSecretClient stores a confidential OIDC app whose first secret
// hashes to hash.
func (h *idpHarness) createSecretClient(t *testing.T, hash string) directory.App {
	t.Helper()
	a := h.newOIDCApp()
	a.OAuth.ApplicationType, a.OAuth.TokenEndpointAuthMethod = directory.AppTypeService, directory.AuthClientSecretBasic
	a.OAuth.GrantTypes, a.OAuth.RedirectURIs = []string{directory.GrantClientCredentials}, nil
	a.OAuth.SecretHash = hash
	a, err := h.s.CreateApp(h.ctx, a)
	ok(t, err)
	return a
}

// secretHashes lists the client's secrets as "hash status", oldest first.
func (h *idpHarness) secretHashes(t *testing.T, clientID string) []string {
	t.Helper()
	all, err := h.s.ClientSecrets(h.ctx, clientID)
	ok(t, err)
	var out []string
	for _, c := range all {
		out = append(out, c.Hash+" "+string(c.Status))
	}
	return out
}

func (h *idpHarness) addSecret(t *testing.T, clientID, hash string) directory.ClientSecret {
	t.Helper()
	c, err := h.s.CreateClientSecret(h.ctx, directory.ClientSecret{ClientID: clientID, Hash: hash, Status: directory.AppActive})
	ok(t, err)
	return c
}

var idpClientSecretTests = []idpTest{
	{"an app's secret hash becomes its first secret and is not kept on the app", func(t *testing.T, h *idpHarness) {
		a := h.createSecretClient(t, "hash-1")
		equal(t, "the app created", "", a.OAuth.SecretHash)
		read, err := h.s.App(h.ctx, a.ID)
		ok(t, err)
		equal(t, "the app read back", "", read.OAuth.SecretHash)
		all, err := h.s.ClientSecrets(h.ctx, a.ID)
		ok(t, err)
		if len(all) != 1 || !directory.ValidID(all[0].ID) || all[0].ClientID != a.ID {
			t.Fatalf("secrets = %+v", all)
		}
		equal(t, "the secret", directory.ClientSecret{ID: all[0].ID, ClientID: a.ID, Hash: "hash-1",
			Status: directory.AppActive, Created: start, LastUpdated: start}, all[0])
		one, err := h.s.ClientSecret(h.ctx, a.ID, all[0].ID)
		ok(t, err)
		equal(t, "read by id", all[0], one)
	}},
	{"a client holds at most two secrets, and racing creations store no third", func(t *testing.T, h *idpHarness) {
		a := h.createSecretClient(t, "hash-1")
		h.newer()
		second := h.addSecret(t, a.ID, "hash-2")
		equalTime(t, "created", h.clk.Now(), second.Created)
		equal(t, "secrets", []string{"hash-1 ACTIVE", "hash-2 ACTIVE"}, h.secretHashes(t, a.ID))
		equal(t, "last event", "app.oauth2.credentials.lifecycle.create", h.lastEvent(t).Action)
		h.nothingWritten(t, func() {
			_, err := h.s.CreateClientSecret(h.ctx, directory.ClientSecret{ClientID: a.ID, Hash: "hash-3", Status: directory.AppActive})
			taken(t, err, store.ResourceClientSecret, store.FieldClientSecrets)
		})

		b := h.createSecretClient(t, "b-1")
		h.newer()
		var wg sync.WaitGroup
		results := make([]error, 4)
		for i := range results {
			wg.Go(func() {
				_, results[i] = h.s.CreateClientSecret(h.ctx, directory.ClientSecret{ClientID: b.ID, Hash: "b-race", Status: directory.AppInactive})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range results {
			if err == nil {
				won++
			} else {
				taken(t, err, store.ResourceClientSecret, store.FieldClientSecrets)
			}
		}
		equal(t, "racers that won", 1, won)
		equal(t, "secrets", []string{"b-1 ACTIVE", "b-race INACTIVE"}, h.secretHashes(t, b.ID))
	}},
	{"the last active secret cannot be deactivated, and only an inactive one deleted", func(t *testing.T, h *idpHarness) {
		a := h.createSecretClient(t, "hash-1")
		all, err := h.s.ClientSecrets(h.ctx, a.ID)
		ok(t, err)
		old := all[0]
		h.nothingWritten(t, func() {
			_, err := h.s.SetClientSecretStatus(h.ctx, a.ID, old.ID, directory.AppInactive)
			taken(t, err, store.ResourceClientSecret, store.FieldStatus)
			taken(t, h.s.DeleteClientSecret(h.ctx, a.ID, old.ID), store.ResourceClientSecret, store.FieldStatus)
		})
		next := h.addSecret(t, a.ID, "hash-2")
		at := h.newer()
		got, err := h.s.SetClientSecretStatus(h.ctx, a.ID, old.ID, directory.AppInactive)
		ok(t, err)
		equal(t, "status", directory.AppInactive, got.Status)
		equalTime(t, "last updated", at, got.LastUpdated)
		equal(t, "last event", "app.oauth2.credentials.lifecycle.deactivate", h.lastEvent(t).Action)
		h.nothingWritten(t, func() {
			_, err := h.s.SetClientSecretStatus(h.ctx, a.ID, next.ID, directory.AppInactive)
			taken(t, err, store.ResourceClientSecret, store.FieldStatus)
			again, err := h.s.SetClientSecretStatus(h.ctx, a.ID, old.ID, directory.AppInactive)
			ok(t, err)
			equal(t, "deactivated again", got, again)
		})
		ok(t, h.s.DeleteClientSecret(h.ctx, a.ID, old.ID))
		equal(t, "last event", "app.oauth2.credentials.lifecycle.delete", h.lastEvent(t).Action)
		equal(t, "secrets", []string{"hash-2 ACTIVE"}, h.secretHashes(t, a.ID))
		_, err = h.s.ClientSecret(h.ctx, a.ID, old.ID)
		notFound(t, err, store.ResourceClientSecret)

		back := h.addSecret(t, a.ID, "hash-3")
		_, err = h.s.SetClientSecretStatus(h.ctx, a.ID, back.ID, directory.AppInactive)
		ok(t, err)
		_, err = h.s.SetClientSecretStatus(h.ctx, a.ID, back.ID, directory.AppActive)
		ok(t, err)
		equal(t, "last event", "app.oauth2.credentials.lifecycle.activate", h.lastEvent(t).Action)
		equal(t, "event target", a.ID, h.lastEvent(t).TargetID)
	}},
	{"secrets are the client's own: another client's id or an unknown app is not found", func(t *testing.T, h *idpHarness) {
		a, b := h.createSecretClient(t, "a-1"), h.createSecretClient(t, "b-1")
		bs, err := h.s.ClientSecrets(h.ctx, b.ID)
		ok(t, err)
		h.nothingWritten(t, func() {
			_, err := h.s.ClientSecret(h.ctx, a.ID, bs[0].ID)
			notFound(t, err, store.ResourceClientSecret)
			_, err = h.s.SetClientSecretStatus(h.ctx, a.ID, bs[0].ID, directory.AppActive)
			notFound(t, err, store.ResourceClientSecret)
			notFound(t, h.s.DeleteClientSecret(h.ctx, a.ID, bs[0].ID), store.ResourceClientSecret)
			_, err = h.s.ClientSecrets(h.ctx, "0oaNoSuchApp")
			notFound(t, err, store.ResourceApp)
			_, err = h.s.CreateClientSecret(h.ctx, directory.ClientSecret{ClientID: "0oaNoSuchApp", Hash: "x", Status: directory.AppActive})
			notFound(t, err, store.ResourceApp)
			_, err = h.s.CreateClientSecret(h.ctx, directory.ClientSecret{ClientID: a.ID, Hash: "x", Status: "REVOKED"})
			isKind(t, err, errs.Invalid)
			_, err = h.s.CreateClientSecret(h.ctx, directory.ClientSecret{ClientID: a.ID, Status: directory.AppActive})
			isKind(t, err, errs.Invalid)
			_, err = h.s.SetClientSecretStatus(h.ctx, a.ID, bs[0].ID, "REVOKED")
			isKind(t, err, errs.Invalid)
		})
		none, err := h.s.ClientSecrets(h.ctx, h.createOIDCApp(t).ID)
		ok(t, err)
		equal(t, "a public client's secrets", 0, len(none))
	}},
	{"an update with a secret hash replaces every secret; one to a method without secrets drops them", func(t *testing.T, h *idpHarness) {
		a := h.createSecretClient(t, "hash-1")
		h.newer()
		h.addSecret(t, a.ID, "hash-2")
		update := func(fn func(*directory.App)) error {
			_, err := h.s.UpdateApp(h.ctx, a.ID, "application.lifecycle.update", func(old directory.App) (directory.App, error) {
				fn(&old)
				return old, nil
			})
			return err
		}
		ok(t, update(func(a *directory.App) { a.Label = "renamed" }))
		equal(t, "after a rename", []string{"hash-1 ACTIVE", "hash-2 ACTIVE"}, h.secretHashes(t, a.ID))
		ok(t, update(func(a *directory.App) { a.OAuth.SecretHash = "hash-3" }))
		equal(t, "after a new secret", []string{"hash-3 ACTIVE"}, h.secretHashes(t, a.ID))
		ok(t, update(func(a *directory.App) { a.OAuth.TokenEndpointAuthMethod = directory.AuthPrivateKeyJWT }))
		equal(t, "after private_key_jwt", []string(nil), h.secretHashes(t, a.ID))
		h.nothingWritten(t, func() {
			isKind(t, update(func(a *directory.App) { a.OAuth.SecretHash = "hash-4" }), errs.Invalid)
			in := h.newOIDCApp()
			in.OAuth.SecretHash = "hash-5"
			_, err := h.s.CreateApp(h.ctx, in)
			isKind(t, err, errs.Invalid)
		})
	}},
	{"secrets go with their app", func(t *testing.T, h *idpHarness) {
		a := h.createSecretClient(t, "hash-1")
		_, err := h.s.UpdateApp(h.ctx, a.ID, "application.lifecycle.deactivate", func(a directory.App) (directory.App, error) {
			a.Status = directory.AppInactive
			return a, nil
		})
		ok(t, err)
		ok(t, h.s.DeleteApp(h.ctx, a.ID))
		back := h.createSecretClient(t, "hash-1")
		equal(t, "a new app's", []string{"hash-1 ACTIVE"}, h.secretHashes(t, back.ID))
		_, err = h.s.ClientSecrets(h.ctx, a.ID)
		notFound(t, err, store.ResourceApp)
	}},
}
