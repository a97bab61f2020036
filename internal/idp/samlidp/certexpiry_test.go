package samlidp_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/url"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
)

// The app's registered SP certificate is a pinned key, not a credential
// a CA vouches for: its validity dates say nothing about the signature
// (SAML's metadata interoperability profile has them ignored), and many
// service providers sign with long-expired self-signed certificates. Both
// bindings must treat such a certificate alike; the HTTP-POST binding
// refused what the HTTP-Redirect binding accepted, saying the signature
// "does not verify".
func TestAnExpiredSPCertificateStillVerifiesOnBothBindings(t *testing.T) {
	f := newFixture(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "old.sp.example.com"},
		NotBefore: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	app := f.addApp(func(a *directory.App) { a.Name = "old_cert_saml"; a.SAML.SPCertificates = [][]byte{cert} })
	f.assign(app, f.alice)
	cookie := f.session(t, f.alice)
	t.Run("a signed redirect request is answered", func(t *testing.T) {
		q := redirectQuery(t, authnRequest(app, "_old1", ""), "", key, rsaSHA256, crypto.SHA256)
		f.spAccepts(t, app, postedForm(t, f.do("GET", ssoPath(app)+"?"+q, nil, cookie)))
	})
	t.Run("a signed POST request is answered", func(t *testing.T) {
		form := url.Values{"SAMLRequest": {b64(signXML(t, authnRequest(app, "_old2", ""), key, cert, rsaSHA256))}}
		f.spAccepts(t, app, postedForm(t, f.do("POST", ssoPath(app), form, cookie)))
	})
}
