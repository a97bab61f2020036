package directory

import (
	"io"
	"time"
)

// MaxClientSecrets is how many secrets an OIDC client may hold at once, as
// in Okta: two, so a secret is rotated by adding the next one, moving the
// client to it, then deactivating and deleting the old one.
const MaxClientSecrets = 2

// ClientSecret is one of an OIDC client's secrets (Okta's
// OAuth2ClientSecret). Only its hash is kept: the secret itself is shown
// once, when created. The token endpoint accepts any ACTIVE secret of the
// client. A client with a secret keeps at least one ACTIVE secret; only an
// INACTIVE one may be deleted.
type ClientSecret struct {
	ID       string // ocs...
	ClientID string // the app's id
	// Hash is keys.HashSecret of the secret.
	Hash        string
	Status      AppStatus // AppActive or AppInactive
	Created     time.Time
	LastUpdated time.Time
}

const clientSecretPrefix = "ocs"

// NewClientSecretID returns a fresh client-secret id.
func NewClientSecretID(r io.Reader) string { return newID(r, clientSecretPrefix) }
