// Package awsenv builds the aws-sdk-go-v2 configuration the credential
// CLI's AWS calls use: a region, anonymous or given credentials, and the
// endpoint a person chose through the standard environment variables.
//
// It owns: reading AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL (and
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) the way the AWS SDKs do, so the CLI
// reaches the same endpoint as every other AWS tool in that shell.
//
// It also owns the one HTTP client every credential call uses, and its
// trace (--verbose) with secrets redacted.
//
// It does not own: shared config files (cred/awsconfig reads those; the
// CLI never lets a profile's settings leak into its own protocol calls),
// proxies and CA bundles (net/http and crypto/x509 read HTTPS_PROXY and
// SSL_CERT_FILE themselves).
package awsenv

import (
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Config returns the configuration for calls to service (its SDK service
// id, e.g. "SSO OIDC", "SSO", "STS") in region. creds may be nil for the
// unsigned APIs (SSO-OIDC and the portal).
func Config(service, region string, creds aws.CredentialsProvider) aws.Config {
	if creds == nil {
		creds = aws.AnonymousCredentials{}
	}
	cfg := aws.Config{Region: region, Credentials: creds, HTTPClient: httpClient,
		RetryMaxAttempts: 3}
	if u := Endpoint(service); u != "" {
		cfg.BaseEndpoint = aws.String(u)
	}
	return cfg
}

// Endpoint is the endpoint URL the environment sets for service, or "".
// The service-specific variable wins over AWS_ENDPOINT_URL, as in the SDKs.
func Endpoint(service string) string {
	if strings.EqualFold(os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return ""
	}
	if u := os.Getenv("AWS_ENDPOINT_URL_" + envName(service)); u != "" {
		return u
	}
	return os.Getenv("AWS_ENDPOINT_URL")
}

// envName is a service id as its variable suffix: "SSO OIDC" → "SSO_OIDC".
func envName(service string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "_", "-", "_").Replace(service))
}

// httpClient bounds every call: a hung server must not hang an IDE's
// credential_process forever.
var httpClient = &http.Client{Timeout: 30 * time.Second, Transport: http.DefaultTransport}
