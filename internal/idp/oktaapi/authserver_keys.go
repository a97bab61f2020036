package oktaapi

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"math/big"
	"net/http"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// AuthServerKeys are the OIDC signing keys (keys.SigningKeys of use
// oidc). Every authorization server, the org's included, signs with them:
// one server's keys are every server's, and rotating one server's rotates
// them all.
type AuthServerKeys interface {
	// Published lists the keys in the JWKS now, oldest first.
	Published(ctx context.Context) ([]directory.SigningKey, error)
	// RotateNow makes a new key sign at once; the others retire now and
	// stay published for the overlap.
	RotateNow(ctx context.Context) (directory.SigningKey, error)
}

// The statuses of Okta's AuthorizationServerJsonWebKey.
const (
	keyActive  = "ACTIVE"  // signs now
	keyNext    = "NEXT"    // published, signs after a scheduled rotation
	keyExpired = "EXPIRED" // stopped signing, published while its tokens live
)

// keyJSON is Okta's AuthorizationServerJsonWebKey: the public RSA key.
type keyJSON struct {
	Alg    string `json:"alg"`
	E      string `json:"e"`
	Kid    string `json:"kid"`
	Kty    string `json:"kty"`
	N      string `json:"n"`
	Status string `json:"status"`
	Use    string `json:"use"`
	Links  struct {
		Self href `json:"self"`
	} `json:"_links"`
}

// rotateBody is Okta's JwkUse: {"use":"sig"}, the only use.
type rotateBody struct {
	Use string `json:"use"`
}

// authServerKeyOperations are the routes of an authorization server's
// signing keys.
func (a *API) authServerKeyOperations() map[string]handler {
	const one = "/api/v1/authorizationServers/{authServerId}/credentials"
	return map[string]handler{
		"GET " + one + "/keys":                 a.listServerKeys,
		"GET " + one + "/keys/{keyId}":         a.getServerKey,
		"POST " + one + "/lifecycle/keyRotate": a.rotateServerKeys,
	}
}

// serverKeys are the published keys in Okta's shape, for the server
// {authServerId} and a caller allowed to read it.
func (a *API) serverKeys(r *http.Request, c *caller) (directory.AuthServer, []keyJSON, error) {
	s, err := a.readServer(r, c)
	if err != nil {
		return s, nil, err
	}
	out, err := a.publishedKeys(r.Context(), s)
	return s, out, err
}

func (a *API) publishedKeys(ctx context.Context, s directory.AuthServer) ([]keyJSON, error) {
	if a.cfg.AuthServerKeys == nil {
		return nil, errs.E(errs.Internal, "oktaapi: no authorization-server keys configured")
	}
	published, err := a.cfg.AuthServerKeys.Published(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]keyJSON, 0, len(published))
	for _, k := range published {
		j, err := a.keyJSON(s, k)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// keyJSON is k as server s publishes it now.
func (a *API) keyJSON(s directory.AuthServer, k directory.SigningKey) (keyJSON, error) {
	cert, err := x509.ParseCertificate(k.Certificate)
	if err != nil {
		return keyJSON{}, err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return keyJSON{}, errs.E(errs.Internal, "oktaapi: signing key %s is not an RSA key", k.ID)
	}
	enc := base64.RawURLEncoding.EncodeToString
	out := keyJSON{Alg: k.Algorithm, E: enc(big.NewInt(int64(pub.E)).Bytes()), Kid: k.ID, Kty: "RSA", N: enc(pub.N.Bytes()),
		Status: keyStatus(k, a.now()), Use: "sig"}
	out.Links.Self.Href = a.cfg.OrgURL + "/api/v1/authorizationServers/" + s.ID + "/credentials/keys/" + k.ID
	return out, nil
}

// keyStatus is what k does at now, in Okta's words.
func keyStatus(k directory.SigningKey, now time.Time) string {
	switch {
	case k.SignsAt(now):
		return keyActive
	case now.Before(k.ActivatesAt) && (k.RetiresAt.IsZero() || now.Before(k.RetiresAt)):
		return keyNext
	}
	return keyExpired
}

// listServerKeys is GET .../credentials/keys: the server's published keys.
func (a *API) listServerKeys(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, out, err := a.serverKeys(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getServerKey is GET .../credentials/keys/{keyId}: a published key.
func (a *API) getServerKey(w http.ResponseWriter, r *http.Request, c *caller) error {
	_, all, err := a.serverKeys(r, c)
	if err != nil {
		return err
	}
	id := r.PathValue("keyId")
	for _, k := range all {
		if k.Kid == id {
			writeJSON(w, http.StatusOK, k)
			return nil
		}
	}
	return notFound("JsonWebKey", id)
}

// rotateServerKeys is POST .../credentials/lifecycle/keyRotate
// {"use":"sig"}: the active key expires, a new one signs at once (the
// expired one stays in the JWKS while its tokens live), 200 with the keys.
func (a *API) rotateServerKeys(w http.ResponseWriter, r *http.Request, c *caller) error {
	s, err := a.server(r)
	if err != nil {
		return err
	}
	var b rotateBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageOrg, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	if b.Use != "sig" {
		return (&causes{"use: Must be sig; got " + quoteOrBlank(b.Use)}).err()
	}
	if a.cfg.AuthServerKeys == nil {
		return errs.E(errs.Internal, "oktaapi: no authorization-server keys configured")
	}
	if _, err := a.cfg.AuthServerKeys.RotateNow(r.Context()); err != nil {
		return err
	}
	out, err := a.publishedKeys(r.Context(), s)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
