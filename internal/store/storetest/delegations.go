package storetest

import (
	"fmt"
	"testing"
	"time"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

var orgTagTests = []test{
	{"tags are added, replaced, listed in key order and removed", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		ok(t, h.s.TagOrgResource(h.ctx, r.ID, []ic.Tag{{Key: "b", Value: "1"}, {Key: "a", Value: "2"}}))
		ok(t, h.s.TagOrgResource(h.ctx, r.ID, []ic.Tag{{Key: "b", Value: "3"}}))
		tags, err := h.s.OrgResourceTags(h.ctx, r.ID)
		ok(t, err)
		equal(t, "tags", []ic.Tag{{Key: "a", Value: "2"}, {Key: "b", Value: "3"}}, tags)
		ok(t, h.s.UntagOrgResource(h.ctx, r.ID, []string{"a", "absent"}))
		tags, err = h.s.OrgResourceTags(h.ctx, r.ID)
		ok(t, err)
		equal(t, "tags", []ic.Tag{{Key: "b", Value: "3"}}, tags)
		equal(t, "event", "organizations.resource.untag", h.lastEvent(t).Action)
	}},
	{"a 51st tag is a conflict and writes nothing", func(t *testing.T, h *harness) {
		a := h.createAccount(t)
		var tags []ic.Tag
		for i := range 50 {
			tags = append(tags, ic.Tag{Key: fmt.Sprintf("k%02d", i), Value: "v"})
		}
		ok(t, h.s.TagOrgResource(h.ctx, a.ID, tags))
		h.unchangedLog(t, func() {
			taken(t, h.s.TagOrgResource(h.ctx, a.ID, []ic.Tag{{Key: "one-more", Value: "v"}}), store.ResourcePolicyTarget, store.FieldTagLimit)
		})
		got, err := h.s.OrgResourceTags(h.ctx, a.ID)
		ok(t, err)
		equal(t, "tag count", 50, len(got))
	}},
	{"tagging a missing resource is not found", func(t *testing.T, h *harness) {
		for _, id := range []string{"r-zzzz", "ou-zzzz-00000000", "999999999999", "p-00000000"} {
			notFound(t, h.s.TagOrgResource(h.ctx, id, []ic.Tag{{Key: "k", Value: "v"}}), store.ResourcePolicyTarget)
			_, err := h.s.OrgResourceTags(h.ctx, id)
			notFound(t, err, store.ResourcePolicyTarget)
		}
	}},
}

var delegationTests = []test{
	{"delegated administrators are registered, listed per service and per account, and deregistered", func(t *testing.T, h *harness) {
		a, b := h.createAccount(t), h.createAccount(t)
		at := h.clk.Now()
		reg := func(acct, sp string) ic.DelegatedAdmin {
			d := ic.DelegatedAdmin{AccountID: acct, ServicePrincipal: sp, EnabledAt: h.clk.Now()}
			ok(t, h.s.RegisterDelegatedAdmin(h.ctx, d, 0))
			h.clk.Advance(time.Minute)
			return d
		}
		sso, guard, other := reg(a.ID, "sso.amazonaws.com"), reg(a.ID, "guardduty.amazonaws.com"), reg(b.ID, "sso.amazonaws.com")
		taken(t, h.s.RegisterDelegatedAdmin(h.ctx, sso, 0), store.ResourceDelegation, store.FieldID)
		c := h.createAccount(t)
		h.unchangedLog(t, func() {
			one := ic.DelegatedAdmin{AccountID: c.ID, ServicePrincipal: "sso.amazonaws.com", EnabledAt: h.clk.Now()}
			taken(t, h.s.RegisterDelegatedAdmin(h.ctx, one, 2), store.ResourceDelegation, store.FieldLimit)
		})
		forSSO, _ := walk(t, 1, func(p store.Page) ([]ic.DelegatedAdmin, string, error) {
			return h.s.ListDelegatedAdmins(h.ctx, "sso.amazonaws.com", p)
		})
		want := []ic.DelegatedAdmin{sso, other}
		sortBy(want, func(d ic.DelegatedAdmin) string { return d.AccountID })
		equal(t, "admins for sso", want, forSSO)
		all, _ := walk(t, 1, func(p store.Page) ([]ic.DelegatedAdmin, string, error) { return h.s.ListDelegatedAdmins(h.ctx, "", p) })
		want = []ic.DelegatedAdmin{{AccountID: a.ID, EnabledAt: at}, {AccountID: b.ID, EnabledAt: other.EnabledAt}}
		sortBy(want, func(d ic.DelegatedAdmin) string { return d.AccountID })
		equal(t, "every admin once, with its earliest delegation", want, all)
		services, _ := walk(t, 1, func(p store.Page) ([]ic.DelegatedAdmin, string, error) {
			return h.s.ListDelegatedServices(h.ctx, a.ID, p)
		})
		equal(t, "services of a", []ic.DelegatedAdmin{guard, sso}, services)
		ok(t, h.s.DeregisterDelegatedAdmin(h.ctx, a.ID, "sso.amazonaws.com"))
		notFound(t, h.s.DeregisterDelegatedAdmin(h.ctx, a.ID, "sso.amazonaws.com"), store.ResourceDelegation)
		notFound(t, h.s.RegisterDelegatedAdmin(h.ctx, ic.DelegatedAdmin{AccountID: "999999999999", ServicePrincipal: "sso.amazonaws.com"}, 0),
			store.ResourceAccount)
	}},
	{"trusted access is enabled once, listed and disabled", func(t *testing.T, h *harness) {
		first := ic.ServiceAccess{ServicePrincipal: "sso.amazonaws.com", EnabledAt: h.clk.Now()}
		ok(t, h.s.EnableServiceAccess(h.ctx, first))
		h.clk.Advance(time.Hour)
		ok(t, h.s.EnableServiceAccess(h.ctx, ic.ServiceAccess{ServicePrincipal: "sso.amazonaws.com", EnabledAt: h.clk.Now()}))
		ok(t, h.s.EnableServiceAccess(h.ctx, ic.ServiceAccess{ServicePrincipal: "account.amazonaws.com", EnabledAt: h.clk.Now()}))
		got, err := h.s.ServiceAccess(h.ctx, "sso.amazonaws.com")
		ok(t, err)
		equal(t, "access keeps its first date", first, got)
		all, _ := walk(t, 1, func(p store.Page) ([]ic.ServiceAccess, string, error) { return h.s.ListServiceAccess(h.ctx, p) })
		equal(t, "services", []string{"account.amazonaws.com", "sso.amazonaws.com"},
			[]string{all[0].ServicePrincipal, all[1].ServicePrincipal})
		ok(t, h.s.DisableServiceAccess(h.ctx, "sso.amazonaws.com"))
		_, err = h.s.ServiceAccess(h.ctx, "sso.amazonaws.com")
		notFound(t, err, "")
		equal(t, "event", "organizations.serviceaccess.disable", h.lastEvent(t).Action)
	}},
}
