package awsproxy_test

import (
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/awsproxy"
)

func TestWhichConnectTargetsAreTunnelled(t *testing.T) {
	tests := []struct {
		name, target string
		want         bool
	}{
		{"global STS is tunnelled", "sts.amazonaws.com:443", true},
		{"regional STS is tunnelled", "sts.eu-central-1.amazonaws.com:443", true},
		{"GovCloud-shaped regional STS is tunnelled", "sts.us-gov-west-1.amazonaws.com:443", true},
		{"global IAM is tunnelled", "iam.amazonaws.com:443", true},
		{"Organizations' global endpoint is tunnelled", "organizations.us-east-1.amazonaws.com:443", true},
		{"SSO-OIDC is tunnelled", "oidc.us-east-1.amazonaws.com:443", true},
		{"the SSO portal API is tunnelled", "portal.sso.eu-west-1.amazonaws.com:443", true},
		{"SSO Admin is tunnelled", "sso.ap-southeast-2.amazonaws.com:443", true},
		{"the identity store is tunnelled", "identitystore.us-east-1.amazonaws.com:443", true},
		{"SCIM is tunnelled", "scim.us-east-1.amazonaws.com:443", true},
		{"the console sign-in host is tunnelled", "signin.aws.amazon.com:443", true},
		{"a regional console sign-in host is tunnelled", "us-east-1.signin.aws.amazon.com:443", true},
		{"an upper-case host name is tunnelled as its lower-case self", "STS.AmazonAWS.com:443", true},

		{"port 80 is refused", "sts.amazonaws.com:80", false},
		{"port 8443 is refused", "sts.amazonaws.com:8443", false},
		{"another AWS service is refused", "s3.amazonaws.com:443", false},
		{"Organizations in another region is refused", "organizations.eu-west-1.amazonaws.com:443", false},
		{"a regional IAM host is refused", "iam.us-east-1.amazonaws.com:443", false},
		{"a malformed region is refused", "sts.useast1.amazonaws.com:443", false},
		{"a region with a three-digit number is refused", "sts.us-east-100.amazonaws.com:443", false},
		{"a region with a dot in it is refused", "oidc.us.east-1.amazonaws.com:443", false},
		{"an extra label in front is refused", "evil.sts.amazonaws.com:443", false},
		{"a look-alike suffix is refused", "sts.amazonaws.com.evil.example:443", false},
		{"a trailing dot is refused", "sts.amazonaws.com.:443", false},
		{"example.com is refused", "example.com:443", false},
		{"a loopback address is refused", "127.0.0.1:443", false},
		{"the metadata address is refused", "169.254.169.254:443", false},
		{"an IPv6 literal is refused", "[::1]:443", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, port, err := awsproxy.Target(tt.target)
			if err != nil {
				t.Fatalf("Target(%q): %v", tt.target, err)
			}
			if got := awsproxy.Allowed(host, port); got != tt.want {
				t.Errorf("Allowed(%q, %q) = %v, want %v", host, port, got, tt.want)
			}
		})
	}
}

func TestMalformedConnectTargetsAreErrors(t *testing.T) {
	tests := []struct{ name, target, wantErr string }{
		{"a target without a port is malformed", "sts.amazonaws.com", "host:port"},
		{"an empty host is malformed", ":443", "host:port"},
		{"a non-numeric port is malformed", "sts.amazonaws.com:https", "not a port number"},
		{"a port out of range is malformed", "sts.amazonaws.com:70000", "not a port number"},
		{"a zero-padded port is malformed", "sts.amazonaws.com:0443", "not a port number"},
		{"an over-long target is malformed", strings.Repeat("a", 300) + ":443", "longer than"},
		{"userinfo is malformed", "user@sts.amazonaws.com:443", "not a DNS name"},
		{"a path after the port is malformed", "sts.amazonaws.com:443/x", "not a port number"},
		{"a path alone is malformed", "/x", "host:port"},
		{"a non-ASCII look-alike of an AWS host is malformed", "\u0130am.amazonaws.com:443", "not a DNS name"},
		{"the Kelvin sign is not a k", "\u212ams.us-east-1.amazonaws.com:443", "not a DNS name"},
		{"a percent-escape is malformed", "sts%2eamazonaws.com:443", "not a DNS name"},
		{"an underscore is malformed", "sts_x.amazonaws.com:443", "not a DNS name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := awsproxy.Target(tt.target)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Target(%q) = %v, want an error containing %q", tt.target, err, tt.wantErr)
			}
		})
	}
}

func FuzzTarget(f *testing.F) {
	for _, s := range []string{"sts.amazonaws.com:443", "oidc.us-east-1.amazonaws.com:443", "[::1]:443", "a:b:c", ":443",
		"STS.AMAZONAWS.COM:443", "us-east-1.signin.aws.amazon.com:443", "user@sts.amazonaws.com:443", "\u0130am.amazonaws.com:443"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		host, port, err := awsproxy.Target(target)
		if err != nil {
			return
		}
		if len(host) > awsproxy.MaxTarget || host != strings.ToLower(host) || strings.ContainsFunc(host, func(r rune) bool { return r > 0x7f }) {
			t.Fatalf("Target(%q) host %q is too long, not lower case or not ASCII", target, host)
		}
		if !awsproxy.Allowed(host, port) {
			return
		}
		if port != "443" || strings.ContainsAny(host, ":[]/@% ") || !strings.HasSuffix(host, ".amazonaws.com") &&
			!strings.HasSuffix(host, "signin.aws.amazon.com") {
			t.Fatalf("Target(%q) = %q, %q is allowed but is not an AWS host on 443", target, host, port)
		}
	})
}
