package samlidp

import (
	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/keyward/keyward/internal/keys"
)

// sign adds an enveloped RSA-SHA256 signature (exclusive c14n, SHA-256
// digest, the key's certificate in KeyInfo) to el, right after its Issuer
// as the SAML schema orders it.
func sign(el *etree.Element, s keys.Signer) error {
	ctx, err := dsig.NewSigningContext(s.Private, [][]byte{s.Key.Certificate})
	if err != nil {
		return err
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	ctx.IdAttribute = "ID"
	if err := ctx.SetSignatureMethod(sigRSASHA256); err != nil {
		return err
	}
	sig, err := ctx.ConstructSignature(el, true)
	if err != nil {
		return err
	}
	at := 0
	if iss := el.SelectElement("Issuer"); iss != nil {
		at = iss.Index() + 1
	}
	el.InsertChildAt(at, sig)
	return nil
}
