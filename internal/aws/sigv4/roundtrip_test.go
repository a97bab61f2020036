package sigv4

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sdkHeaders are what aws-sdk-go-v2 adds to every call before signing.
func sdkHeaders(h http.Header) http.Header {
	h.Set("Amz-Sdk-Invocation-Id", "6f3c1a2e-9d4b-4c1e-8f7a-2b5d0e9c4a11")
	h.Set("Amz-Sdk-Request", "attempt=1; max=3")
	return h
}

func awsJSON(target string) http.Header {
	return sdkHeaders(http.Header{
		"Content-Type": {"application/x-amz-json-1.1"},
		"X-Amz-Target": {target},
	})
}

// TestVerifyAcceptsRequestsSignedByTheGoSDK signs requests the way
// aws-sdk-go-v2 does, sends them over real HTTP and expects each to verify.
func TestVerifyAcceptsRequestsSignedByTheGoSDK(t *testing.T) {
	srv := serve(t, newVerifier(signTime))
	u := srv.URL
	session := func(c clientReq) clientReq {
		c.akid, c.secret, c.token = sessionKey, sessionSec, sessionTok
		return c
	}
	with := func(c clientReq, f func(*clientReq)) clientReq { f(&c); return c }

	tests := []struct {
		name          string
		req           clientReq
		wantPrincipal string
	}{
		{"an STS form POST with a long-term key", stsForm(u), "user/alice"},
		{"an STS form POST with a session token in eu-west-1", session(with(stsForm(u), func(c *clientReq) {
			c.region = "eu-west-1"
			c.headers = sdkHeaders(http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}})
		})), "session/bob"},
		{"an STS query-string GET with awkward escapes and repeated keys", with(stsForm(u), func(c *clientReq) {
			c.method, c.body, c.headers = http.MethodGet, "", nil
			c.url = u + "/?Action=GetCallerIdentity&Version=2011-06-15&Note=a%20b%2Bc&Path=%2Fx%2Fy&z=2&z=1&empty="
		}), "user/alice"},
		{"an SSO Admin JSON POST in ap-southeast-2", with(stsForm(u), func(c *clientReq) {
			c.body, c.service, c.region = `{"InstanceArn":"arn:aws:sso:::instance/ssoins-1"}`, "sso", "ap-southeast-2"
			c.headers = awsJSON("SWBExternalService.ListPermissionSets")
		}), "user/alice"},
		{"an Identity Store JSON POST with a session token and X-Amz-Content-Sha256 (as the JS SDK sends)", session(with(stsForm(u), func(c *clientReq) {
			c.body, c.service, c.region = `{"IdentityStoreId":"d-1234567890"}`, "identitystore", "us-west-2"
			c.headers = awsJSON("AWSIdentityStore.ListUsers")
			c.headers.Set("X-Amz-Content-Sha256", sha256Hex(c.body))
			c.headers.Set("X-Amz-User-Agent", "aws-sdk-js/3.1169.0")
		})), "session/bob"},
		{"an Organizations JSON POST with an empty object body", with(stsForm(u), func(c *clientReq) {
			c.body, c.service = `{}`, "organizations"
			c.headers = awsJSON("AWSOrganizationsV20161128.DescribeOrganization")
		}), "user/alice"},
		{"a request whose Host carries a non-default port", with(stsForm(u), func(c *clientReq) {
			c.host = "sts.keyward.test:8443"
		}), "user/alice"},
		{"an https request on port 80, whose Host keeps :80", with(stsForm(u), func(c *clientReq) {
			c.host, c.signScheme = "sts.keyward.test:80", "https"
		}), "user/alice"},
		{"a GET on an escaped path", with(stsForm(u), func(c *clientReq) {
			c.method, c.body, c.headers, c.service = http.MethodGet, "", nil, "sso"
			c.url = u + "/assignments/a%20b/%2Fslash/%7Etilde?max_result=10"
		}), "user/alice"},
		{"a signed header with repeated values and runs of spaces", with(stsForm(u), func(c *clientReq) {
			c.headers = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Amz-Meta": {"a   b", " c "}}
		}), "user/alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, tt.req.sign(t))
			want := outcome{OK: true, Result: Result{
				AccessKeyID: tt.req.akid, Region: tt.req.region, Service: tt.req.service,
				SessionToken: tt.req.token, SignedAt: signTime, Principal: tt.wantPrincipal,
			}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Verify outcome (-want +got):\n%s", diff)
			}
		})
	}
}
