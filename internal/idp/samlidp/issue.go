package samlidp

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"time"

	"github.com/beevik/etree"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// Defaults for settings an app leaves empty.
const (
	defaultLifetime = 5 * time.Minute // Okta's samlAssertionLifetimeSeconds default
	defaultTemplate = "${user.userName}"
	// skew backdates NotBefore so SPs whose clocks run behind accept the
	// assertion at once.
	skew = time.Minute
)

// Issuer builds the signed responses of one org.
type Issuer struct {
	OrgURL string // no trailing slash
	Random io.Reader
	// NameIDKey keys the persistent NameIDs (HMAC-SHA256 of app and user),
	// derived from the master key so they stay stable across replicas and
	// restarts.
	NameIDKey []byte
}

// EntityID is the identity provider's entity id for app: stable, one per
// app as Okta's http://www.okta.com/<externalKey> is.
func (is *Issuer) EntityID(appID string) string { return is.OrgURL + "/app/" + appID }

// SSOURL is app's single sign-on URL, where AuthnRequests arrive.
func (is *Issuer) SSOURL(app directory.App) string {
	return is.OrgURL + SSOPath(app)
}

// Grant is what an assertion says: who signed in, to which app, in which
// IdP session, in answer to which request (empty for IdP-initiated).
type Grant struct {
	App          directory.App
	User         directory.User
	Groups       []directory.Group
	Session      directory.Session
	InResponseTo string
	Now          time.Time
}

// Issued is a signed response ready to post.
type Issued struct {
	ACSURL      string
	Response    []byte // the Response XML
	ResponseID  string
	AssertionID string
	NameID      string
}

// Issue builds the Response with one Assertion for g and signs the
// assertion and/or the response as the app asks, with s (RSA-SHA256).
func (is *Issuer) Issue(g Grant, s keys.Signer) (Issued, error) {
	set := g.App.SAML
	if err := ValidateSettings(set); err != nil {
		e, _ := errs.As(err)
		return Issued{}, errs.E(errs.Invalid, "This app's SAML settings are incomplete (%s). Tell your administrator.", e.Message)
	}
	nameID, err := is.nameID(g)
	if err != nil {
		return Issued{}, err
	}
	attrs, err := attributes(set.Attributes, g.User, g.Groups)
	if err != nil {
		return Issued{}, err
	}
	out := Issued{ACSURL: set.ACSURL, ResponseID: is.newID(), AssertionID: is.newID(), NameID: nameID}
	a := is.assertion(g, out.AssertionID, nameID, attrs)
	if set.AssertionSigned {
		if err := sign(a, s); err != nil {
			return Issued{}, err
		}
	}
	resp := is.response(g, out.ResponseID)
	resp.AddChild(a)
	if set.ResponseSigned {
		if err := sign(resp, s); err != nil {
			return Issued{}, err
		}
	}
	if out.Response, err = write(resp); err != nil {
		return Issued{}, err
	}
	return out, nil
}

// Refuse builds the signed Response, with no assertion, that tells app
// its request cannot be answered as asked: the status top with the
// second-level status second (SAML core §3.2.2.2), such as Responder and
// NoPassive.
func (is *Issuer) Refuse(app directory.App, inResponseTo, top, second string, now time.Time, s keys.Signer) (Issued, error) {
	if err := checkACSURL(app.SAML.ACSURL); err != nil {
		return Issued{}, err
	}
	out := Issued{ACSURL: app.SAML.ACSURL, ResponseID: is.newID()}
	resp := is.response(Grant{App: app, InResponseTo: inResponseTo, Now: now}, out.ResponseID, top, second)
	if err := sign(resp, s); err != nil {
		return Issued{}, err
	}
	var err error
	if out.Response, err = write(resp); err != nil {
		return Issued{}, err
	}
	return out, nil
}

// write serializes a signed response.
func write(resp *etree.Element) ([]byte, error) {
	doc := etree.NewDocument()
	doc.SetRoot(resp)
	// Write text and attribute values as the signature's canonical form
	// does: a raw CR would be read back as LF (and a raw LF or tab in an
	// attribute as a space), so a profile value holding one would break
	// the signature. Canonical escaping writes them as &#xD; and the like.
	doc.WriteSettings = etree.WriteSettings{CanonicalEndTags: true, CanonicalText: true, CanonicalAttrVal: true}
	var buf bytes.Buffer
	if _, err := doc.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// nameID is the Subject's NameID per the app's format and template.
func (is *Issuer) nameID(g Grant) (string, error) {
	if g.App.SAML.NameIDFormat == directory.NameIDPersistent {
		m := hmac.New(sha256.New, is.NameIDKey)
		m.Write([]byte(g.App.ID + "\x00" + g.User.ID))
		return base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
	}
	tmpl := g.App.SAML.NameIDTemplate
	if tmpl == "" {
		tmpl = defaultTemplate
	}
	v := directory.Expand(tmpl, g.User)
	if v == "" {
		return "", errs.E(errs.Invalid, "This app identifies people by %s, and your profile has no value for it. "+
			"Ask your administrator to fill it in.", tmpl)
	}
	return v, nil
}

func (is *Issuer) newID() string { return "id" + clock.Hex(is.Random, 16) }

// response is the Response element for g with the status codes given,
// each nested in the one before (Success when none).
func (is *Issuer) response(g Grant, id string, status ...string) *etree.Element {
	set := g.App.SAML
	r := etree.NewElement("saml2p:Response")
	r.CreateAttr("xmlns:saml2p", nsProtocol)
	r.CreateAttr("Destination", or(set.Destination, set.ACSURL))
	r.CreateAttr("ID", id)
	if g.InResponseTo != "" {
		r.CreateAttr("InResponseTo", g.InResponseTo)
	}
	r.CreateAttr("IssueInstant", samlTime(g.Now))
	r.CreateAttr("Version", "2.0")
	is.issuer(r, g.App.ID).CreateAttr("xmlns:saml2", nsAssertion)
	if len(status) == 0 {
		status = []string{statusSuccess}
	}
	code := r.CreateElement("saml2p:Status")
	for _, v := range status {
		code = code.CreateElement("saml2p:StatusCode")
		code.CreateAttr("Value", v)
	}
	return r
}

func (is *Issuer) issuer(parent *etree.Element, appID string) *etree.Element {
	iss := parent.CreateElement("saml2:Issuer")
	iss.CreateAttr("Format", nameIDEntity)
	iss.SetText(is.EntityID(appID))
	return iss
}

func (is *Issuer) assertion(g Grant, id, nameID string, attrs []attribute) *etree.Element {
	set := g.App.SAML
	lifetime := set.AssertionLifetime
	if lifetime <= 0 {
		lifetime = defaultLifetime
	}
	until := samlTime(g.Now.Add(lifetime))
	a := etree.NewElement("saml2:Assertion")
	a.CreateAttr("xmlns:saml2", nsAssertion)
	a.CreateAttr("ID", id)
	a.CreateAttr("IssueInstant", samlTime(g.Now))
	a.CreateAttr("Version", "2.0")
	is.issuer(a, g.App.ID)

	subj := a.CreateElement("saml2:Subject")
	n := subj.CreateElement("saml2:NameID")
	n.CreateAttr("Format", or(set.NameIDFormat, directory.NameIDUnspecified))
	n.SetText(nameID)
	scd := subj.CreateElement("saml2:SubjectConfirmation")
	scd.CreateAttr("Method", cmBearer)
	data := scd.CreateElement("saml2:SubjectConfirmationData")
	if g.InResponseTo != "" {
		data.CreateAttr("InResponseTo", g.InResponseTo)
	}
	data.CreateAttr("NotOnOrAfter", until)
	data.CreateAttr("Recipient", or(set.Recipient, set.ACSURL))

	c := a.CreateElement("saml2:Conditions")
	c.CreateAttr("NotBefore", samlTime(g.Now.Add(-skew)))
	c.CreateAttr("NotOnOrAfter", until)
	c.CreateElement("saml2:AudienceRestriction").CreateElement("saml2:Audience").SetText(set.Audience)

	st := a.CreateElement("saml2:AuthnStatement")
	st.CreateAttr("AuthnInstant", samlTime(g.Session.Created))
	st.CreateAttr("SessionIndex", sessionIndex(g.Session))
	st.CreateAttr("SessionNotOnOrAfter", samlTime(g.Session.ExpiresAt))
	st.CreateElement("saml2:AuthnContext").CreateElement("saml2:AuthnContextClassRef").
		SetText(or(set.AuthnContextClassRef, acPasswordTLS))
	addAttributes(a, attrs)
	return a
}

// addAttributes adds the attribute statement, if any.
func addAttributes(a *etree.Element, attrs []attribute) {
	if len(attrs) == 0 {
		return // the schema wants at least one Attribute in a statement
	}
	st := a.CreateElement("saml2:AttributeStatement")
	for _, at := range attrs {
		el := st.CreateElement("saml2:Attribute")
		el.CreateAttr("Name", at.Name)
		el.CreateAttr("NameFormat", at.NameFormat)
		for _, v := range at.Values {
			// No xsi:type="xs:string": the QName in its value would need
			// the xs prefix kept by exclusive c14n (an InclusiveNamespaces
			// list goxmldsig does not write), and an untyped value reads
			// as a string everywhere.
			el.CreateElement("saml2:AttributeValue").SetText(v)
		}
	}
}

// sessionIndex names the IdP session without revealing its cookie: a
// hash of the hash the store keeps.
func sessionIndex(s directory.Session) string {
	sum := sha256.Sum256([]byte("saml session index\x00" + s.IDHash))
	return "_" + hex.EncodeToString(sum[:16])
}

// samlTime is xs:dateTime in UTC with milliseconds.
func samlTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func or(v, fallback string) string {
	if v != "" {
		return v
	}
	return fallback
}
