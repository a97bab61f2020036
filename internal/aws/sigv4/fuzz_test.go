package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"
)

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + goodSig)
	f.Add("AWS4-HMAC-SHA256 Signature=" + goodSig + ",SignedHeaders=host,Credential=A/20240229/r/s/aws4_request")
	f.Add("AWS4-HMAC-SHA256 Credential=A/20261122/r/s/aws4_request, Credential=A/20261122/r/s/aws4_request")
	f.Add("AWS4-HMAC-SHA256 Credential=A/2026112/r/s/aws4_request, SignedHeaders=Host, Signature=")
	f.Add("AWS4-HMAC-SHA256 , , ,")
	f.Add("AWS4-HMAC-SHA256  Credential==/=/=/=/=, SignedHeaders=;;, Signature==")
	f.Add("Bearer eyJhbGciOiJub25lIn0.e30.")
	f.Add("")
	f.Fuzz(func(t *testing.T, h string) {
		a, err := ParseAuthorization(h)
		if err != nil {
			return
		}
		if !slices.IsSorted(a.SignedHeaders) || !a.Signs("host") || len(a.Signature) != 64 || a.Terminator != Terminator {
			t.Fatalf("parsed %q into an Authorization that breaks its invariants: %+v", h, a)
		}
		again, err := ParseAuthorization(a.String())
		if err != nil {
			t.Fatalf("re-parsing %q (from %q): %v", a.String(), h, err)
		}
		if diff := cmp.Diff(a, again); diff != "" {
			t.Fatalf("re-parsing %q changed it (-first +second):\n%s", a.String(), diff)
		}
	})
}

// secretNobodyHas is the only secret the fuzzed verifier knows, so no input
// (seeded or mutated) can carry a signature made with it.
const secretNobodyHas = "the verifier's secret, which no fuzz input was signed with"

func FuzzVerify(f *testing.F) {
	form := []byte("Action=GetCallerIdentity&Version=2011-06-15")
	signedAuth := fuzzSeedAuthorization(f, form)
	f.Add("POST", "/", "Content-Type", "application/x-www-form-urlencoded", form, signedAuth, "20261122T024507Z")
	f.Add("GET", "/?Action=GetCallerIdentity&Version=2011-06-15&x=a%20b", "X-Amz-Target", "  a   b ", []byte{}, signedAuth, "20261122T024507Z")
	f.Add("PUT", "/a%2Fb/%7E?z=1&z=0", "x-amz-meta", "v,w", []byte("{}"), strings.Replace(signedAuth, "host;", "", 1), "20261122T024507Z")
	f.Add("POST", "/", "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD", form, signedAuth, "20261122T024507Z")
	f.Add("DELETE", "/?a=%zz", "User-Agent", "x", []byte("\x00\xff"), "AWS4-HMAC-SHA256 ", "")
	f.Add("GET", "//double//slash/../dot", "Content-Length", "0", []byte("x"), strings.Repeat("A", 9000), "20261122T024507")
	f.Fuzz(func(t *testing.T, method, target, name, value string, body []byte, authz, amzDate string) {
		r, ok := fuzzRequest(method, target, name, value, body)
		if !ok {
			return
		}
		fuzzRawHeader(t, r, body, authz, amzDate)
		fuzzWrongSecret(t, r, body)
		if clientCanSend(r, name, value) {
			fuzzRightSecret(t, r, body)
		}
	})
}

// fuzzRawHeader verifies r carrying the fuzzer's own Authorization and
// X-Amz-Date: whatever they hold, they cannot match secretNobodyHas.
func fuzzRawHeader(t *testing.T, r *http.Request, body []byte, authz, amzDate string) {
	raw := r.Clone(context.Background())
	raw.Header.Set("Authorization", authz)
	raw.Header.Set("X-Amz-Date", amzDate)
	v := newVerifier(signTime)
	v.Lookup = func(context.Context, string, string) (Key, error) { return Key{Secret: secretNobodyHas}, nil }
	if res, err := v.Verify(raw, body); err == nil {
		t.Fatalf("a request signed by no one verified: %+v\n%v", res, raw.Header)
	}
}

// fuzzWrongSecret signs r properly but with a secret the verifier does not
// hold: every check but the last passes, and the last must fail.
func fuzzWrongSecret(t *testing.T, r *http.Request, body []byte) {
	req := fuzzSign(t, r, body, "not-"+userSecret)
	if res, err := newVerifier(signTime).Verify(req, body); err == nil {
		t.Fatalf("a request signed with the wrong secret verified: %+v\n%v", res, req.Header)
	}
}

// fuzzRightSecret checks the converse: what the SDK signs, we verify, both
// as built and as a server reads it off the wire.
func fuzzRightSecret(t *testing.T, r *http.Request, body []byte) {
	req := fuzzSign(t, r, body, userSecret)
	if _, err := newVerifier(signTime).Verify(req, body); err != nil {
		t.Fatalf("a correctly signed %s %s failed with %v\n%v", req.Method, req.URL, err, req.Header)
	}
	served, ok := overTheWire(req)
	if !ok {
		return
	}
	if _, err := newVerifier(signTime).Verify(served, body); err != nil {
		t.Fatalf("a correctly signed %s %q failed after HTTP/1.1 with %v\n%v", served.Method, served.RequestURI, err, served.Header)
	}
}

// overTheWire writes req as a client would and reads it back as a server does.
func overTheWire(req *http.Request) (*http.Request, bool) {
	req.Body, _ = req.GetBody()
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		return nil, false
	}
	served, err := http.ReadRequest(bufio.NewReader(&wire))
	return served, err == nil
}

func fuzzRequest(method, target, name, value string, body []byte) (*http.Request, bool) {
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	r, err := http.NewRequest(method, "http://sts.keyward.test:8080"+target, bytes.NewReader(body))
	if err != nil || r.URL.Opaque != "" {
		return nil, false
	}
	r.Header.Add(name, value)
	return r, true
}

func fuzzSign(t testing.TB, r *http.Request, body []byte, secret string) *http.Request {
	req := r.Clone(context.Background())
	creds := aws.Credentials{AccessKeyID: userKey, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, sha256Hex(string(body)), "sts", "us-east-1", signTime); err != nil {
		t.Fatal(err)
	}
	return req
}

// clientCanSend reports whether a real client could send r signed: its query
// parses and the fuzzed header is neither one the verifier checks on its own
// nor a name SignedHeaders cannot carry. net/http turns CR and LF in a value
// into spaces as it writes it, so the client would send what it did not sign.
func clientCanSend(r *http.Request, name, value string) bool {
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil || strings.ContainsAny(value, "\r\n") {
		return false
	}
	switch strings.ToLower(name) {
	case "authorization", "host", "content-length", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256":
		return false
	}
	return validRunes(strings.ToLower(name), 256, isHeaderByte)
}

func fuzzSeedAuthorization(f *testing.F, body []byte) string {
	r, _ := fuzzRequest("POST", "/", "Content-Type", "application/x-www-form-urlencoded", body)
	return fuzzSign(f, r, body, userSecret).Header.Get("Authorization")
}
