package samlidp

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"net/url"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/errs"
)

// errSignature refuses a request whose signature the app requires and
// does not verify.
func errSignature(why string) error {
	return errs.E(errs.Denied, "The app's sign-in request must be signed with the app's certificate using RSA-SHA256: %s.", why)
}

// verifyRedirectSignature checks the HTTP-Redirect binding's detached
// signature (SAML bindings §3.4.4.1): over the parameters exactly as they
// were URL-encoded on the wire, in the order SAMLRequest, RelayState,
// SigAlg, with RSA-SHA256 only (SHA-1 is refused).
func verifyRedirectSignature(raw map[string]string, certs [][]byte) error {
	alg, err := url.QueryUnescape(raw["SigAlg"])
	if err != nil || raw["Signature"] == "" {
		return errSignature("it has no signature")
	}
	if alg != sigRSASHA256 {
		return errSignature("its SigAlg " + quote(alg) + " is not RSA-SHA256")
	}
	sig64, err := url.QueryUnescape(raw["Signature"])
	if err != nil {
		return errSignature("its signature is not URL-encoded")
	}
	sig, err := base64.StdEncoding.DecodeString(sig64)
	if err != nil {
		return errSignature("its signature is not base64")
	}
	signed := "SAMLRequest=" + raw["SAMLRequest"]
	if v, ok := raw["RelayState"]; ok {
		signed += "&RelayState=" + v
	}
	signed += "&SigAlg=" + raw["SigAlg"]
	sum := sha256.Sum256([]byte(signed))
	for _, der := range certs {
		if pub := rsaKey(der); pub != nil && rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) == nil {
			return nil
		}
	}
	return errSignature("its signature does not verify with the app's certificate")
}

func rsaKey(der []byte) *rsa.PublicKey {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil
	}
	pub, _ := c.PublicKey.(*rsa.PublicKey)
	return pub
}

// verifyEnveloped checks the HTTP-POST binding's enveloped signature on
// root and returns the element goxmldsig verified, the only one read
// afterwards. goxmldsig has no algorithm allow-list, so SHA-1 is refused
// here first. The app's certificates are pinned keys, as on the redirect
// binding: their validity dates are not checked (SAML's metadata
// interoperability profile ignores them), so goxmldsig's clock, which
// serves only that check, is set inside each certificate's validity.
func verifyEnveloped(root *etree.Element, certs [][]byte) (*etree.Element, error) {
	sigs := root.SelectElements("Signature")
	if len(sigs) != 1 || sigs[0].NamespaceURI() != nsDSig {
		return nil, errSignature("it must carry exactly one enveloped signature")
	}
	if err := checkAlgorithms(sigs[0]); err != nil {
		return nil, err
	}
	for _, der := range certs {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			continue
		}
		vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{c}})
		vc.IdAttribute = "ID"
		vc.Clock = dsig.NewFakeClockAt(c.NotBefore)
		if verified, err := vc.Validate(root); err == nil {
			return verified, nil
		}
	}
	return nil, errSignature("its signature does not verify with the app's certificate")
}

// checkAlgorithms requires RSA-SHA256 and SHA-256 digests.
func checkAlgorithms(sig *etree.Element) error {
	si := sig.SelectElement("SignedInfo")
	if si == nil {
		return errSignature("its signature has no SignedInfo")
	}
	if m := si.SelectElement("SignatureMethod"); m == nil || m.SelectAttrValue("Algorithm", "") != sigRSASHA256 {
		return errSignature("its signature method is not RSA-SHA256")
	}
	refs := si.SelectElements("Reference")
	if len(refs) != 1 {
		return errSignature("its signature must have exactly one reference")
	}
	if d := refs[0].SelectElement("DigestMethod"); d == nil || d.SelectAttrValue("Algorithm", "") != digestSHA256 {
		return errSignature("its digest method is not SHA-256")
	}
	return nil
}
