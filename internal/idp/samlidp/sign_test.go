package samlidp_test

import (
	"crypto/rsa"
	"encoding/base64"
	"testing"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// signXML signs doc's root enveloped with key (as an SP signs a POST
// AuthnRequest), the signature after the Issuer.
func signXML(t testing.TB, doc string, key *rsa.PrivateKey, cert []byte, method string) string {
	t.Helper()
	d := etree.NewDocument()
	must(t, d.ReadFromString(doc))
	ctx, err := dsig.NewSigningContext(key, [][]byte{cert})
	must(t, err)
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	ctx.IdAttribute = "ID"
	must(t, ctx.SetSignatureMethod(method))
	root := d.Root()
	sig, err := ctx.ConstructSignature(root, true)
	must(t, err)
	root.InsertChildAt(root.SelectElement("Issuer").Index()+1, sig)
	s, err := d.WriteToString()
	must(t, err)
	return s
}
