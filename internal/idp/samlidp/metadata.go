package samlidp

import (
	"bytes"
	"encoding/base64"
	"net/http"

	"github.com/beevik/etree"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// Metadata is app's IdP metadata: its entity id, the SSO URL over both
// bindings, every published signing key (the active one and, during a
// rotation's overlap, the next or previous one) and the NameID formats.
func (is *Issuer) Metadata(app directory.App, published []directory.SigningKey) []byte {
	ed := etree.NewElement("md:EntityDescriptor")
	ed.CreateAttr("xmlns:md", nsMetadata)
	ed.CreateAttr("entityID", is.EntityID(app.ID))
	idp := ed.CreateElement("md:IDPSSODescriptor")
	idp.CreateAttr("WantAuthnRequestsSigned", map[bool]string{true: "true", false: "false"}[len(app.SAML.SPCertificates) > 0])
	idp.CreateAttr("protocolSupportEnumeration", nsProtocol)
	for _, k := range published {
		kd := idp.CreateElement("md:KeyDescriptor")
		kd.CreateAttr("use", "signing")
		ki := kd.CreateElement("ds:KeyInfo")
		ki.CreateAttr("xmlns:ds", nsDSig)
		ki.CreateElement("ds:KeyName").SetText(k.ID)
		ki.CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").
			SetText(base64.StdEncoding.EncodeToString(k.Certificate))
	}
	for _, f := range []string{directory.NameIDEmail, directory.NameIDUnspecified, directory.NameIDPersistent} {
		idp.CreateElement("md:NameIDFormat").SetText(f)
	}
	for _, b := range []string{bindingRedirect, bindingPOST} {
		sso := idp.CreateElement("md:SingleSignOnService")
		sso.CreateAttr("Binding", b)
		sso.CreateAttr("Location", is.SSOURL(app))
	}
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	doc.SetRoot(ed)
	doc.Indent(2)
	var buf bytes.Buffer
	_, _ = doc.WriteTo(&buf)
	return buf.Bytes()
}

// ServeMetadata serves GET /api/v1/apps/{id}/sso/saml/metadata (Okta's
// path; it may be mounted elsewhere with an {id} too). With ?kid= only
// that published key is listed, as Okta's kid parameter selects one.
func (h *Handler) ServeMetadata(w http.ResponseWriter, r *http.Request) {
	if err := h.metadata(w, r); err != nil {
		h.errorPage(w, r, err)
	}
}

func (h *Handler) metadata(w http.ResponseWriter, r *http.Request) error {
	app, err := h.samlApp(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	published, err := h.Keys.Published(r.Context())
	if err != nil {
		return err
	}
	if kid := r.URL.Query().Get("kid"); kid != "" {
		published = onlyKey(published, kid)
		if len(published) == 0 {
			return errs.E(errs.NotFound, "No published signing key has the id %s.", quote(kid))
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write(h.Issuer.Metadata(app, published))
	return nil
}

func onlyKey(keys []directory.SigningKey, kid string) []directory.SigningKey {
	for _, k := range keys {
		if k.ID == kid {
			return []directory.SigningKey{k}
		}
	}
	return nil
}
