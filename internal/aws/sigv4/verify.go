package sigv4

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
)

// DefaultMaxSkew is how far X-Amz-Date may be from the server's clock: STS
// and IAM allow 15 minutes either way ("Signature expired: ... (... - 15
// min.)"); some other AWS services allow only 5.
const DefaultMaxSkew = 15 * time.Minute

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
	// Verified, if set, is told of every request whose signature checked
	// out (awsauth records when an access key was last used).
	Verified func(ctx context.Context, res Result)
}

// Result describes a verified request.
type Result struct {
	AccessKeyID, Region, Service, SessionToken string
	SignedAt                                   time.Time
	Principal                                  any
	Presigned                                  bool // signed in the query string
}

// Verify checks r's Authorization header against body (the already
// size-bounded request body). The region and service come from the
// credential scope; the caller checks that the service is its own. A
// presigned request is refused: see VerifyPresigned.
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
	return v.verify(r, h, signed{auth: a, token: token, payloadHash: payloadHash, at: signedAt})
}

// VerifyPresigned checks a request signed in its query string (a presigned
// URL, see Presigned) against body. It is for the few operations AWS tools
// call that way (STS GetCallerIdentity, whose presigned URL is how
// aws-iam-authenticator's EKS tokens prove an identity); the caller decides
// which those are.
// Beyond Verify's checks, the request must be used between X-Amz-Date (less
// the allowed skew) and X-Amz-Date plus X-Amz-Expires (DefaultExpires when
// absent, as the STS presigners leave it).
func (v *Verifier) VerifyPresigned(r *http.Request, body []byte) (Result, error) {
	h := foldHeaders(r.Header)
	if len(h["authorization"]) > 0 {
		return Result{}, incomplete("The request is signed both in an Authorization header and in its query string; use one.")
	}
	p, err := ParsePresigned(r.URL.RawQuery)
	if err != nil {
		return Result{}, err
	}
	if err := v.presignedWindow(p); err != nil {
		return Result{}, err
	}
	payloadHash, err := payloadHashOf(h, body)
	if err != nil {
		return Result{}, err
	}
	return v.verify(r, h, signed{auth: p.Authorization, token: p.SessionToken, payloadHash: payloadHash, at: p.SignedAt, presigned: true})
}

// verify finishes either kind of request: the headers that must be signed,
// the key lookup and the signature itself.
func (v *Verifier) verify(r *http.Request, h headers, s signed) (Result, error) {
	if err := mustBeSigned(h, s.auth, "x-amz-target"); err != nil {
		return Result{}, err
	}
	key, err := v.lookup(r.Context(), s.auth.AccessKeyID, s.token)
	if err != nil {
		return Result{}, err
	}
	s.secret = key.Secret
	if err := s.check(r, h); err != nil {
		return Result{}, err
	}
	res := Result{
		AccessKeyID: s.auth.AccessKeyID, Region: s.auth.Region, Service: s.auth.Service,
		SessionToken: s.token, SignedAt: s.at, Principal: key.Principal, Presigned: s.presigned,
	}
	if v.Verified != nil {
		v.Verified(r.Context(), res)
	}
	return res, nil
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
