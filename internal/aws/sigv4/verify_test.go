package sigv4

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// verifyDirect calls Verify on a client-side request, as a handler would
// after reading the body.
func verifyDirect(t *testing.T, v *Verifier, r *http.Request) (Result, error) {
	t.Helper()
	var body []byte
	if r.GetBody != nil {
		rc, _ := r.GetBody()
		body, _ = io.ReadAll(rc)
	}
	return v.Verify(r, body)
}

func TestVerifyStopsHonouringAReplacedSecretAtOnce(t *testing.T) {
	secret := userSecret
	v := &Verifier{Clock: newVerifier(signTime).Clock, Lookup: func(context.Context, string, string) (Key, error) {
		return Key{Secret: secret}, nil
	}}
	c := stsForm("http://sts.keyward.test")
	old := c.sign(t)
	if _, err := verifyDirect(t, v, old); err != nil {
		t.Fatalf("before rotation: %v", err)
	}
	secret = "rotated-" + userSecret
	if _, err := verifyDirect(t, v, c.sign(t)); err == nil {
		t.Error("a request signed with the replaced secret still verified")
	}
	c.secret = secret
	if _, err := verifyDirect(t, v, c.sign(t)); err != nil {
		t.Errorf("a request signed with the new secret: %v", err)
	}
}

func TestVerifyPassesTheSignedSessionTokenToLookup(t *testing.T) {
	var gotKey, gotToken string
	v := &Verifier{Clock: newVerifier(signTime).Clock, Lookup: func(ctx context.Context, akid, token string) (Key, error) {
		gotKey, gotToken = akid, token
		return testLookup(ctx, akid, token)
	}}
	c := stsForm("http://sts.keyward.test")
	c.akid, c.secret, c.token = sessionKey, sessionSec, sessionTok
	r := c.sign(t)
	// A request built in code may carry a non-canonical key; the signer
	// would still sign it, so the token must still reach Lookup.
	r.Header["x-amz-security-token"] = r.Header["X-Amz-Security-Token"]
	delete(r.Header, "X-Amz-Security-Token")
	res, err := verifyDirect(t, v, r)
	if err != nil {
		t.Fatal(err)
	}
	if gotKey != sessionKey || gotToken != sessionTok || res.SessionToken != sessionTok || res.Principal != "session/bob" {
		t.Errorf("Lookup(%q, %q), Result %+v", gotKey, gotToken, res)
	}
}

func TestVerifyRefusesTwoSessionTokens(t *testing.T) {
	c := stsForm("http://sts.keyward.test")
	c.akid, c.secret, c.token = sessionKey, sessionSec, sessionTok
	r := c.sign(t)
	r.Header["x-amz-security-token"] = []string{"other"}
	_, err := verifyDirect(t, newVerifier(signTime), r)
	if e, ok := errs.As(err); !ok || e.Code != CodeIncompleteSignature || !strings.Contains(e.Message, "more than one X-Amz-Security-Token") {
		t.Errorf("Verify = %v, want IncompleteSignature about two tokens", err)
	}
}

func TestVerifyReportsLookupFailuresAsInternal(t *testing.T) {
	dbDown := errors.New("database is down")
	tests := []struct {
		name   string
		lookup Lookup
		want   error
	}{
		{"a failing Lookup", func(context.Context, string, string) (Key, error) { return Key{}, dbDown }, dbDown},
		{"a Lookup returning an empty secret", func(context.Context, string, string) (Key, error) { return Key{}, nil }, nil},
		{"no Lookup", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Verifier{Lookup: tt.lookup, Clock: newVerifier(signTime).Clock}
			_, err := verifyDirect(t, v, stsForm("http://sts.keyward.test").sign(t))
			if errs.KindOf(err) != errs.Internal || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("Verify = %v (kind %s), want an internal error wrapping %v", err, errs.KindOf(err), tt.want)
			}
		})
	}
}

func TestVerifyDefaultsToTheSystemClockAndFifteenMinutes(t *testing.T) {
	v := &Verifier{Lookup: testLookup}
	c := stsForm("http://sts.keyward.test")
	c.at = time.Now().Add(-14 * time.Minute)
	if _, err := verifyDirect(t, v, c.sign(t)); err != nil {
		t.Errorf("14 minutes old: %v", err)
	}
	c.at = time.Now().Add(-16 * time.Minute)
	if _, err := verifyDirect(t, v, c.sign(t)); err == nil || !strings.Contains(err.Error(), "Signature expired") {
		t.Errorf("16 minutes old: %v, want Signature expired", err)
	}
}

func TestVerifyHonoursACustomMaxSkew(t *testing.T) {
	v := newVerifier(signTime.Add(90 * time.Second))
	v.MaxSkew = time.Minute
	_, err := verifyDirect(t, v, stsForm("http://sts.keyward.test").sign(t))
	want := "Signature expired: 20261122T024507Z is now earlier than 20261122T024537Z (20261122T024637Z - 1 min.)"
	if err == nil || err.Error() != want {
		t.Errorf("Verify = %v, want %q", err, want)
	}
}

func TestVerifyExplainsRequestsItCannotCheck(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(r *http.Request)
		code   string
		msg    string
	}{
		{"a request without a Host (HTTP/1.0)", func(r *http.Request) { r.Host = "" },
			CodeIncompleteSignature, "The request has no Host header."},
		// The SDK signer writes content-length only when positive, so a
		// signed "0" (which no AWS SDK sends) cannot be recomputed.
		{"a signed content-length of 0", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=", "SignedHeaders=content-length;", 1))
			r.Header.Set("Content-Length", "0")
		}, CodeInvalidSignature, `A signed content-length must be one positive decimal number; got "0".`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := stsForm("http://sts.keyward.test")
			c.method, c.body = http.MethodGet, ""
			r := c.sign(t)
			tt.mutate(r)
			_, err := verifyDirect(t, newVerifier(signTime), r)
			if e, ok := errs.As(err); !ok || e.Code != tt.code || e.Message != tt.msg {
				t.Errorf("Verify = %v, want %s %q", err, tt.code, tt.msg)
			}
		})
	}
}
