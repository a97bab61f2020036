package storetest

import (
	"testing"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

var orgTests = []test{
	{"bootstrap stores everything once and reports it created", func(t *testing.T, h *harness) {
		b := h.newBootstrap()
		got, created, err := h.s.Bootstrap(h.ctx, b)
		ok(t, err)
		if !created {
			t.Error("first Bootstrap reported nothing created")
		}
		equal(t, "bootstrap", b, got)
		org, err := h.s.Organization(h.ctx)
		ok(t, err)
		equal(t, "organization", b.Organization, org)
		inst, err := h.s.Instance(h.ctx)
		ok(t, err)
		equal(t, "instance", b.Instance, inst)
		key, err := h.s.AccessKey(h.ctx, b.RootKey.ID)
		ok(t, err)
		equal(t, "root key", b.RootKey, key)
		acct, err := h.s.Account(h.ctx, b.ManagementAccount.ID)
		ok(t, err)
		equal(t, "management account", b.ManagementAccount, acct)
		equal(t, "event", "keyward.bootstrap", h.lastEvent(t).Action)
	}},
	{"a second bootstrap keeps and returns what is stored", func(t *testing.T, h *harness) {
		first := h.newBootstrap()
		_, _, err := h.s.Bootstrap(h.ctx, first)
		ok(t, err)
		got, created, err := h.s.Bootstrap(h.ctx, h.newBootstrap())
		ok(t, err)
		if created {
			t.Error("second Bootstrap reported created")
		}
		equal(t, "bootstrap", first, got)
		accts, _, err := h.s.ListAccounts(h.ctx, store.Page{Limit: 10})
		ok(t, err)
		equal(t, "accounts", []ic.Account{first.ManagementAccount}, accts)
	}},
	{"organization and instance are not found before bootstrap", func(t *testing.T, h *harness) {
		_, err := h.s.Organization(h.ctx)
		notFound(t, err, "")
		_, err = h.s.Instance(h.ctx)
		notFound(t, err, "")
	}},
	{"a missing access key is not found", func(t *testing.T, h *harness) {
		_, err := h.s.AccessKey(h.ctx, "AKIAAAAAAAAAAAAAAAAA")
		notFound(t, err, "")
	}},
}

var accountTests = []test{
	{"an account is stored with its create request status", func(t *testing.T, h *harness) {
		a := h.newAccount()
		st := h.accountStatus(a)
		ok(t, h.s.CreateAccount(h.ctx, a, st))
		got, err := h.s.Account(h.ctx, a.ID)
		ok(t, err)
		equal(t, "account", a, got)
		gotSt, err := h.s.CreateAccountStatus(h.ctx, st.ID)
		ok(t, err)
		equal(t, "status", st, gotSt)
		e := h.lastEvent(t)
		equal(t, "event", []string{"organizations.account.create", "ACCOUNT", a.ID, audit.Success},
			[]string{e.Action, e.TargetType, e.TargetID, e.Outcome})
	}},
	{"a duplicate account email is a conflict, case-insensitively, and writes nothing", func(t *testing.T, h *harness) {
		a := h.createAccount(t)
		dup := h.newAccount()
		dup.Email = flipCase(a.Email)
		st := h.accountStatus(dup)
		h.unchangedLog(t, func() { conflict(t, h.s.CreateAccount(h.ctx, dup, st)) })
		_, err := h.s.Account(h.ctx, dup.ID)
		notFound(t, err, store.ResourceAccount)
		_, err = h.s.CreateAccountStatus(h.ctx, st.ID)
		notFound(t, err, "")
	}},
	{"a duplicate account id is a conflict", func(t *testing.T, h *harness) {
		a := h.createAccount(t)
		dup := h.newAccount()
		dup.ID = a.ID
		conflict(t, h.s.CreateAccount(h.ctx, dup, h.accountStatus(dup)))
	}},
	{"a failed create request is recorded with a FAILURE event", func(t *testing.T, h *harness) {
		st := ic.CreateAccountStatus{ID: "car-0123456789abcdef0123456789abcdef", AccountName: "x",
			State: ic.StateFailed, FailureReason: "EMAIL_ALREADY_EXISTS", RequestedAt: h.clk.Now(),
			CompletedAt: h.clk.Now()}
		ok(t, h.s.PutCreateAccountStatus(h.ctx, st))
		got, err := h.s.CreateAccountStatus(h.ctx, st.ID)
		ok(t, err)
		equal(t, "status", st, got)
		e := h.lastEvent(t)
		equal(t, "event", []string{"organizations.account.create", audit.Failure}, []string{e.Action, e.Outcome})
	}},
	{"a missing account or request status is not found", func(t *testing.T, h *harness) {
		_, err := h.s.Account(h.ctx, "111111111111")
		notFound(t, err, store.ResourceAccount)
		_, err = h.s.CreateAccountStatus(h.ctx, "car-00000000000000000000000000000000")
		notFound(t, err, "")
	}},
	{"accounts are listed in id order across pages", func(t *testing.T, h *harness) {
		var want []ic.Account
		for range 7 {
			want = append(want, h.createAccount(t))
		}
		sortBy(want, func(a ic.Account) string { return a.ID })
		got, pages := walk(t, 3, func(p store.Page) ([]ic.Account, string, error) { return h.s.ListAccounts(h.ctx, p) })
		equal(t, "accounts", want, got)
		equal(t, "pages", 3, pages)
	}},
}
