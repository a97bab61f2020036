package storetest

import (
	"sync"
	"testing"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const denyDeleteRole = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}`

func (h *harness) createSCP(t *testing.T) ic.OrgPolicy {
	t.Helper()
	p := ic.OrgPolicy{ID: ic.NewOrgPolicyID(clock.Random), Type: ic.SCP, Name: h.name("scp"),
		Description: "deny", Content: denyDeleteRole, CreatedAt: h.clk.Now()}
	ok(t, h.s.CreateOrgPolicy(h.ctx, p, []ic.Tag{{Key: "team", Value: "sec"}}))
	return p
}

func (h *harness) enableSCPs(t *testing.T, rootID string) {
	t.Helper()
	_, err := h.s.SetPolicyType(h.ctx, rootID, ic.SCP, true)
	ok(t, err)
}

func (h *harness) policiesOn(t *testing.T, target string) []string {
	t.Helper()
	got, _ := walk(t, 2, func(p store.Page) ([]ic.OrgPolicy, string, error) {
		return h.s.ListPoliciesForTarget(h.ctx, target, ic.SCP, p)
	})
	ids := make([]string, len(got))
	for i, p := range got {
		ids[i] = p.ID
	}
	return ids
}

func fullAccess() ic.OrgPolicy { return ic.FullAWSAccess }

var orgPolicyTests = []test{
	{"FullAWSAccess exists and enabling SCPs attaches it everywhere, including to OUs and accounts made later", func(t *testing.T, h *harness) {
		b, r := h.bootstrapped(t)
		got, err := h.s.OrgPolicy(h.ctx, ic.FullAWSAccessID)
		ok(t, err)
		equal(t, "FullAWSAccess", fullAccess(), got)
		before := h.createOU(t, r.ID, r.ID)
		equal(t, "policies before enabling", []string{}, h.policiesOn(t, before.ID))
		h.enableSCPs(t, r.ID)
		after := h.createOU(t, r.ID, r.ID)
		a := h.createAccount(t)
		for _, target := range []string{r.ID, before.ID, after.ID, a.ID, b.ManagementAccount.ID} {
			equal(t, "policies on "+target, []string{ic.FullAWSAccessID}, h.policiesOn(t, target))
		}
		root, err := h.s.Root(h.ctx)
		ok(t, err)
		equal(t, "policy types", []string{ic.SCP}, root.PolicyTypes)
	}},
	{"enabling an enabled type or disabling a disabled one is a conflict, and a wrong root is not found", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		h.unchangedLog(t, func() {
			_, err := h.s.SetPolicyType(h.ctx, r.ID, ic.SCP, false)
			taken(t, err, store.ResourceRoot, store.FieldPolicyType)
			_, err = h.s.SetPolicyType(h.ctx, "r-zzzz", ic.SCP, true)
			notFound(t, err, store.ResourceRoot)
		})
		h.enableSCPs(t, r.ID)
		_, err := h.s.SetPolicyType(h.ctx, r.ID, ic.SCP, true)
		taken(t, err, store.ResourceRoot, store.FieldPolicyType)
	}},
	{"disabling SCPs detaches every SCP", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		h.enableSCPs(t, r.ID)
		p := h.createSCP(t)
		ok(t, h.s.AttachPolicy(h.ctx, p.ID, r.ID))
		_, err := h.s.SetPolicyType(h.ctx, r.ID, ic.SCP, false)
		ok(t, err)
		equal(t, "policies on the root", []string{}, h.policiesOn(t, r.ID))
		equal(t, "event", "organizations.policytype.disable", h.lastEvent(t).Action)
	}},
	{"a policy is stored, updated, listed by type and deleted", func(t *testing.T, h *harness) {
		h.bootstrapped(t)
		p := h.createSCP(t)
		got, err := h.s.OrgPolicy(h.ctx, p.ID)
		ok(t, err)
		equal(t, "policy", p, got)
		tags, err := h.s.OrgResourceTags(h.ctx, p.ID)
		ok(t, err)
		equal(t, "tags", []ic.Tag{{Key: "team", Value: "sec"}}, tags)
		got, err = h.s.UpdateOrgPolicy(h.ctx, p.ID, func(o ic.OrgPolicy) (ic.OrgPolicy, error) {
			o.Name, o.AWSManaged, o.Type = "Renamed", true, "TAG_POLICY"
			return o, nil
		})
		ok(t, err)
		p.Name = "Renamed"
		equal(t, "updated policy", p, got)
		all, _ := walk(t, 1, func(pg store.Page) ([]ic.OrgPolicy, string, error) { return h.s.ListOrgPolicies(h.ctx, ic.SCP, pg) })
		want := []ic.OrgPolicy{p, fullAccess()}
		sortBy(want, func(p ic.OrgPolicy) string { return p.ID })
		equal(t, "policies", want, all)
		ok(t, h.s.DeleteOrgPolicy(h.ctx, p.ID))
		_, err = h.s.OrgPolicy(h.ctx, p.ID)
		notFound(t, err, store.ResourceOrgPolicy)
	}},
	{"a policy name taken within its type is a conflict", func(t *testing.T, h *harness) {
		p := h.createSCP(t)
		dup := p
		dup.ID = ic.NewOrgPolicyID(clock.Random)
		h.unchangedLog(t, func() { taken(t, h.s.CreateOrgPolicy(h.ctx, dup, nil), store.ResourceOrgPolicy, store.FieldName) })
	}},
	{"attaching needs the type enabled, refuses duplicates and a sixth SCP", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		p := h.createSCP(t)
		h.unchangedLog(t, func() {
			taken(t, h.s.AttachPolicy(h.ctx, p.ID, r.ID), store.ResourceOrgPolicy, store.FieldPolicyType)
		})
		h.enableSCPs(t, r.ID)
		ok(t, h.s.AttachPolicy(h.ctx, p.ID, r.ID))
		taken(t, h.s.AttachPolicy(h.ctx, p.ID, r.ID), store.ResourceOrgPolicy, store.FieldAttached)
		for range 3 {
			ok(t, h.s.AttachPolicy(h.ctx, h.createSCP(t).ID, r.ID))
		}
		sixth := h.createSCP(t)
		h.unchangedLog(t, func() {
			taken(t, h.s.AttachPolicy(h.ctx, sixth.ID, r.ID), store.ResourceOrgPolicy, store.FieldMaxAttached)
		})
		notFound(t, h.s.AttachPolicy(h.ctx, "p-00000000", r.ID), store.ResourceOrgPolicy)
		notFound(t, h.s.AttachPolicy(h.ctx, p.ID, "ou-zzzz-00000000"), store.ResourcePolicyTarget)
		targets, _ := walk(t, 5, func(pg store.Page) ([]string, string, error) { return h.s.ListTargetsForPolicy(h.ctx, p.ID, pg) })
		equal(t, "targets", []string{r.ID}, targets)
		taken(t, h.s.DeleteOrgPolicy(h.ctx, p.ID), store.ResourceOrgPolicy, store.FieldInUse)
	}},
	{"concurrent attachments never take a target past five SCPs", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		h.enableSCPs(t, r.ID)
		var ids []string
		for range 8 {
			ids = append(ids, h.createSCP(t).ID)
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for i, id := range ids {
			wg.Go(func() { errs[i] = h.s.AttachPolicy(h.ctx, id, r.ID) })
		}
		wg.Wait()
		attached := 0
		for _, err := range errs {
			if err == nil {
				attached++
			} else {
				taken(t, err, store.ResourceOrgPolicy, store.FieldMaxAttached)
			}
		}
		equal(t, "attached beside FullAWSAccess", ic.MaxSCPsPerTarget-1, attached)
		equal(t, "policies on the root", ic.MaxSCPsPerTarget, len(h.policiesOn(t, r.ID)))
	}},
	{"detaching refuses what is not attached and the last SCP of a target", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		h.enableSCPs(t, r.ID)
		p := h.createSCP(t)
		notFound(t, h.s.DetachPolicy(h.ctx, p.ID, r.ID), store.ResourceAttachment)
		h.unchangedLog(t, func() {
			taken(t, h.s.DetachPolicy(h.ctx, ic.FullAWSAccessID, r.ID), store.ResourceOrgPolicy, store.FieldLastPolicy)
		})
		ok(t, h.s.AttachPolicy(h.ctx, p.ID, r.ID))
		ok(t, h.s.DetachPolicy(h.ctx, ic.FullAWSAccessID, r.ID))
		equal(t, "policies on the root", []string{p.ID}, h.policiesOn(t, r.ID))
		equal(t, "event", "organizations.policy.detach", h.lastEvent(t).Action)
	}},
	{"effective SCPs list each level of an account's path, and nothing while SCPs are disabled", func(t *testing.T, h *harness) {
		_, r := h.bootstrapped(t)
		a := h.createAccount(t)
		levels, err := h.s.EffectiveSCPs(h.ctx, a.ID)
		ok(t, err)
		equal(t, "levels while disabled", []store.SCPLevel{}, levels)
		h.enableSCPs(t, r.ID)
		ou := h.createOU(t, r.ID, r.ID)
		ok(t, h.s.MoveAccount(h.ctx, a.ID, r.ID, ou.ID))
		p := h.createSCP(t)
		ok(t, h.s.AttachPolicy(h.ctx, p.ID, ou.ID))
		levels, err = h.s.EffectiveSCPs(h.ctx, a.ID)
		ok(t, err)
		ouPolicies := []ic.OrgPolicy{p, fullAccess()}
		sortBy(ouPolicies, func(p ic.OrgPolicy) string { return p.ID })
		equal(t, "levels", []store.SCPLevel{
			{TargetID: r.ID, Policies: []ic.OrgPolicy{fullAccess()}},
			{TargetID: ou.ID, Policies: ouPolicies},
			{TargetID: a.ID, Policies: []ic.OrgPolicy{fullAccess()}},
		}, levels)
		_, err = h.s.EffectiveSCPs(h.ctx, "999999999999")
		notFound(t, err, store.ResourceAccount)
	}},
}
