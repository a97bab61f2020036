package sigv4

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// python is one interpreter with one botocore on its path.
type python struct {
	name, bin string
	env       []string
}

var pythons = []python{
	{"boto3's botocore", "python3", nil},
	// The Debian awscli package (AWS CLI v2) vendors its own, older botocore.
	{"the AWS CLI v2's vendored botocore", "/usr/bin/python3", []string{"PYTHONPATH=/usr/lib/python3/dist-packages/awscli"}},
}

func (p python) cmd(args ...string) *exec.Cmd {
	c := exec.Command(p.bin, args...)
	c.Env = append(os.Environ(), p.env...)
	return c
}

// requireBotocore skips when p cannot import botocore, except under CI,
// where a missing real client is a failure.
func requireBotocore(t *testing.T, p python) {
	out, err := p.cmd("-c", "import botocore.auth").CombinedOutput()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and %s is unavailable: %v\n%s", p.name, err, out)
	}
	t.Skipf("%s is unavailable: %v", p.name, err)
}

// botoSpec is the input of testdata/botocore_sign.py.
type botoSpec struct {
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Body      string            `json:"body"`
	Headers   map[string]string `json:"headers"`
	AccessKey string            `json:"access_key"`
	SecretKey string            `json:"secret_key"`
	Token     string            `json:"token"`
	Region    string            `json:"region"`
	Service   string            `json:"service"`
	Timestamp string            `json:"timestamp"`
}

// botoSign runs the script and returns the headers botocore would send.
func botoSign(t *testing.T, p python, spec botoSpec) map[string]string {
	t.Helper()
	in, _ := json.Marshal(spec)
	cmd := p.cmd("testdata/botocore_sign.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore_sign.py: %v\n%s", err, stderr.String())
	}
	var res struct{ Headers map[string]string }
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("botocore_sign.py printed %q: %v", out, err)
	}
	return res.Headers
}

// TestVerifyAcceptsRequestsSignedByBotocore signs requests with botocore's
// SigV4Auth (the AWS CLI's and boto3's signer) and verifies them in Go.
func TestVerifyAcceptsRequestsSignedByBotocore(t *testing.T) {
	srv := serve(t, newVerifier(signTime))
	stamp := signTime.Format(amzDateFormat)
	json11 := func(target string) map[string]string {
		return map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target}
	}
	tests := []struct {
		name string
		spec botoSpec
	}{
		{"an STS form POST with a session token", botoSpec{
			Method: http.MethodPost, URL: srv.URL + "/", Body: "Action=GetCallerIdentity&Version=2011-06-15",
			Headers:   map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
			AccessKey: sessionKey, SecretKey: sessionSec, Token: sessionTok, Region: "us-west-2", Service: "sts",
		}},
		{"an STS query-string GET", botoSpec{
			Method: http.MethodGet, URL: srv.URL + "/?Action=GetCallerIdentity&Version=2011-06-15",
			AccessKey: userKey, SecretKey: userSecret, Region: "eu-west-1", Service: "sts",
		}},
		{"an SSO Admin JSON POST to an https host with a non-default port", botoSpec{
			Method: http.MethodPost, URL: "https://sso.eu-central-1.keyward.test:8443/", Body: "{}",
			Headers:   json11("SWBExternalService.ListInstances"),
			AccessKey: userKey, SecretKey: userSecret, Region: "eu-central-1", Service: "sso",
		}},
		{"an Identity Store JSON POST with a session token", botoSpec{
			Method: http.MethodPost, URL: srv.URL + "/", Body: `{"IdentityStoreId":"d-1234567890","MaxResults":5}`,
			Headers:   json11("AWSIdentityStore.ListGroups"),
			AccessKey: sessionKey, SecretKey: sessionSec, Token: sessionTok, Region: "us-east-2", Service: "identitystore",
		}},
	}
	for _, p := range pythons {
		t.Run(p.name, func(t *testing.T) {
			requireBotocore(t, p)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					tt.spec.Timestamp = stamp
					r := botoRequest(t, srv.URL, tt.spec, botoSign(t, p, tt.spec))
					if got := send(t, r); !got.OK || got.Result.Service != tt.spec.Service || got.Result.Region != tt.spec.Region {
						t.Errorf("Verify = %+v\nAuthorization: %s", got, r.Header.Get("Authorization"))
					}
				})
			}
		})
	}
}

// botoRequest builds the request botocore would send for spec, addressed
// to the test server but keeping the Host botocore signed.
func botoRequest(t *testing.T, server string, spec botoSpec, headers map[string]string) *http.Request {
	signed, err := url.Parse(spec.URL)
	if err != nil {
		t.Fatal(err)
	}
	target := server + signed.RequestURI()
	r, err := http.NewRequest(spec.Method, target, strings.NewReader(spec.Body))
	if err != nil {
		t.Fatal(err)
	}
	r.Host = signed.Host
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}
