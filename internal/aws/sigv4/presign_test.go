package sigv4

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/keyward/keyward/internal/errs"
)

const callerIdentityQuery = "Action=GetCallerIdentity&Version=2011-06-15"

// presign builds c as a presigned URL valid for expires, with
// aws-sdk-go-v2's presigner (the one sts.PresignClient uses), and returns
// the request a tool would send with it.
func (c clientReq) presign(t testing.TB, expires string) *http.Request {
	t.Helper()
	req := c.build(t)
	if expires != "" {
		q := req.URL.Query()
		q.Set(QueryExpires, expires)
		req.URL.RawQuery = q.Encode()
	}
	creds := aws.Credentials{AccessKeyID: c.akid, SecretAccessKey: c.secret, SessionToken: c.token}
	uri, signedHeaders, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, sha256Hex(c.body), c.service, c.region, c.at,
		func(o *v4.SignerOptions) { o.DisableHeaderHoisting = c.noHoisting })
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(c.method, uri, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range signedHeaders {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	return out
}

// presignedGet is a presigned GET /?Action=GetCallerIdentity.
func presignedGet(base string) clientReq {
	c := stsForm(base)
	c.method, c.body, c.headers = http.MethodGet, "", http.Header{}
	c.url = base + "/?" + callerIdentityQuery
	return c
}

func TestVerifyPresignedAccepts(t *testing.T) {
	tests := []struct {
		name    string
		client  func(c *clientReq)
		expires string
		skew    time.Duration
	}{
		{name: "a presigned GET with a long-term key", expires: "900"},
		{name: "a presigned GET with a session token", expires: "60", client: func(c *clientReq) {
			c.akid, c.secret, c.token = sessionKey, sessionSec, sessionTok
		}},
		{name: "a presigned POST with no body", expires: "900", client: func(c *clientReq) { c.method = http.MethodPost }},
		{name: "a signed extra header, as aws-iam-authenticator sends", expires: "900", client: func(c *clientReq) {
			c.headers.Set("X-K8s-Aws-Id", "my-cluster")
		}},
		{name: "a signed X-Amz-* header hoisted into the query", expires: "900", client: func(c *clientReq) {
			c.headers.Set("X-Amz-Purpose", "login")
		}},
		{name: "a signed X-Amz-* header kept a header", expires: "900", client: func(c *clientReq) {
			c.headers.Set("X-Amz-Purpose", "login")
			c.noHoisting = true
		}},
		{name: "a URL used in its last second", expires: "900", skew: 900 * time.Second},
		{name: "a URL valid for 7 days, used on the 7th", expires: "604800", skew: 6*24*time.Hour + 23*time.Hour},
		{name: "a URL from a client clock 14m59s ahead", expires: "60", skew: -(14*time.Minute + 59*time.Second)},
		{name: "no X-Amz-Expires (the STS presigners send none), used at 15 minutes", expires: "", skew: 15 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifier(signTime.Add(tt.skew))
			srv := serveWith(t, v.VerifyPresigned)
			c := presignedGet(srv.URL)
			if tt.client != nil {
				tt.client(&c)
			}
			got := send(t, c.presign(t, tt.expires))
			if !got.OK {
				t.Fatalf("VerifyPresigned refused: %s %q", got.Code, got.Message)
			}
			if !got.Result.Presigned || got.Result.AccessKeyID != c.akid || got.Result.Service != "sts" || got.Result.SessionToken != c.token {
				t.Errorf("Result = %+v", got.Result)
			}
		})
	}
}

// editQuery changes one query parameter of a signed URL.
func editQuery(name, value string) mutation {
	return func(_ *testing.T, r *http.Request) {
		q := r.URL.Query()
		q.Set(name, value)
		r.URL.RawQuery = q.Encode()
	}
}

func delQuery(name string) mutation {
	return func(_ *testing.T, r *http.Request) {
		q := r.URL.Query()
		q.Del(name)
		r.URL.RawQuery = q.Encode()
	}
}

func TestVerifyPresignedRefuses(t *testing.T) {
	tests := []struct {
		name    string
		expires string
		skew    time.Duration
		client  func(c *clientReq)
		mutate  mutation
		code    string
		msg     string
	}{
		{name: "a URL used one second after it expired", expires: "900", skew: 901 * time.Second,
			code: mismatchCode, msg: "Request has expired: signed at 20261122T024507Z for 900 seconds, so valid until 20261122T030007Z; it is now 20261122T030008Z."},
		{name: "a URL signed 16 minutes in the future", expires: "900", skew: -16 * time.Minute,
			code: mismatchCode, msg: "Signature not yet current"},
		{name: "an X-Amz-Expires over 7 days", expires: "604801",
			code: incompleteCode, msg: "X-Amz-Expires must be a whole number of seconds from 1 to 604800"},
		{name: "an X-Amz-Expires of 0", expires: "0", code: incompleteCode, msg: "from 1 to 604800"},
		{name: "a negative X-Amz-Expires", expires: "-5", code: incompleteCode, msg: "from 1 to 604800"},
		{name: "an X-Amz-Expires with a leading zero", expires: "0900", code: incompleteCode, msg: "from 1 to 604800"},
		{name: "an X-Amz-Expires in hours", expires: "1h", code: incompleteCode, msg: "from 1 to 604800"},
		{name: "no X-Amz-Expires, used after 15 minutes", expires: "", skew: 15*time.Minute + time.Second,
			code: mismatchCode, msg: "Request has expired: signed at 20261122T024507Z for 900 seconds"},
		{name: "an empty X-Amz-Expires", expires: "900", mutate: editQuery(QueryExpires, ""), code: incompleteCode, msg: "from 1 to 604800"},
		{name: "no X-Amz-Date", expires: "900", mutate: delQuery(QueryDate),
			code: incompleteCode, msg: "must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date' and 'X-Amz-SignedHeaders'"},
		{name: "no X-Amz-Signature", expires: "900", mutate: delQuery(QuerySignature), code: incompleteCode, msg: "must include"},
		{name: "two X-Amz-Date parameters", expires: "900", mutate: func(_ *testing.T, r *http.Request) {
			r.URL.RawQuery += "&X-Amz-Date=20261122T024507Z"
		}, code: incompleteCode, msg: "more than one 'X-Amz-Date' parameter"},
		{name: "an X-Amz-Expires lengthened after signing", expires: "60", skew: 5 * time.Minute, mutate: editQuery(QueryExpires, "3600"),
			code: mismatchCode, msg: errSignatureMismatch},
		{name: "an Action swapped after signing", expires: "900", mutate: editQuery("Action", "GetSessionToken"),
			code: mismatchCode, msg: errSignatureMismatch},
		{name: "a parameter added after signing", expires: "900", mutate: editQuery("DurationSeconds", "43200"),
			code: mismatchCode, msg: errSignatureMismatch},
		{name: "a tampered signature", expires: "900", mutate: editQuery(QuerySignature, strings.Repeat("0", 64)),
			code: mismatchCode, msg: errSignatureMismatch},
		{name: "the wrong secret", expires: "900", client: func(c *clientReq) { c.secret = "not-" + userSecret },
			code: mismatchCode, msg: errSignatureMismatch},
		{name: "a different Host", expires: "900", mutate: func(_ *testing.T, r *http.Request) { r.Host = "evil.example" },
			code: mismatchCode, msg: errSignatureMismatch},
		{name: "a scope date that is not the X-Amz-Date day", expires: "900", mutate: editQuery(QueryCredential, userKey+"/20261121/us-east-1/sts/aws4_request"),
			code: mismatchCode, msg: "Date in Credential scope does not match"},
		{name: "SigV4a", expires: "900", mutate: editQuery(QueryAlgorithm, "AWS4-ECDSA-P256-SHA256"),
			code: incompleteCode, msg: "Unsupported AWS 'algorithm'"},
		{name: "SignedHeaders without host", expires: "900", mutate: editQuery(QuerySignedHeaders, "x-k8s-aws-id"),
			code: incompleteCode, msg: "SignedHeaders must include 'host'"},
		{name: "an unsigned X-Amz-Target header", expires: "900", mutate: setHeader("X-Amz-Target", "AWSIdentityStore.CreateGroup"),
			code: incompleteCode, msg: "must include 'x-amz-target'"},
		{name: "an Authorization header as well", expires: "900", mutate: setHeader("Authorization", "AWS4-HMAC-SHA256 Credential=x"),
			code: incompleteCode, msg: "signed both in an Authorization header and in its query string"},
		{name: "a forged session token", expires: "900", client: func(c *clientReq) {
			c.akid, c.secret, c.token = sessionKey, sessionSec, "forged"
		}, code: CodeUnrecognizedClient, msg: "is invalid"},
		{name: "an expired session", expires: "900", client: func(c *clientReq) {
			c.akid, c.secret, c.token = expiredKey, "whatever", expiredToken
		}, code: CodeExpiredToken, msg: "expired"},
		{name: "a query string over 16 KiB", expires: "900", mutate: func(_ *testing.T, r *http.Request) {
			r.URL.RawQuery += "&pad=" + strings.Repeat("p", 16<<10)
		}, code: incompleteCode, msg: "the limit is 16384"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifier(signTime.Add(tt.skew))
			srv := serveWith(t, v.VerifyPresigned)
			c := presignedGet(srv.URL)
			if tt.client != nil {
				tt.client(&c)
			}
			r := c.presign(t, tt.expires)
			if tt.mutate != nil {
				tt.mutate(t, r)
			}
			got := send(t, r)
			if got.OK || got.Code != tt.code || !strings.Contains(got.Message, tt.msg) {
				t.Errorf("VerifyPresigned = ok %v, %s %q\nwant %s containing %q", got.OK, got.Code, got.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestVerifyRefusesAPresignedURLThatVerifyPresignedAccepts(t *testing.T) {
	srv := serve(t, newVerifier(signTime))
	got := send(t, presignedGet(srv.URL).presign(t, "900"))
	if got.OK || got.Code != CodeIncompleteSignature || got.Kind != errs.Invalid {
		t.Errorf("Verify = ok %v, %s %q; want IncompleteSignatureException", got.OK, got.Code, got.Message)
	}
}

func TestIsPresigned(t *testing.T) {
	r := presignedGet("http://sts.keyward.test").presign(t, "900")
	if !IsPresigned(r) {
		t.Error("a presigned URL is not IsPresigned")
	}
	if IsPresigned(stsForm("http://sts.keyward.test").sign(t)) {
		t.Error("a header-signed request is IsPresigned")
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 x")
	if IsPresigned(r) {
		t.Error("a request with an Authorization header is IsPresigned")
	}
}

func TestParsePresignedRoundTrips(t *testing.T) {
	r := presignedGet("http://sts.keyward.test").presign(t, "900")
	p, err := ParsePresigned(r.URL.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParsePresigned(p.Values().Encode())
	if err != nil || again.Signature != p.Signature || again.Expires != 900*time.Second || !again.SignedAt.Equal(signTime) || again.Validity() != 900*time.Second {
		t.Fatalf("ParsePresigned(Values()) = %+v, %v; want %+v", again, err, p)
	}
	if _, err := url.ParseQuery(p.Values().Encode()); err != nil {
		t.Fatal(err)
	}
}
