package samlidp

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/keyward/keyward/internal/directory"
)

// Bounds on an AuthnRequest as it arrives.
const (
	maxEncodedRequest = 48 << 10 // base64 SAMLRequest
	maxRelayState     = 1024     // bindings §3.4.3 says 80 bytes; real SPs send more
	maxRequestID      = 256
)

// AuthnRequest is what keyward takes from a service provider's request,
// read only from the XML a signature covered when the app requires one.
type AuthnRequest struct {
	ID         string
	Issuer     string
	ACSURL     string // as the request named it, or empty
	RelayState string
	Binding    string // the binding it arrived by
	// ForceAuthn is the request's ForceAuthn="true": the person must sign
	// in again rather than ride on their session (SAML core §3.4.1).
	// AuthnAfter is then when the request arrived, which the session's
	// sign-in must not predate.
	ForceAuthn bool
	AuthnAfter time.Time
	// IsPassive is the request's IsPassive="true": the IdP must not take
	// over the person's screen (SAML core §3.4.1), so where a sign-in or
	// a second factor would be needed the app gets NoPassive instead.
	IsPassive bool
}

// redirectParams are the raw (still URL-encoded) values of the
// HTTP-Redirect binding's parameters, which its signature covers as sent.
var redirectParams = []string{"SAMLRequest", "RelayState", "SigAlg", "Signature"}

// ParseRedirect reads an HTTP-Redirect AuthnRequest from the raw query
// string and checks it against the app (ssoURL is the app's SSO URL).
func ParseRedirect(rawQuery string, app directory.App, ssoURL string) (AuthnRequest, error) {
	raw, err := rawQueryParams(rawQuery)
	if err != nil {
		return AuthnRequest{}, err
	}
	val := func(k string) (string, error) {
		v, err := url.QueryUnescape(raw[k])
		if err != nil {
			return "", errUnreadable("its " + k + " parameter is not URL-encoded")
		}
		return v, nil
	}
	b64, err := val("SAMLRequest")
	if err != nil {
		return AuthnRequest{}, err
	}
	relay, err := val("RelayState")
	if err != nil {
		return AuthnRequest{}, err
	}
	deflated, err := decodeBase64(b64)
	if err != nil {
		return AuthnRequest{}, err
	}
	doc, err := inflate(deflated)
	if err != nil {
		return AuthnRequest{}, err
	}
	if len(app.SAML.SPCertificates) > 0 {
		if err := verifyRedirectSignature(raw, app.SAML.SPCertificates); err != nil {
			return AuthnRequest{}, err
		}
	}
	root, err := readXML(doc)
	if err != nil {
		return AuthnRequest{}, err
	}
	return readRequest(root, relay, bindingRedirect, app, ssoURL)
}

// ParsePOST reads an HTTP-POST AuthnRequest from the form's values and
// checks it against the app; a required signature is enveloped in it.
func ParsePOST(form url.Values, app directory.App, ssoURL string) (AuthnRequest, error) {
	if len(form["SAMLRequest"]) != 1 || len(form["RelayState"]) > 1 {
		return AuthnRequest{}, errUnreadable("it must have one SAMLRequest and at most one RelayState")
	}
	doc, err := decodeBase64(form.Get("SAMLRequest"))
	if err != nil {
		return AuthnRequest{}, err
	}
	root, err := readXML(doc)
	if err != nil {
		return AuthnRequest{}, err
	}
	if len(app.SAML.SPCertificates) > 0 {
		if root, err = verifyEnveloped(root, app.SAML.SPCertificates); err != nil {
			return AuthnRequest{}, err
		}
	}
	return readRequest(root, form.Get("RelayState"), bindingPOST, app, ssoURL)
}

// rawQueryParams splits the query into the binding's parameters, raw.
// A repeated one is refused: which copy a signature covers is ambiguous.
func rawQueryParams(rawQuery string) (map[string]string, error) {
	if len(rawQuery) > 2*maxEncodedRequest {
		return nil, errUnreadable("it is too large")
	}
	out := map[string]string{}
	for part := range strings.SplitSeq(rawQuery, "&") {
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, errUnreadable("its query string is not URL-encoded")
		}
		for _, p := range redirectParams {
			if key != p {
				continue
			}
			if _, dup := out[p]; dup {
				return nil, errUnreadable("its " + p + " parameter is repeated")
			}
			out[p] = v
		}
	}
	if out["SAMLRequest"] == "" {
		return nil, errUnreadable("it has no SAMLRequest")
	}
	return out, nil
}

// decodeBase64 decodes a bounded base64 value, ignoring the line breaks
// some SPs insert.
func decodeBase64(s string) ([]byte, error) {
	if len(s) > maxEncodedRequest {
		return nil, errUnreadable("it is too large")
	}
	s = strings.NewReplacer("\r", "", "\n", "", " ", "", "\t", "").Replace(s)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errUnreadable("its SAMLRequest is not base64")
	}
	return b, nil
}

// inflate undoes the redirect binding's DEFLATE, refusing any output past
// maxXMLBytes: a deflate bomb stops there.
func inflate(b []byte) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(b))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, maxXMLBytes+1))
	switch {
	case len(out) > maxXMLBytes:
		return nil, errUnreadable("it inflates to more than 64 KiB")
	case err != nil:
		return nil, errUnreadable("its SAMLRequest is not DEFLATE-compressed, or is truncated")
	}
	return out, nil
}

// readRequest checks the AuthnRequest element against the app and takes
// what keyward uses from it.
func readRequest(root *etree.Element, relay, binding string, app directory.App, ssoURL string) (AuthnRequest, error) {
	if root.Tag != "AuthnRequest" || root.NamespaceURI() != nsProtocol {
		return AuthnRequest{}, errUnreadable("it is not a SAML 2.0 AuthnRequest")
	}
	if len(relay) > maxRelayState {
		return AuthnRequest{}, errUnreadable("its RelayState is longer than 1024 bytes")
	}
	req := AuthnRequest{ID: root.SelectAttrValue("ID", ""), RelayState: relay, Binding: binding,
		ACSURL: root.SelectAttrValue("AssertionConsumerServiceURL", "")}
	var err error
	if req.ForceAuthn, err = boolAttr(root, "ForceAuthn"); err != nil {
		return req, err
	}
	if req.IsPassive, err = boolAttr(root, "IsPassive"); err != nil {
		return req, err
	}
	if err := checkRequestID(req.ID); err != nil {
		return req, err
	}
	if root.SelectAttrValue("Version", "") != "2.0" {
		return req, errUnreadable("its Version is not 2.0")
	}
	issuer, err := requestIssuer(root)
	if err != nil {
		return req, err
	}
	req.Issuer = issuer
	return req, checkAgainstApp(root, req, app, ssoURL)
}

// boolAttr is root's xs:boolean attribute name, false when absent.
func boolAttr(root *etree.Element, name string) (bool, error) {
	switch root.SelectAttrValue(name, "false") {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, errUnreadable("its " + name + " is not true or false")
}

func checkRequestID(id string) error {
	if id == "" || len(id) > maxRequestID || strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return errUnreadable("its ID is missing or malformed")
	}
	return nil
}

// requestIssuer is the text of the request's one Issuer.
func requestIssuer(root *etree.Element) (string, error) {
	var found []*etree.Element
	for _, c := range root.ChildElements() {
		if c.Tag == "Issuer" && c.NamespaceURI() == nsAssertion {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		return "", errUnreadable("it must name its Issuer once")
	}
	if f := found[0].SelectAttrValue("Format", ""); f != "" && f != nameIDEntity {
		return "", errUnreadable("its Issuer is not an entity id")
	}
	return plainText(found[0])
}

// plainText is el's whole text, which must be nothing but text: a comment
// or element inside would let a reader that stops at it see less than
// was written (the NameID comment-injection class).
func plainText(el *etree.Element) (string, error) {
	var b strings.Builder
	for _, tok := range el.Child {
		cd, ok := tok.(*etree.CharData)
		if !ok {
			return "", errUnreadable("its Issuer must be plain text")
		}
		b.WriteString(cd.Data)
	}
	return strings.TrimSpace(b.String()), nil
}

// checkAgainstApp refuses a request the app did not register: another
// SP's entity id, a reply address or binding of the request's choosing
// (an open redirect, crewjam GHSA-267v-3v32-g6q5), or a request meant
// for another IdP endpoint.
func checkAgainstApp(root *etree.Element, req AuthnRequest, app directory.App, ssoURL string) error {
	switch {
	case req.Issuer != app.SAML.Audience:
		return errUnreadable("its Issuer " + quote(req.Issuer) + " is not this app's audience (SP entity id)")
	case req.ACSURL != "" && req.ACSURL != app.SAML.ACSURL:
		return errUnreadable("it asks for the response at " + quote(req.ACSURL) + ", which is not the app's registered ACS URL")
	}
	if b := root.SelectAttrValue("ProtocolBinding", ""); b != "" && b != bindingPOST {
		return errUnreadable("it asks for a response binding other than HTTP-POST")
	}
	if d := root.SelectAttrValue("Destination", ""); d != "" && d != ssoURL {
		return errUnreadable("its Destination is not this app's SSO URL")
	}
	return nil
}

// quote shows outside text in a message, shortened.
func quote(s string) string {
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}
