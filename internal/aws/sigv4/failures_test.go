package sigv4

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// mutation edits a signed request before it is sent.
type mutation func(t *testing.T, r *http.Request)

// editAuth rewrites the Authorization header.
func editAuth(old, new string) mutation {
	return func(t *testing.T, r *http.Request) {
		h := r.Header.Get("Authorization")
		if !strings.Contains(h, old) {
			t.Fatalf("Authorization %q does not contain %q", h, old)
		}
		r.Header.Set("Authorization", strings.Replace(h, old, new, 1))
	}
}

func setAuth(v string) mutation {
	return func(_ *testing.T, r *http.Request) { r.Header.Set("Authorization", v) }
}

func setHeader(k, v string) mutation {
	return func(_ *testing.T, r *http.Request) { r.Header.Set(k, v) }
}

func delHeader(k string) mutation {
	return func(_ *testing.T, r *http.Request) { r.Header.Del(k) }
}

func addHeader(k, v string) mutation {
	return func(_ *testing.T, r *http.Request) { r.Header.Add(k, v) }
}

func setBody(b string) mutation {
	return func(_ *testing.T, r *http.Request) {
		r.Body, r.ContentLength = io.NopCloser(strings.NewReader(b)), int64(len(b))
	}
}

const validSig = "Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// failure is one request that Verify must refuse.
type failure struct {
	name   string
	skew   time.Duration      // verifier clock minus signing time
	client func(c *clientReq) // changes to the request before signing
	mutate mutation           // changes after signing
	code   string             // exact JSON-protocol code
	query  string             // its awsQuery name
	kind   errs.Kind          // errs kind
	msg    string             // a substring of the message
}

const (
	incompleteCode = CodeIncompleteSignature
	mismatchCode   = CodeInvalidSignature
)

var failures = []failure{
	{name: "no Authorization header", mutate: delHeader("Authorization"),
		code: CodeMissingAuthenticationToken, query: "MissingAuthenticationToken", kind: errs.Unauthenticated,
		msg: "Request is missing Authentication Token"},
	{name: "an empty Authorization header", mutate: setAuth(""),
		code: CodeMissingAuthenticationToken, query: "MissingAuthenticationToken", kind: errs.Unauthenticated,
		msg: "missing Authentication Token"},
	{name: "a presigned URL instead of a header", mutate: func(_ *testing.T, r *http.Request) {
		r.Header.Del("Authorization")
		r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00"
	}, code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "does not accept a presigned (query-string) signature"},
	{name: "two Authorization headers", mutate: func(t *testing.T, r *http.Request) {
		r.Header.Add("Authorization", r.Header.Get("Authorization"))
	}, code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "more than one Authorization header"},
	{name: "an unsupported algorithm (SigV4a)", mutate: editAuth("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: `Unsupported AWS 'algorithm': "AWS4-ECDSA-P256-SHA256"`},
	{name: "a lowercase algorithm", mutate: editAuth("AWS4-HMAC-SHA256", "aws4-hmac-sha256"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "Unsupported AWS 'algorithm'"},
	{name: "a bearer token", mutate: setAuth("Bearer abc.def.ghi"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: `"Bearer"`},
	{name: "a missing X-Amz-Date", mutate: delHeader("X-Amz-Date"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "requires existence of a 'X-Amz-Date' header"},
	{name: "an X-Amz-Date in RFC 1123 form", mutate: setHeader("X-Amz-Date", "Sun, 22 Nov 2026 02:45:07 GMT"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "ISO-8601 basic format"},
	{name: "two X-Amz-Date headers", mutate: addHeader("X-Amz-Date", "20261122T024507Z"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "more than one X-Amz-Date header"},
	{name: "x-amz-date left out of SignedHeaders", mutate: editAuth(";x-amz-date", ""),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "SignedHeaders must include 'x-amz-date'"},
	{name: "a bad scope terminator", mutate: editAuth("/aws4_request", "/aws4_reques"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "valid terminator"},
	{name: "a scope with too few parts", mutate: editAuth("/us-east-1/sts/", "/us-east-1/"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "access-key-id/YYYYMMDD/region/service/aws4_request"},
	{name: "a duplicate Credential component", mutate: editAuth(", SignedHeaders=", ", Credential="+userKey+"/20261122/us-east-1/sts/aws4_request, SignedHeaders="),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "more than one 'Credential' component"},
	{name: "a missing Signature component", mutate: func(t *testing.T, r *http.Request) {
		h := r.Header.Get("Authorization")
		r.Header.Set("Authorization", h[:strings.Index(h, ", Signature=")])
	}, code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "requires 'Signature' parameter"},
	{name: "an unknown component", mutate: editAuth(", Signature=", ", Nonce=1, Signature="),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: `unknown component "Nonce"`},
	{name: "SignedHeaders without host", mutate: editAuth("content-type;host;", "content-type;"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "SignedHeaders must include 'host'"},
	{name: "uppercase SignedHeaders", mutate: editAuth("content-type;host", "Content-Type;Host"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "names must be lowercase"},
	{name: "unsorted SignedHeaders", mutate: editAuth("content-length;content-type", "content-type;content-length"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "must be sorted and unique"},
	{name: "an Authorization header over 8 KiB", mutate: editAuth(", Signature=", ", Signature="+strings.Repeat("0", 8<<10)),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "the limit is 8192"},
	{name: "an empty signature", mutate: func(t *testing.T, r *http.Request) {
		h := r.Header.Get("Authorization")
		r.Header.Set("Authorization", h[:strings.Index(h, "Signature=")]+"Signature=")
	}, code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "64 lowercase hexadecimal digits"},
	{name: "a non-hex signature", mutate: editAuth("Signature=", "Signature=zz"+strings.Repeat("0", 62)+"x"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "64 lowercase hexadecimal digits"},
	{name: "an uppercase hex signature", mutate: func(t *testing.T, r *http.Request) {
		h := r.Header.Get("Authorization")
		i := strings.Index(h, "Signature=") + len("Signature=")
		r.Header.Set("Authorization", h[:i]+strings.ToUpper(h[i:]))
	}, code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "64 lowercase hexadecimal digits"},
	{name: "a UNSIGNED-PAYLOAD content hash", client: func(c *clientReq) {
		c.headers.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	}, code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "requires a signed payload"},
	{name: "a STREAMING- content hash", client: func(c *clientReq) {
		c.headers.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
	}, code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "requires a signed payload"},
	{name: "an unsigned security token", client: func(c *clientReq) {
		c.akid, c.secret = sessionKey, sessionSec
	}, mutate: setHeader("X-Amz-Security-Token", sessionTok),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "must include 'x-amz-security-token'"},
	{name: "an unsigned X-Amz-Target", mutate: setHeader("X-Amz-Target", "AWSIdentityStore.CreateGroup"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "must include 'x-amz-target'"},
	{name: "an empty unsigned X-Amz-Target", mutate: setHeader("X-Amz-Target", ""),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "must include 'x-amz-target'"},
	{name: "user-agent in SignedHeaders", mutate: editAuth(";x-amz-date", ";user-agent;x-amz-date"),
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: `"user-agent"`},
	{name: "a malformed query string", mutate: func(_ *testing.T, r *http.Request) { r.URL.RawQuery = "a=%zz" },
		code: incompleteCode, query: "IncompleteSignature", kind: errs.Invalid, msg: "query string is malformed"},

	{name: "an unknown access key", client: func(c *clientReq) { c.akid = "AKIAUNKNOWN000000000" },
		code: CodeUnrecognizedClient, query: "InvalidClientTokenId", kind: errs.Unauthenticated,
		msg: "The security token included in the request is invalid."},
	{name: "a session token that belongs to no session", client: func(c *clientReq) {
		c.akid, c.secret, c.token = sessionKey, sessionSec, "forged"
	}, code: CodeUnrecognizedClient, query: "InvalidClientTokenId", kind: errs.Unauthenticated, msg: "is invalid"},
	{name: "an expired session", client: func(c *clientReq) {
		c.akid, c.secret, c.token = expiredKey, "whatever", expiredToken
	}, code: CodeExpiredToken, query: "ExpiredToken", kind: errs.Unauthenticated, msg: "The security token included in the request is expired"},

	{name: "the wrong secret", client: func(c *clientReq) { c.secret = "not-" + userSecret },
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: errSignatureMismatch},
	{name: "a tampered body", mutate: setBody("Action=GetCallerIdentity&Version=2011-06-16"),
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: errSignatureMismatch},
	{name: "a tampered body under a signed X-Amz-Content-Sha256", client: func(c *clientReq) {
		c.headers.Set("X-Amz-Content-Sha256", sha256Hex(c.body))
	}, mutate: setBody("Action=AssumeRole&Version=2011-06-15"),
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: "'x-amz-content-sha256' header does not match"},
	{name: "a tampered signed header", mutate: setHeader("Content-Type", "application/json"),
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: errSignatureMismatch},
	{name: "a tampered query", client: func(c *clientReq) {
		c.method, c.body, c.url = http.MethodGet, "", c.url+"?Action=GetCallerIdentity&Version=2011-06-15"
	}, mutate: func(_ *testing.T, r *http.Request) { r.URL.RawQuery = "Action=GetSessionToken&Version=2011-06-15" },
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: errSignatureMismatch},
	{name: "a tampered path", mutate: func(_ *testing.T, r *http.Request) { r.URL.Path = "/other" },
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: errSignatureMismatch},
	{name: "a tampered method", mutate: func(_ *testing.T, r *http.Request) { r.Method = http.MethodPut },
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: errSignatureMismatch},
	{name: "a different Host", mutate: func(_ *testing.T, r *http.Request) { r.Host = "evil.example:443" },
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: errSignatureMismatch},
	{name: "a region swapped in the scope", mutate: editAuth("/us-east-1/", "/eu-west-1/"),
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: errSignatureMismatch},
	{name: "a service swapped in the scope", mutate: editAuth("/sts/", "/iam/"),
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: errSignatureMismatch},
	{name: "a scope date that is not the X-Amz-Date day", mutate: editAuth("/20261122/", "/20261121/"),
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated,
		msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261121' != '20261122', from '20261122T024507Z'."},
	{name: "a signed header the request does not carry", client: func(c *clientReq) {
		c.headers.Set("X-Amz-Target", "AWSSecurityTokenServiceV20110615.GetCallerIdentity")
	}, mutate: delHeader("X-Amz-Target"),
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated, msg: `SignedHeaders lists "x-amz-target"`},
	{name: "a request signed 16 minutes ago", skew: 16 * time.Minute,
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated,
		msg: "Signature expired: 20261122T024507Z is now earlier than 20261122T024607Z (20261122T030107Z - 15 min.)"},
	{name: "a request signed 16 minutes ahead", skew: -16 * time.Minute,
		code: mismatchCode, query: "SignatureDoesNotMatch", kind: errs.Unauthenticated,
		msg: "Signature not yet current: 20261122T024507Z is still later than 20261122T024407Z (20261122T022907Z + 15 min.)"},
}

// TestVerifyRefuses sends each bad request over HTTP and checks the exact
// code, its awsQuery name, its kind and the message.
func TestVerifyRefuses(t *testing.T) {
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, newVerifier(signTime.Add(tt.skew)))
			c := stsForm(srv.URL)
			if tt.client != nil {
				tt.client(&c)
			}
			r := c.sign(t)
			if tt.mutate != nil {
				tt.mutate(t, r)
			}
			got := send(t, r)
			if got.OK || got.Code != tt.code || got.Kind != tt.kind || !strings.Contains(got.Message, tt.msg) {
				t.Errorf("Verify = ok %v, %s (%s) %q\nwant %s (%s) containing %q", got.OK, got.Code, got.Kind, got.Message, tt.code, tt.kind, tt.msg)
			}
			if q := QueryCode(got.Code); q != tt.query {
				t.Errorf("QueryCode(%s) = %s, want %s", got.Code, q, tt.query)
			}
		})
	}
}

// TestVerifyTolerates covers changes a real network makes to a request that
// must not break its signature.
func TestVerifyTolerates(t *testing.T) {
	tests := []struct {
		name   string
		skew   time.Duration
		mutate mutation
	}{
		{"an unsigned header added by a proxy", 0, func(_ *testing.T, r *http.Request) {
			r.Header.Set("X-Forwarded-For", "203.0.113.7")
			r.Header.Set("Via", "1.1 proxy")
			r.Header.Set("X-Amzn-Trace-Id", "Root=1-abc")
		}},
		{"Authorization components separated by bare commas", 0, func(t *testing.T, r *http.Request) {
			r.Header.Set("Authorization", strings.ReplaceAll(r.Header.Get("Authorization"), ", ", ","))
		}},
		{"a signed header sent with a lowercase name", 0, func(_ *testing.T, r *http.Request) {
			v := r.Header.Get("Content-Type")
			r.Header.Del("Content-Type")
			r.Header["content-type"] = []string{v}
		}},
		{"a signed header value padded with spaces", 0, setHeader("Content-Type", "  application/x-www-form-urlencoded  ")},
		// STS and IAM allow 15 minutes either way ("... - 15 min.").
		{"a clock 14m59s ahead of the signer", 14*time.Minute + 59*time.Second, nil},
		{"a clock 14m59s behind the signer", -(14*time.Minute + 59*time.Second), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, newVerifier(signTime.Add(tt.skew)))
			r := stsForm(srv.URL).sign(t)
			if tt.mutate != nil {
				tt.mutate(t, r)
			}
			if got := send(t, r); !got.OK {
				t.Errorf("Verify failed: %s %q", got.Code, got.Message)
			}
		})
	}
}
