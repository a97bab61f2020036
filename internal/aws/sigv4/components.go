package sigv4

import (
	"strings"
	"time"
)

var componentNames = []string{"Credential", "SignedHeaders", "Signature"}

// components splits "Credential=..., SignedHeaders=..., Signature=..." into
// its three values, refusing unknown, duplicate and missing components.
func components(s string) (map[string]string, error) {
	parts := make(map[string]string, len(componentNames))
	for _, p := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.Trim(p, " "), "=")
		if !ok {
			return nil, incomplete("Authorization header component %s is not of the form 'Name=value'.", quote(p))
		}
		if !isComponent(name) {
			return nil, incomplete("Authorization header has an unknown component %s.", quote(name))
		}
		if _, dup := parts[name]; dup {
			return nil, incomplete("Authorization header has more than one '%s' component.", name)
		}
		parts[name] = value
	}
	for _, name := range componentNames {
		if _, ok := parts[name]; !ok {
			return nil, incomplete("Authorization header requires '%s' parameter.", name)
		}
	}
	return parts, nil
}

func isComponent(name string) bool {
	for _, n := range componentNames {
		if n == name {
			return true
		}
	}
	return false
}

// setCredential parses "AKID/YYYYMMDD/region/service/aws4_request".
func (a *Authorization) setCredential(c string) error {
	f := strings.Split(c, "/")
	if len(f) != 5 {
		return incomplete("Credential %s must be 'access-key-id/YYYYMMDD/region/service/%s'.", quote(c), Terminator)
	}
	a.AccessKeyID, a.Date, a.Region, a.Service, a.Terminator = f[0], f[1], f[2], f[3], f[4]
	switch {
	case !validRunes(a.AccessKeyID, 128, isAlnum):
		return incomplete("Credential has a malformed access key id %s.", quote(a.AccessKeyID))
	case !validDate(a.Date):
		return incomplete("Credential date %s is not a date in the form YYYYMMDD.", quote(a.Date))
	case !validRunes(a.Region, 64, isScopeByte):
		return incomplete("Credential has a malformed region %s.", quote(a.Region))
	case !validRunes(a.Service, 64, isScopeByte):
		return incomplete("Credential has a malformed service %s.", quote(a.Service))
	case a.Terminator != Terminator:
		return incomplete("Credential should be scoped with a valid terminator: '%s', not %s.", Terminator, quote(a.Terminator))
	}
	return nil
}

// setSignedHeaders parses "host;x-amz-date": lowercase names, sorted, unique,
// including host — the form every SigV4 signer produces.
func (a *Authorization) setSignedHeaders(s string) error {
	names := strings.Split(s, ";")
	for i, n := range names {
		if !validRunes(n, 256, isHeaderByte) {
			return incomplete("SignedHeaders has a malformed header name %s; names must be lowercase.", quote(n))
		}
		if i > 0 && names[i-1] >= n {
			return incomplete("SignedHeaders must be sorted and unique: %s comes after %s.", quote(n), quote(names[i-1]))
		}
	}
	a.SignedHeaders = names
	if !a.Signs("host") {
		return incomplete("SignedHeaders must include 'host'.")
	}
	return nil
}

// setSignature accepts exactly 64 lowercase hex digits (a hex HMAC-SHA256).
func (a *Authorization) setSignature(s string) error {
	if len(s) != 64 || !validRunes(s, 64, isLowerHex) {
		return incomplete("Signature must be 64 lowercase hexadecimal digits, got %s.", quote(s))
	}
	a.Signature = s
	return nil
}

func validDate(s string) bool {
	t, err := time.Parse(shortDateFormat, s)
	return err == nil && t.Format(shortDateFormat) == s
}

// validRunes reports whether s is 1 to max bytes, each accepted by ok.
func validRunes(s string, max int, ok func(byte) bool) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isScopeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-'
}

func isLowerHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f'
}

// isHeaderByte accepts the RFC 9110 token characters, minus uppercase.
func isHeaderByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
