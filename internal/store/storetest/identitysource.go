package storetest

import (
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// externalIdP is an identity provider as metadata describes it.
func externalIdP(entityID string) ic.ExternalIdP {
	return ic.ExternalIdP{EntityID: entityID, SSOURL: "https://idp.example/sso/saml",
		SSOBinding: ic.BindingRedirect, Certificates: [][]byte{[]byte("der-1")},
		Metadata: `<EntityDescriptor entityID="` + entityID + `"/>`}
}

// setSource runs UpdateIdentitySource to make the source s.
func (h *harness) setSource(t *testing.T, s ic.IdentitySource) ic.IdentitySource {
	t.Helper()
	got, err := h.s.UpdateIdentitySource(h.ctx, func(ic.IdentitySource) (ic.IdentitySource, error) { return s, nil })
	ok(t, err)
	stored, err := h.s.IdentitySource(h.ctx)
	ok(t, err)
	equal(t, "stored source", got, stored)
	return got
}

// signedIn is a user with a password, a portal session, a token, and a
// device authorization and an authorization code approved in that session
// but not yet redeemed.
type signedIn struct {
	user    ic.User
	session ic.PortalSession
	token   ic.Token
	device  ic.DeviceAuthorization
	code    ic.AuthorizationCode
}

func (h *harness) signIn(t *testing.T) signedIn {
	t.Helper()
	u := h.createUser(t)
	_, err := h.s.UpdatePasswordState(h.ctx, u.ID, func(p ic.PasswordState) (ic.PasswordState, error) {
		p.Hash = hash
		return p, nil
	})
	ok(t, err)
	s := h.newSession(u.ID)
	ok(t, h.s.CreatePortalSession(h.ctx, s))
	tok := h.newToken(u.ID)
	ok(t, h.s.CreateToken(h.ctx, tok))
	d := h.newDevice(h.userCode())
	ok(t, h.s.CreateDeviceAuthorization(h.ctx, d))
	d, err = h.s.UpdateDeviceAuthorization(h.ctx, d.CodeHash, func(d ic.DeviceAuthorization) (ic.DeviceAuthorization, error) {
		d.Status, d.UserID, d.SessionHash = ic.DeviceApproved, u.ID, s.IDHash
		return d, nil
	})
	ok(t, err)
	code := h.newCode(u.ID, s.IDHash)
	ok(t, h.s.CreateAuthorizationCode(h.ctx, code))
	return signedIn{user: u, session: s, token: tok, device: d, code: code}
}

// signInsEnded checks the sign-in is over and the person kept.
func (h *harness) signInsEnded(t *testing.T, in signedIn, ended bool) {
	t.Helper()
	_, serr := h.s.PortalSession(h.ctx, in.session.IDHash)
	_, terr := h.s.TokenByAccess(h.ctx, in.token.AccessHash)
	d, err := h.s.DeviceAuthorization(h.ctx, in.device.CodeHash)
	ok(t, err)
	equal(t, "authorization code live", !ended, h.codeLive(t, in.code.CodeHash))
	if ended {
		notFound(t, serr, "")
		notFound(t, terr, "")
		equal(t, "approved device", ic.DeviceDenied, d.Status)
	} else {
		ok(t, serr)
		ok(t, terr)
		equal(t, "approved device", ic.DeviceApproved, d.Status)
	}
	_, err = h.s.User(h.ctx, in.user.ID)
	ok(t, err)
	p, err := h.s.PasswordState(h.ctx, in.user.ID)
	ok(t, err)
	equal(t, "password kept", hash, p.Hash)
}

var identitySourceTests = []test{
	{"an instance that never chose signs people in with the Identity Center directory", func(t *testing.T, h *harness) {
		got, err := h.s.IdentitySource(h.ctx)
		ok(t, err)
		equal(t, "source", ic.IdentitySource{Type: ic.SourceIdentityCenter}, got)
	}},
	{"switching to an external identity provider is stored, logged and ends every sign-in, keeping people and passwords", func(t *testing.T, h *harness) {
		in := h.signIn(t)
		actor, _ := h.asAdmin()
		want := ic.IdentitySource{Type: ic.SourceExternal, IdP: externalIdP("https://idp.example/1"), Provisioning: true}
		got := h.setSource(t, want)
		want.UpdatedAt, want.UpdatedBy = h.clk.Now(), actor.Name
		equal(t, "source", want, got)
		e := h.lastEvent(t)
		equal(t, "event", []string{"identitycenter.identity_source.update", "SUCCESS", actor.Name},
			[]string{e.Action, e.Outcome, e.Actor.Name})
		h.signInsEnded(t, in, true)
	}},
	{"rotating the identity provider's certificate keeps sign-ins; another identity provider ends them", func(t *testing.T, h *harness) {
		idp := externalIdP("https://idp.example/1")
		h.setSource(t, ic.IdentitySource{Type: ic.SourceExternal, IdP: idp})
		in := h.signIn(t)
		idp.Certificates = append(idp.Certificates, []byte("der-2"))
		got := h.setSource(t, ic.IdentitySource{Type: ic.SourceExternal, IdP: idp})
		equal(t, "certificates", idp.Certificates, got.IdP.Certificates)
		h.signInsEnded(t, in, false)
		h.setSource(t, ic.IdentitySource{Type: ic.SourceExternal, IdP: externalIdP("https://other-idp.example")})
		h.signInsEnded(t, in, true)
	}},
	{"switching back to the Identity Center directory ends sign-ins and keeps people and passwords", func(t *testing.T, h *harness) {
		h.setSource(t, ic.IdentitySource{Type: ic.SourceExternal, IdP: externalIdP("https://idp.example/1"), Provisioning: true})
		in := h.signIn(t)
		got := h.setSource(t, ic.IdentitySource{Type: ic.SourceIdentityCenter})
		equal(t, "type", ic.SourceIdentityCenter, got.Type)
		h.signInsEnded(t, in, true)
	}},
	{"a source that fails validation is refused and nothing changes", func(t *testing.T, h *harness) {
		in := h.signIn(t)
		for _, bad := range []ic.IdentitySource{
			{Type: "LDAP"},
			{Type: ic.SourceExternal, IdP: ic.ExternalIdP{EntityID: "https://idp.example", SSOURL: "https://idp.example/sso", SSOBinding: ic.BindingPOST}},
			{Type: ic.SourceExternal, IdP: ic.ExternalIdP{EntityID: "https://idp.example", SSOURL: "javascript:alert(1)", SSOBinding: ic.BindingPOST, Certificates: [][]byte{{1}}}},
			{Type: ic.SourceIdentityCenter, Provisioning: true},
		} {
			h.unchangedLog(t, func() {
				_, err := h.s.UpdateIdentitySource(h.ctx, func(ic.IdentitySource) (ic.IdentitySource, error) { return bad, nil })
				isKind(t, err, errs.Invalid)
			})
		}
		h.signInsEnded(t, in, false)
		got, err := h.s.IdentitySource(h.ctx)
		ok(t, err)
		equal(t, "type", ic.SourceIdentityCenter, got.Type)
	}},
	{"an identity-source update whose fn fails returns its error and writes nothing", func(t *testing.T, h *harness) {
		in := h.signIn(t)
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateIdentitySource(h.ctx, func(s ic.IdentitySource) (ic.IdentitySource, error) {
				if s.Type != ic.SourceIdentityCenter {
					t.Errorf("fn saw type %q, want the default %q", s.Type, ic.SourceIdentityCenter)
				}
				return ic.IdentitySource{Type: ic.SourceExternal, IdP: externalIdP("https://idp.example")}, errFn
			})
			fnFailed(t, err)
		})
		h.signInsEnded(t, in, false)
	}},
	{"a portal session keeps the identity provider's attributes for access control", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		s := h.newSession(u.ID)
		s.AccessControl = map[string]string{"Department": "Engineering", "CostCenter": "42"}
		ok(t, h.s.CreatePortalSession(h.ctx, s))
		got, err := h.s.PortalSession(h.ctx, s.IDHash)
		ok(t, err)
		equal(t, "session", s, got)
	}},
}

var oneTimeKeyTests = []test{
	{"a key is remembered once and consumed once", func(t *testing.T, h *harness) {
		h.unchangedLog(t, func() {
			ok(t, h.s.RememberKey(h.ctx, "test:k1", h.clk.Now().Add(time.Minute)))
			taken(t, h.s.RememberKey(h.ctx, "test:k1", h.clk.Now().Add(time.Hour)), store.ResourceOneTimeKey, store.FieldID)
			ok(t, h.s.RememberKey(h.ctx, "test:k2", h.clk.Now().Add(time.Minute)))
			ok(t, h.s.ConsumeKey(h.ctx, "test:k1"))
			notFound(t, h.s.ConsumeKey(h.ctx, "test:k1"), store.ResourceOneTimeKey)
			notFound(t, h.s.ConsumeKey(h.ctx, "test:never"), store.ResourceOneTimeKey)
		})
		ok(t, h.s.ConsumeKey(h.ctx, "test:k2"))
	}},
	{"an expired key cannot be consumed and may be remembered again", func(t *testing.T, h *harness) {
		ok(t, h.s.RememberKey(h.ctx, "test:k", h.clk.Now().Add(time.Minute)))
		h.clk.Advance(time.Minute)
		notFound(t, h.s.ConsumeKey(h.ctx, "test:k"), store.ResourceOneTimeKey)
		ok(t, h.s.RememberKey(h.ctx, "test:k", h.clk.Now().Add(time.Minute)))
		ok(t, h.s.ConsumeKey(h.ctx, "test:k"))
	}},
	{"purge removes expired keys only", func(t *testing.T, h *harness) {
		ok(t, h.s.RememberKey(h.ctx, "test:short", h.clk.Now().Add(time.Minute)))
		ok(t, h.s.RememberKey(h.ctx, "test:long", h.clk.Now().Add(time.Hour)))
		h.clk.Advance(2 * time.Minute)
		n, err := h.s.Purge(h.ctx)
		ok(t, err)
		equal(t, "rows purged", int64(1), n)
		ok(t, h.s.ConsumeKey(h.ctx, "test:long"))
	}},
}
