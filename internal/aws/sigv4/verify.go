package sigv4

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
)

// DefaultMaxSkew is how far X-Amz-Date may be from the server's clock, as on AWS.
const DefaultMaxSkew = 5 * time.Minute

// Key is what a Lookup returns for an access key id.
type Key struct {
	Secret    string // secret access key, in the clear
	Principal any    // whatever the caller needs back (opaque to sigv4)
}

// Lookup resolves an access key id (and the X-Amz-Security-Token value, "" if
// absent) to its secret. It returns an *errs.Error with Code
// UnrecognizedClientException for an unknown key (see UnrecognizedClient) or
// ExpiredTokenException for an expired session (see ExpiredToken).
type Lookup func(ctx context.Context, accessKeyID, sessionToken string) (Key, error)

// Verifier checks SigV4-signed requests. Its zero MaxSkew means DefaultMaxSkew
// and its nil Clock means the system clock.
type Verifier struct {
	Lookup  Lookup
	Clock   clock.Clock
	MaxSkew time.Duration
}

// Result describes a verified request.
type Result struct {
	AccessKeyID, Region, Service, SessionToken string
	SignedAt                                   time.Time
	Principal                                  any
}

// Verify checks r's Authorization header against body (the already
// size-bounded request body). The region and service come from the
// credential scope; the caller checks that the service is its own.
func (v *Verifier) Verify(r *http.Request, body []byte) (Result, error) {
	h := foldHeaders(r.Header)
	a, err := authorizationOf(r, h)
	if err != nil {
		return Result{}, err
	}
	signedAt, err := v.signingTime(h, a)
	if err != nil {
		return Result{}, err
	}
	payloadHash, err := payloadHashOf(h, body)
	if err != nil {
		return Result{}, err
	}
	token, err := sessionTokenOf(h, a)
	if err != nil {
		return Result{}, err
	}
	if err := mustBeSigned(h, a, "x-amz-target"); err != nil {
		return Result{}, err
	}
	key, err := v.lookup(r.Context(), a.AccessKeyID, token)
	if err != nil {
		return Result{}, err
	}
	req := signed{auth: a, secret: key.Secret, token: token, payloadHash: payloadHash, at: signedAt}
	if err := req.check(r, h); err != nil {
		return Result{}, err
	}
	return Result{
		AccessKeyID: a.AccessKeyID, Region: a.Region, Service: a.Service,
		SessionToken: token, SignedAt: signedAt, Principal: key.Principal,
	}, nil
}

func (v *Verifier) lookup(ctx context.Context, akid, token string) (Key, error) {
	if v.Lookup == nil {
		return Key{}, errs.E(errs.Internal, "sigv4: Verifier has no Lookup")
	}
	key, err := v.Lookup(ctx, akid, token)
	if _, ok := errs.As(err); ok {
		return Key{}, err
	}
	if err != nil {
		return Key{}, fmt.Errorf("sigv4: looking up access key: %w", err)
	}
	if key.Secret == "" {
		// An empty secret would make the signature forgeable by anyone.
		return Key{}, errs.E(errs.Internal, "sigv4: Lookup returned an empty secret for %s", akid)
	}
	return key, nil
}

func (v *Verifier) now() time.Time {
	if v.Clock == nil {
		return time.Now().UTC()
	}
	return v.Clock.Now().UTC()
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew <= 0 {
		return DefaultMaxSkew
	}
	return v.MaxSkew
}
