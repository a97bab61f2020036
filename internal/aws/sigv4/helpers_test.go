package sigv4

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
)

// Test credentials. The secrets contain '/' and '+' as real ones do.
const (
	userKey      = "AKIAKEYWARDUSER0001"
	userSecret   = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	sessionKey   = "ASIAKEYWARDSESS0002"
	sessionSec   = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
	sessionTok   = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=="
	expiredKey   = "ASIAKEYWARDEXPD0003"
	expiredToken = "IQoJexpired"
)

// signTime is when test requests are signed; the verifier's clock agrees
// unless a test moves it.
var signTime = time.Date(2026, 11, 22, 2, 45, 7, 0, time.UTC)

// testLookup knows one long-term key, one session and one expired session.
func testLookup(_ context.Context, akid, token string) (Key, error) {
	switch {
	case akid == userKey && token == "":
		return Key{Secret: userSecret, Principal: "user/alice"}, nil
	case akid == sessionKey && token == sessionTok:
		return Key{Secret: sessionSec, Principal: "session/bob"}, nil
	case akid == expiredKey && token == expiredToken:
		return Key{}, ExpiredToken()
	}
	return Key{}, UnrecognizedClient()
}

func newVerifier(now time.Time) *Verifier {
	return &Verifier{Lookup: testLookup, Clock: clock.NewFake(now)}
}

// clientReq describes a request as an AWS SDK would build and sign it.
type clientReq struct {
	method, url, body string
	host              string // Host to send, if not the URL's
	signScheme        string // scheme the client believes it uses, if not the URL's
	headers           http.Header
	akid, secret      string
	token             string
	region, service   string
	at                time.Time
	noHoisting        bool // presign: keep X-Amz-* headers as headers
}

// stsForm is a typical STS GetCallerIdentity call with long-term keys.
func stsForm(url string) clientReq {
	return clientReq{
		method: http.MethodPost, url: url + "/",
		body:    "Action=GetCallerIdentity&Version=2011-06-15",
		headers: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		akid:    userKey, secret: userSecret, region: "us-east-1", service: "sts", at: signTime,
	}
}

// sign builds the request and signs it with aws-sdk-go-v2's signer, the way
// the SDK's signing middleware does.
func (c clientReq) sign(t testing.TB) *http.Request {
	t.Helper()
	req := c.build(t)
	if c.host != "" {
		req.Host = c.host
	}
	scheme := req.URL.Scheme
	if c.signScheme != "" {
		req.URL.Scheme = c.signScheme
	}
	creds := aws.Credentials{AccessKeyID: c.akid, SecretAccessKey: c.secret, SessionToken: c.token}
	err := v4.NewSigner().SignHTTP(context.Background(), creds, req, sha256Hex(c.body), c.service, c.region, c.at)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Scheme = scheme
	return req
}

// build is the unsigned request c describes.
func (c clientReq) build(t testing.TB) *http.Request {
	t.Helper()
	req, err := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, vs := range c.headers {
		req.Header[k] = append([]string(nil), vs...)
	}
	return req
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// outcome is what the test server reports back about one Verify call.
type outcome struct {
	OK      bool
	Result  Result
	Code    string
	Kind    errs.Kind
	Message string
}

// serve starts a server that verifies every request with v, as a keyward
// endpoint would, and reports the outcome as JSON.
func serve(t testing.TB, v *Verifier) *httptest.Server {
	return serveWith(t, v.Verify)
}

// serveWith is serve with another verifying method (VerifyPresigned).
func serveWith(t testing.TB, verify func(*http.Request, []byte) (Result, error)) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		res, err := verify(r, body)
		out := outcome{OK: err == nil, Result: res}
		if e, ok := errs.As(err); ok {
			out.Code, out.Kind, out.Message = e.Code, e.Kind, e.Message
		} else if err != nil {
			out.Message = err.Error()
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// send sends req to the test server and decodes its outcome.
func send(t testing.TB, req *http.Request) outcome {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out outcome
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}
