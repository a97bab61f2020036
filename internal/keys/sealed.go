package keys

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
)

// selfSigned makes tmpl's self-signed certificate for priv and seals
// priv's PKCS#8 form under sealer, bound to the key id: what a stored
// directory.SigningKey carries.
func selfSigned(sealer *Sealer, id string, tmpl *x509.Certificate, priv crypto.Signer) (cert, sealed []byte, err error) {
	cert, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, priv.Public(), priv)
	if err != nil {
		return nil, nil, err
	}
	p8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	return cert, sealer.Seal(p8, []byte(id)), nil
}

// openSealed opens a private key sealed by selfSigned.
func openSealed(sealer *Sealer, id string, sealed []byte) (any, error) {
	p8, err := sealer.Open(sealed, []byte(id))
	if err != nil {
		return nil, err
	}
	return x509.ParsePKCS8PrivateKey(p8)
}
