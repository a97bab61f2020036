package samlsp

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/beevik/etree"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// maxCertificates bounds the signing certificates kept from metadata.
const maxCertificates = 10

// ParseIdPMetadata reads an identity provider's SAML metadata: its entity
// ID, its single sign-on URL (HTTP-Redirect preferred, else HTTP-POST) and
// its signing certificates. The document is bounded, must have no DTD and
// must survive an XML round trip. An EntitiesDescriptor is accepted when it
// holds exactly one identity provider.
func ParseIdPMetadata(doc []byte) (ic.ExternalIdP, error) {
	if len(doc) > MaxMetadataBytes {
		return ic.ExternalIdP{}, badMetadata("it is larger than 512 KiB")
	}
	if _, err := inspect(doc); err != nil {
		return ic.ExternalIdP{}, badMetadata(err.Error())
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		return ic.ExternalIdP{}, badMetadata("it is not XML")
	}
	ed, idp, err := findIdP(d.Root())
	if err != nil {
		return ic.ExternalIdP{}, err
	}
	out := ic.ExternalIdP{EntityID: strings.TrimSpace(ed.SelectAttrValue("entityID", "")), Metadata: string(doc)}
	if out.SSOURL, out.SSOBinding, err = ssoService(idp); err != nil {
		return ic.ExternalIdP{}, err
	}
	if out.Certificates, err = signingCertificates(idp); err != nil {
		return ic.ExternalIdP{}, err
	}
	if err := out.Validate(); err != nil {
		return ic.ExternalIdP{}, err
	}
	return out, nil
}

func badMetadata(detail string) *errs.Error {
	return errs.E(errs.Invalid, "The identity provider's metadata could not be used: %s.", detail)
}

// is reports whether el is the metadata element local.
func is(el *etree.Element, local string) bool {
	return el != nil && el.Tag == local && el.NamespaceURI() == nsMetadata
}

// findIdP returns the one EntityDescriptor with an IDPSSODescriptor, and
// that descriptor.
func findIdP(root *etree.Element) (*etree.Element, *etree.Element, error) {
	var entities []*etree.Element
	switch {
	case is(root, "EntityDescriptor"):
		entities = []*etree.Element{root}
	case is(root, "EntitiesDescriptor"):
		entities = root.ChildElements()
	default:
		return nil, nil, badMetadata("it is not SAML 2.0 metadata (no EntityDescriptor)")
	}
	var ed, idp *etree.Element
	for _, e := range entities {
		for _, c := range e.ChildElements() {
			if is(e, "EntityDescriptor") && is(c, "IDPSSODescriptor") {
				if idp != nil {
					return nil, nil, badMetadata("it describes more than one identity provider")
				}
				ed, idp = e, c
			}
		}
	}
	if idp == nil {
		return nil, nil, badMetadata("it describes no identity provider (no IDPSSODescriptor)")
	}
	return ed, idp, nil
}

// ssoService picks the single sign-on endpoint.
func ssoService(idp *etree.Element) (string, string, error) {
	found := map[string]string{}
	for _, c := range idp.ChildElements() {
		if is(c, "SingleSignOnService") {
			b := c.SelectAttrValue("Binding", "")
			if _, seen := found[b]; !seen {
				found[b] = strings.TrimSpace(c.SelectAttrValue("Location", ""))
			}
		}
	}
	for _, b := range []string{ic.BindingRedirect, ic.BindingPOST} {
		if loc, ok := found[b]; ok {
			u, err := url.Parse(loc)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return "", "", badMetadata("its single sign-on URL " + quote(loc) + " is not an http or https URL")
			}
			return loc, b, nil
		}
	}
	return "", "", badMetadata("it has no single sign-on service with the HTTP-Redirect or HTTP-POST binding")
}

// signingCertificates returns the DER of every certificate a KeyDescriptor
// for signing (or for any use) holds, once each.
func signingCertificates(idp *etree.Element) ([][]byte, error) {
	var out [][]byte
	for _, kd := range idp.ChildElements() {
		if !is(kd, "KeyDescriptor") || kd.SelectAttrValue("use", "signing") != "signing" {
			continue
		}
		for _, el := range kd.FindElements(".//X509Certificate") {
			if el.NamespaceURI() != nsDSig {
				continue
			}
			der, err := parseCertificate(el.Text())
			if err != nil {
				return nil, err
			}
			if !containsDER(out, der) {
				out = append(out, der)
			}
		}
	}
	if len(out) > maxCertificates {
		return nil, badMetadata("it lists more than 10 signing certificates")
	}
	return out, nil
}

func parseCertificate(text string) ([]byte, error) {
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
	if err == nil {
		_, err = x509.ParseCertificate(der)
	}
	if err != nil {
		return nil, badMetadata("a signing certificate is not a base64 X.509 certificate")
	}
	return der, nil
}

func containsDER(list [][]byte, der []byte) bool {
	for _, d := range list {
		if bytes.Equal(d, der) {
			return true
		}
	}
	return false
}
