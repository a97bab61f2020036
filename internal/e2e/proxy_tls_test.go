package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/cli"
	"github.com/keyward/keyward/internal/config"
)

// tlsServer is a keyward whose org URL and AWS endpoint serve TLS from its
// local CA and whose HTTPS proxy mode is on, with the CA exported to a
// file as an operator would (`keyward admin ca export`).
type tlsServer struct {
	*server
	caFile string
	roots  *x509.CertPool
}

func startTLS(t *testing.T, tweaks ...func(*config.Config)) *tlsServer {
	t.Helper()
	return startTLSIn(t, t.TempDir(), tweaks...)
}

// startTLSIn is startTLS with its data directory (a test that routes
// web-identity issuers stores their dialer under it first).
func startTLSIn(t *testing.T, dir string, tweaks ...func(*config.Config)) *tlsServer {
	t.Helper()
	s := launchTLS(t, dir, tweaks...)
	s.t = t
	return s
}

// launchTLS is startTLSIn for a benchmark: its server has no *testing.T,
// so only the helpers that take their own testing.TB work on it.
func launchTLS(t testing.TB, dir string, tweaks ...func(*config.Config)) *tlsServer {
	t.Helper()
	m := launch(t, dir, nil, append([]func(*config.Config){func(c *config.Config) {
		c.IdP.TLS.Mode, c.AWS.TLS.Mode, c.AWS.ProxyAddr = config.TLSLocalCA, config.TLSLocalCA, "127.0.0.1:0"
	}}, tweaks...)...)
	s := &tlsServer{server: &server{main: m, url: m.AWSURL, dataDir: dir}, caFile: filepath.Join(t.TempDir(), "keyward-ca.pem")}
	var out, errOut strings.Builder
	args := []string{"admin", "ca", "export", "--data-dir", dir}
	if u := m.Config.Store.URL; u != "" {
		args = append(args, "--store-url", u)
	}
	if code := cli.Execute(context.Background(), args, cli.IO{In: strings.NewReader(""), Out: &out, Err: &errOut}); code != 0 {
		t.Fatalf("keyward admin ca export exited %d: %s", code, errOut.String())
	}
	must(t, os.WriteFile(s.caFile, []byte(out.String()), 0o644))
	s.roots = x509.NewCertPool()
	if !s.roots.AppendCertsFromPEM([]byte(out.String())) {
		t.Fatalf("ca export printed no certificate: %q", out.String())
	}
	s.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.roots}}}
	return s
}

// proxyLikeGo is what http.ProxyFromEnvironment does with only HTTPS_PROXY
// set (okta-aws-cli's transport, §0): loopback hosts go direct, https
// requests to any other host go through the proxy.
func proxyLikeGo(proxy string) func(*http.Request) (*url.URL, error) {
	u, _ := url.Parse(proxy)
	return func(r *http.Request) (*url.URL, error) {
		host := r.URL.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() || r.URL.Scheme != "https" {
			return nil, nil
		}
		return u, nil
	}
}

// oktaAWSCLIClient is an http.Client built as okta-aws-cli builds its one
// client for the org and STS: a plain transport, the proxy from the
// environment and the system roots, here the exported CA (SSL_CERT_FILE).
func (s *tlsServer) oktaAWSCLIClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: proxyLikeGo(s.main.ProxyURL),
		TLSClientConfig: &tls.Config{RootCAs: s.roots}, IdleConnTimeout: 30 * time.Second, ForceAttemptHTTP2: true}}
}

func TestTLSListenersAndTheHTTPSProxyMode(t *testing.T) {
	s := startTLS(t)
	c := s.oktaAWSCLIClient()

	t.Run("the org URL is https and its certificate verifies against the exported CA", func(t *testing.T) {
		if !strings.HasPrefix(s.main.OrgURL, "https://127.0.0.1:") {
			t.Fatalf("org URL %s, want https on loopback", s.main.OrgURL)
		}
		resp, err := c.Get(s.main.OrgURL + "/login")
		must(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<form") {
			t.Errorf("GET /login over TLS: %d\n%s", resp.StatusCode, body)
		}
	})

	t.Run("an unsigned STS query to sts.amazonaws.com through the proxy gets keyward's XML answer", func(t *testing.T) {
		form := url.Values{"Action": {"AssumeRoleWithSAML"}, "Version": {"2011-06-15"},
			"RoleArn": {"arn:aws:iam::123456789012:role/Nobody"}, "PrincipalArn": {"arn:aws:iam::123456789012:saml-provider/Nobody"},
			"SAMLAssertion": {"bm90IGEgU0FNTCByZXNwb25zZQ=="}}
		resp, err := c.PostForm("https://sts.amazonaws.com/", form)
		must(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`) ||
			resp.Header.Get("X-Amzn-Requestid") == "" {
			t.Errorf("STS through the proxy: %d %v\n%s", resp.StatusCode, resp.Header, body)
		}
	})

	t.Run("a signed call from aws-sdk-go-v2 to its default STS host verifies through the proxy", func(t *testing.T) {
		cfg := s.adminConfig()
		cfg.BaseEndpoint, cfg.HTTPClient = nil, c
		out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		must(t, err)
		if !strings.HasSuffix(aws.ToString(out.Arn), ":root") {
			t.Errorf("GetCallerIdentity through the proxy answered %s, want the management account's root", aws.ToString(out.Arn))
		}
	})

	t.Run("the AWS endpoint itself is https with a certificate from the CA", func(t *testing.T) {
		cfg := s.adminConfig()
		cfg.HTTPClient = c
		if !strings.HasPrefix(s.url, "https://") {
			t.Fatalf("AWS endpoint %s, want https", s.url)
		}
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		must(t, err)
	})

	t.Run("the AWS endpoint presents an AWS host's certificate to a client that asks for that host", func(t *testing.T) {
		for _, host := range []string{"sts.amazonaws.com", "oidc.eu-west-1.amazonaws.com"} {
			conn, err := tls.Dial("tcp", s.main.Addr(), &tls.Config{ServerName: host, RootCAs: s.roots})
			if err != nil {
				t.Errorf("TLS to the AWS endpoint as %s: %v", host, err)
				continue
			}
			conn.Close()
		}
		if conn, err := tls.Dial("tcp", s.main.Addr(), &tls.Config{ServerName: "example.com", RootCAs: s.roots}); err == nil {
			conn.Close()
			t.Error("the AWS endpoint presented a certificate valid for example.com")
		}
	})

	t.Run("the proxy refuses a CONNECT to a host keyward does not serve", func(t *testing.T) {
		_, err := c.Get("https://example.com/")
		if err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("GET https://example.com/ through the proxy: %v, want the proxy's 403", err)
		}
	})
}

// proxiedCLI is the real AWS CLI with no endpoint rule sets and no
// --endpoint-url: it dials the real AWS host names, and only HTTPS_PROXY
// and AWS_CA_BUNDLE bring it to keyward.
func (s *tlsServer) proxiedCLI(t *testing.T) *awsCLI {
	t.Helper()
	requireTool(t, awsCLIPath, "apt-get install awscli")
	home := t.TempDir()
	return &awsCLI{home: home, env: []string{
		"HOME=" + home, "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
		"AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(s.dataDir, app.BootstrapCredentialsFile),
		"AWS_PROFILE=" + app.AdminProfile, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true",
		"HTTPS_PROXY=" + s.main.ProxyURL, "AWS_CA_BUNDLE=" + s.caFile,
	}}
}

func TestTheAWSCLIWithOnlyHTTPSProxyAndACABundle(t *testing.T) {
	s := startTLS(t)
	c := s.proxiedCLI(t)
	var id struct{ Account, Arn string }
	must(t, json.Unmarshal([]byte(c.mustRun(t, "sts", "get-caller-identity", "--output", "json")), &id))
	if !strings.HasSuffix(id.Arn, ":root") {
		t.Errorf("aws sts get-caller-identity answered %+v, want the management account's root", id)
	}
	var roles struct{ Roles []struct{ RoleName string } }
	must(t, json.Unmarshal([]byte(c.mustRun(t, "iam", "list-roles", "--output", "json")), &roles))
	if roles.Roles == nil {
		t.Errorf("aws iam list-roles answered no Roles list")
	}
}

func TestTheHTTPSProxyModeIsNoOpenProxy(t *testing.T) {
	s := startTLS(t)
	connect := func(target string) string { return "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n" }
	tests := []struct{ name, head, want string }{
		{"a CONNECT to example.com is forbidden", connect("example.com:443"), "403"},
		{"a CONNECT to the metadata address is forbidden", connect("169.254.169.254:80"), "403"},
		{"a CONNECT to keyward's own AWS port is forbidden", connect(s.main.Addr()), "403"},
		{"a CONNECT to sts.amazonaws.com on port 80 is forbidden", connect("sts.amazonaws.com:80"), "403"},
		{"a CONNECT with no port is a bad request", connect("sts.amazonaws.com"), "400"},
		{"a plain-HTTP proxy request is not allowed", "GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n", "405"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.DialTimeout("tcp", s.main.ProxyAddr(), 5*time.Second)
			must(t, err)
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
			_, err = io.WriteString(conn, tt.head)
			must(t, err)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			must(t, err)
			resp.Body.Close()
			if got := strconv.Itoa(resp.StatusCode); got != tt.want {
				t.Errorf("the proxy answered %s, want %s", got, tt.want)
			}
		})
	}
}

// TestAWSCLISSOLoginThroughTheProxy runs `aws sso login` and an SSO
// profile's call with the CLI reaching SSO-OIDC, the portal API and
// regional STS only at their real host names, as aws-vault and granted
// do. The AWS endpoint itself stays plain HTTP for the person's browser.
func TestAWSCLISSOLoginThroughTheProxy(t *testing.T) {
	s := startTLS(t, func(c *config.Config) { c.AWS.TLS = config.TLS{} })
	c := s.proxiedCLI(t)
	st := s.setUpStory()
	c.writeDevProfile(t, s.server, cliStory{AccountID: st.AccountID})
	c.ssoLogin(t, s.server, "dev")
	if arn := c.callerARN(t, cliStory{AccountID: st.AccountID}); !strings.Contains(arn, ":assumed-role/AWSReservedSSO_DevOps_") {
		t.Errorf("get-caller-identity through the proxy answered %s, want the DevOps SSO role", arn)
	}
}
