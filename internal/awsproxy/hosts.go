// Package awsproxy is keyward's HTTPS proxy mode: a plain-HTTP listener
// that accepts `CONNECT host:443` for the AWS host names keyward serves,
// terminates TLS itself with a certificate for that host, and hands the
// decrypted connection to the AWS side's HTTP server. Clients that cannot
// be pointed at another endpoint (okta-aws-cli, aws-vault, granted) reach
// keyward with HTTPS_PROXY and a CA bundle only. It never dials anything:
// every other host, port or request is refused, so it cannot become an
// open proxy. It owns the list of host names and the CONNECT handling; the
// certificates come from its caller (the local CA in keys).
package awsproxy

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// hostPatterns are the AWS host names keyward answers, "{region}" standing
// for one well-formed region name. Every family is routed by path on the
// AWS side's mux (POST / to the gateway, which tells STS, IAM and the JSON
// services apart by signing scope and X-Amz-Target; /token and
// /client/register to SSO-OIDC; /federation/credentials and /assignment/
// to the portal API; /federation and /saml to the console and SAML pages;
// /<tenant>/scim/v2 to SCIM), so no host needs a handler of its own.
var hostPatterns = []string{
	"sts.amazonaws.com",
	"sts.{region}.amazonaws.com",
	"iam.amazonaws.com",
	"organizations.us-east-1.amazonaws.com",
	"oidc.{region}.amazonaws.com",
	"portal.sso.{region}.amazonaws.com",
	"sso.{region}.amazonaws.com",
	"identitystore.{region}.amazonaws.com",
	"scim.{region}.amazonaws.com",
	"signin.aws.amazon.com",
	"{region}.signin.aws.amazon.com",
}

// regionPattern is the shape of AWS region names (us-east-1, us-gov-west-1).
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+){1,3}-[0-9]{1,2}$`)

// Serves reports whether host (a lower-case DNS name, as Target returns)
// is one of the AWS host names keyward answers.
func Serves(host string) bool {
	labels := strings.Split(host, ".")
	for _, p := range hostPatterns {
		if matches(strings.Split(p, "."), labels) {
			return true
		}
	}
	return false
}

func matches(pattern, labels []string) bool {
	if len(pattern) != len(labels) {
		return false
	}
	for i, p := range pattern {
		if p == "{region}" && !regionPattern.MatchString(labels[i]) || p != "{region}" && p != labels[i] {
			return false
		}
	}
	return true
}

// MaxTarget bounds a CONNECT target: the longest DNS name and a port.
const MaxTarget = 253 + len(":65535")

// Target parses a CONNECT request's target (RFC 9110's authority form,
// "host:port", nothing else) into its host, in lower case, and port. The error says
// what is malformed; whether the host is served is Serves's question.
func Target(target string) (host, port string, err error) {
	if len(target) > MaxTarget {
		return "", "", fmt.Errorf("the CONNECT target is longer than %d bytes", MaxTarget)
	}
	host, port, err = net.SplitHostPort(target)
	if err != nil || host == "" {
		return "", "", errors.New("the CONNECT target must be host:port, such as sts.amazonaws.com:443")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || port[0] == '0' {
		return "", "", fmt.Errorf("the CONNECT target's port %q is not a port number", port)
	}
	if net.ParseIP(host) == nil && !dnsName.MatchString(host) {
		return "", "", fmt.Errorf("the CONNECT target's host %q is not a DNS name (letters, digits, hyphens and dots) or an IP address", host)
	}
	return strings.ToLower(host), port, nil
}

// dnsName is an ASCII host name: no userinfo, escapes or non-ASCII
// letters, which lower-casing could turn into an AWS host's (İ into i).
var dnsName = regexp.MustCompile(`^[A-Za-z0-9.-]+$`)

// Allowed reports whether a parsed target is tunnelled: one of the host
// names Serves lists, on port 443. IP addresses never are.
func Allowed(host, port string) bool { return port == "443" && Serves(host) }
