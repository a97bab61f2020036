package storetest

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// bootstrapped stores a fresh organization and returns it with its root.
func (h *harness) bootstrapped(t *testing.T) (store.Bootstrap, ic.Root) {
	t.Helper()
	b := h.newBootstrap()
	_, _, err := h.s.Bootstrap(h.ctx, b)
	ok(t, err)
	r, err := h.s.Root(h.ctx)
	ok(t, err)
	return b, r
}

// createOU stores a new OU under parent.
func (h *harness) createOU(t *testing.T, rootID, parent string) ic.OrgUnit {
	t.Helper()
	ou := ic.OrgUnit{ID: ic.NewOrgUnitID(clock.Random, rootID), Name: h.name("ou"), ParentID: parent, CreatedAt: h.clk.Now()}
	ok(t, h.s.CreateOrgUnit(h.ctx, ou, nil))
	return ou
}

func (h *harness) ousUnder(t *testing.T, parent string) []ic.OrgUnit {
	t.Helper()
	got, _ := walk(t, 2, func(p store.Page) ([]ic.OrgUnit, string, error) { return h.s.ListOrgUnits(h.ctx, parent, p) })
	return got
}

func (h *harness) accountsUnder(t *testing.T, parent string) []string {
	t.Helper()
	got, _ := walk(t, 2, func(p store.Page) ([]ic.Account, string, error) {
		return h.s.ListAccountsForParent(h.ctx, parent, p)
	})
	ids := make([]string, len(got))
	for i, a := range got {
		ids[i] = a.ID
	}
	return ids
}

var orgUnitTests = []test{
	{"bootstrap creates the root with no policy type enabled and the management account under it", func(t *testing.T, h *harness) {
		b, r := h.bootstrapped(t)
		equal(t, "root", ic.Root{ID: ic.RootIDFor(b.Organization.ID), Name: "Root", CreatedAt: b.Organization.CreatedAt}, r)
		parent, err := h.s.ParentOf(h.ctx, b.ManagementAccount.ID)
		ok(t, err)
		equal(t, "parent", r.ID, parent)
		equal(t, "accounts under the root", []string{b.ManagementAccount.ID}, h.accountsUnder(t, r.ID))
	}},
	{"a new account starts under the root", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		a := h.createAccount(t)
		parent, err := h.s.ParentOf(h.ctx, a.ID)
		ok(t, err)
		equal(t, "parent", r.ID, parent)
	}},
	{"an OU is stored under its parent and listed there with its path", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		top := h.createOU(t, r.ID, r.ID)
		child := h.createOU(t, r.ID, top.ID)
		got, err := h.s.OrgUnit(h.ctx, child.ID)
		ok(t, err)
		equal(t, "OU", child, got)
		equal(t, "OUs under the root", []ic.OrgUnit{top}, h.ousUnder(t, r.ID))
		equal(t, "OUs under the top OU", []ic.OrgUnit{child}, h.ousUnder(t, top.ID))
		path, err := h.s.PathOf(h.ctx, child.ID)
		ok(t, err)
		equal(t, "path", []string{r.ID, top.ID, child.ID}, path)
		equal(t, "event", "organizations.ou.create", h.lastEvent(t).Action)
	}},
	{"an OU under a missing parent is not found and writes nothing", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		ou := ic.OrgUnit{ID: ic.NewOrgUnitID(clock.Random, r.ID), Name: "x", ParentID: "ou-abcd-00000000", CreatedAt: h.clk.Now()}
		h.unchangedLog(t, func() { notFound(t, h.s.CreateOrgUnit(h.ctx, ou, nil), store.ResourceParent) })
	}},
	{"an OU name taken under the same parent is a conflict, under another parent it is not", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		a := h.createOU(t, r.ID, r.ID)
		dup := ic.OrgUnit{ID: ic.NewOrgUnitID(clock.Random, r.ID), Name: a.Name, ParentID: r.ID, CreatedAt: h.clk.Now()}
		h.unchangedLog(t, func() { taken(t, h.s.CreateOrgUnit(h.ctx, dup, nil), store.ResourceOrgUnit, store.FieldName) })
		dup.ParentID = a.ID
		ok(t, h.s.CreateOrgUnit(h.ctx, dup, nil))
	}},
	{"an OU is renamed in place and a rename onto a sibling's name is a conflict", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		a, b := h.createOU(t, r.ID, r.ID), h.createOU(t, r.ID, r.ID)
		got, err := h.s.UpdateOrgUnit(h.ctx, a.ID, func(ou ic.OrgUnit) (ic.OrgUnit, error) { ou.Name = "Renamed"; return ou, nil })
		ok(t, err)
		a.Name = "Renamed"
		equal(t, "renamed OU", a, got)
		_, err = h.s.UpdateOrgUnit(h.ctx, b.ID, func(ou ic.OrgUnit) (ic.OrgUnit, error) { ou.Name = "Renamed"; return ou, nil })
		taken(t, err, store.ResourceOrgUnit, store.FieldName)
		_, err = h.s.UpdateOrgUnit(h.ctx, b.ID, func(ou ic.OrgUnit) (ic.OrgUnit, error) { return ou, errFn })
		fnFailed(t, err)
	}},
	{"an OU holding an account or an OU is not deleted; an empty one is", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		top := h.createOU(t, r.ID, r.ID)
		child := h.createOU(t, r.ID, top.ID)
		taken(t, h.s.DeleteOrgUnit(h.ctx, top.ID), store.ResourceOrgUnit, store.FieldInUse)
		a := h.createAccount(t)
		ok(t, h.s.MoveAccount(h.ctx, a.ID, r.ID, child.ID))
		taken(t, h.s.DeleteOrgUnit(h.ctx, child.ID), store.ResourceOrgUnit, store.FieldInUse)
		ok(t, h.s.MoveAccount(h.ctx, a.ID, child.ID, r.ID))
		ok(t, h.s.DeleteOrgUnit(h.ctx, child.ID))
		ok(t, h.s.DeleteOrgUnit(h.ctx, top.ID))
		_, err := h.s.OrgUnit(h.ctx, top.ID)
		notFound(t, err, store.ResourceOrgUnit)
		notFound(t, h.s.DeleteOrgUnit(h.ctx, top.ID), store.ResourceOrgUnit)
		equal(t, "event", "organizations.ou.delete", h.actions(t)[len(h.actions(t))-2])
	}},
	{"an account moves between parents only from where it is", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		ou := h.createOU(t, r.ID, r.ID)
		a := h.createAccount(t)
		h.unchangedLog(t, func() {
			e := isKind(t, h.s.MoveAccount(h.ctx, a.ID, ou.ID, r.ID), errs.NotFound)
			equal(t, "missing source", []string{store.ResourceParent, ou.ID}, []string{e.ResourceType, e.ResourceID})
			e = isKind(t, h.s.MoveAccount(h.ctx, a.ID, r.ID, "ou-abcd-00000000"), errs.NotFound)
			equal(t, "missing destination", []string{store.ResourceParent, "ou-abcd-00000000"}, []string{e.ResourceType, e.ResourceID})
			taken(t, h.s.MoveAccount(h.ctx, a.ID, r.ID, r.ID), store.ResourceAccount, store.FieldParent)
			notFound(t, h.s.MoveAccount(h.ctx, "999999999999", r.ID, ou.ID), store.ResourceAccount)
		})
		ok(t, h.s.MoveAccount(h.ctx, a.ID, r.ID, ou.ID))
		equal(t, "accounts under the OU", []string{a.ID}, h.accountsUnder(t, ou.ID))
		path, err := h.s.PathOf(h.ctx, a.ID)
		ok(t, err)
		equal(t, "path", []string{r.ID, ou.ID, a.ID}, path)
		equal(t, "event", "organizations.account.move", h.lastEvent(t).Action)
	}},
	{"listing under a missing parent is not found", func(t *testing.T, h *harness) {
		h.bootstrapped(t)
		_, _, err := h.s.ListOrgUnits(h.ctx, "r-zzzz", store.Page{Limit: 5})
		notFound(t, err, store.ResourceParent)
		_, _, err = h.s.ListAccountsForParent(h.ctx, "ou-zzzz-00000000", store.Page{Limit: 5})
		notFound(t, err, store.ResourceParent)
		_, err = h.s.ParentOf(h.ctx, "ou-zzzz-00000000")
		notFound(t, err, store.ResourceOrgUnit)
	}},
}
