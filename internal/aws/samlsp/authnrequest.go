package samlsp

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// MaxRelayState is the SAML bindings' limit on RelayState (80 bytes).
const MaxRelayState = 80

// Request is an SP-initiated AuthnRequest ready to send. With the
// HTTP-Redirect binding the browser is sent to URL (which carries the
// request); with HTTP-POST the browser posts Form to URL (an auto-submitting
// form).
type Request struct {
	ID      string
	Binding string
	URL     string
	Form    url.Values
}

// AuthnRequest builds a request to the identity provider to sign a person
// in and remembers its id, with relayState, until it expires, so that the
// ACS accepts its response once. relayState (at most 80 bytes) comes back
// in Result.RelayState: keep in it where the person was going.
func (sp *SP) AuthnRequest(ctx context.Context, relayState string) (Request, error) {
	if len(relayState) > MaxRelayState {
		return Request{}, errs.E(errs.Invalid, "RelayState is longer than 80 bytes")
	}
	src, err := sp.store.IdentitySource(ctx)
	if err != nil {
		return Request{}, err
	}
	if !src.External() {
		return Request{}, errs.E(errs.Invalid, "the identity source is the Identity Center directory: there is no identity provider to ask").
			WithReason(string(ReasonNotExternal))
	}
	now := sp.cfg.Clock.Now()
	id := "_" + clock.Hex(sp.cfg.Random, 20)
	doc := sp.requestXML(id, src.IdP.SSOURL, now)
	if err := sp.store.RememberKey(ctx, requestKey(id, relayState), now.Add(sp.cfg.RequestLifetime)); err != nil {
		return Request{}, err
	}
	r := Request{ID: id, Binding: src.IdP.SSOBinding, URL: src.IdP.SSOURL}
	if r.Binding == ic.BindingPOST {
		r.Form = url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString(doc)}}
		if relayState != "" {
			r.Form.Set("RelayState", relayState)
		}
		return r, nil
	}
	r.URL = redirectURL(src.IdP.SSOURL, deflate(doc), relayState)
	return r, nil
}

// requestXML is the AuthnRequest document.
func (sp *SP) requestXML(id, destination string, now time.Time) []byte {
	doc := etree.NewDocument()
	r := doc.CreateElement("samlp:AuthnRequest")
	r.CreateAttr("xmlns:samlp", nsProtocol)
	r.CreateAttr("xmlns:saml", nsAssertion)
	r.CreateAttr("ID", id)
	r.CreateAttr("Version", "2.0")
	r.CreateAttr("IssueInstant", now.UTC().Format("2006-01-02T15:04:05.000Z"))
	r.CreateAttr("Destination", destination)
	r.CreateAttr("AssertionConsumerServiceURL", sp.ACSURL())
	r.CreateAttr("ProtocolBinding", ic.BindingPOST)
	r.CreateElement("saml:Issuer").SetText(sp.EntityID())
	p := r.CreateElement("samlp:NameIDPolicy")
	p.CreateAttr("Format", nameIDUnspecified)
	p.CreateAttr("AllowCreate", "true")
	b, _ := doc.WriteToBytes() // writing to memory cannot fail
	return b
}

// deflate compresses doc for the HTTP-Redirect binding (raw DEFLATE).
func deflate(doc []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression) // the level is valid
	w.Write(doc)
	w.Close()
	return buf.Bytes()
}

// redirectURL adds SAMLRequest and RelayState to the identity provider's
// URL, keeping any query it has.
func redirectURL(sso string, deflated []byte, relayState string) string {
	q := url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString(deflated)}}
	if relayState != "" {
		q.Set("RelayState", relayState)
	}
	sep := "?"
	if strings.Contains(sso, "?") {
		sep = "&"
	}
	return sso + sep + q.Encode()
}
