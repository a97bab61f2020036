package iam

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// SAMLProvider is an account's trust in a SAML identity provider, from the
// provider's metadata document. Parsing the XML is the API layer's job; the
// domain keeps the document and what was read from it.
type SAMLProvider struct {
	AccountID string
	Name      string
	// Metadata is the document as uploaded.
	Metadata string
	// EntityID and Certificates (base64 DER) were read from Metadata.
	EntityID     string
	Certificates []string
	CreatedAt    time.Time
	ValidUntil   time.Time
	Tags         []Tag
}

// ARN is arn:aws:iam::ACCOUNT:saml-provider/NAME.
func (p SAMLProvider) ARN() string { return SAMLProviderARN(p.AccountID, p.Name) }

// SAMLProviderARN is the ARN of the account's SAML provider called name.
func SAMLProviderARN(accountID, name string) string {
	return "arn:" + Partition + ":iam::" + accountID + ":saml-provider/" + name
}

// Limits of SAML providers, as AWS documents them.
const (
	MaxSAMLProviderName = 128
	MinSAMLMetadataLen  = 1000
	MaxSAMLMetadataLen  = 10000000
)

var samlNameRe = regexp.MustCompile(`^[\w._-]+$`)

// ValidSAMLProviderName checks a provider name: 1 to 128 of letters, digits and ._-.
func ValidSAMLProviderName(name string) error {
	if name == "" || len(name) > MaxSAMLProviderName || !samlNameRe.MatchString(name) {
		return Invalid("name", name, `Member must satisfy regular expression pattern: [\w._-]+ and have length between 1 and 128`)
	}
	return nil
}

// OIDCProvider is an account's trust in an OpenID Connect issuer.
type OIDCProvider struct {
	AccountID string
	// URL is the issuer, https://host[/path], stored without the scheme
	// or a trailing slash, as AWS reports it ("host/path").
	URL         string
	ClientIDs   []string
	Thumbprints []string
	CreatedAt   time.Time
	Tags        []Tag
}

// ARN is arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH.
func (p OIDCProvider) ARN() string { return OIDCProviderARN(p.AccountID, p.URL) }

// OIDCProviderARN is the ARN of the provider for an issuer as
// NormalizeOIDCURL returns it.
func OIDCProviderARN(accountID, issuer string) string {
	return "arn:" + Partition + ":iam::" + accountID + ":oidc-provider/" + issuer
}

// Limits of OIDC providers, as AWS enforces them.
const (
	MaxOIDCURLLen    = 255
	MaxClientIDs     = 100
	MaxClientIDLen   = 255
	MaxThumbprints   = 5
	ThumbprintHexLen = 40
)

// NormalizeOIDCURL checks an issuer URL (https, a host, an optional path, no
// query, fragment, port or user) and returns it as AWS keeps it: host and
// path, lower-case host, no trailing slash.
func NormalizeOIDCURL(raw string) (string, error) {
	bad := func(why string) (string, error) {
		return "", errs.E(errs.Invalid, "The URL %.255q is not a valid OpenID Connect issuer: %s", raw, why).WithCode("InvalidInput")
	}
	if raw == "" || len(raw) > MaxOIDCURLLen {
		return bad("it must be 1 to 255 characters")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return bad("it does not parse")
	case !strings.EqualFold(u.Scheme, "https"):
		return bad("it must start with https://")
	case u.Host == "" || u.User != nil || u.Port() != "":
		return bad("it must name a host, with no user or port")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.Contains(raw, "#"):
		return bad("it must have no query or fragment")
	case strings.ContainsAny(u.Path, " \t\r\n") || strings.Contains(u.Path, "//"):
		return bad("its path must have no spaces or empty segments")
	}
	return strings.ToLower(u.Host) + strings.TrimSuffix(u.Path, "/"), nil
}

// ValidClientIDs checks a provider's audiences: at most 100, each 1 to 255
// characters, none twice.
func ValidClientIDs(ids []string) error {
	if len(ids) > MaxClientIDs {
		return errs.E(errs.Invalid, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", MaxClientIDs).WithCode("LimitExceeded")
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || len(id) > MaxClientIDLen {
			return errs.E(errs.Invalid, "A client ID must be 1 to %d characters", MaxClientIDLen)
		}
		if seen[id] {
			return errs.E(errs.Invalid, "The client ID %.255q is listed twice", id).WithCode("InvalidInput")
		}
		seen[id] = true
	}
	return nil
}

var thumbprintRe = regexp.MustCompile(`^[0-9A-Fa-f]{40}$`)

// ValidThumbprints checks certificate thumbprints: at most 5, each 40 hex
// digits (a SHA-1).
func ValidThumbprints(prints []string) error {
	if len(prints) > MaxThumbprints {
		return errs.E(errs.Invalid, "Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: %d", MaxThumbprints).WithCode("LimitExceeded")
	}
	for _, p := range prints {
		if !thumbprintRe.MatchString(p) {
			return errs.E(errs.Invalid, "The thumbprint %.64q must be 40 hexadecimal characters (a SHA-1 of the certificate)", p).WithCode("InvalidInput")
		}
	}
	return nil
}

var aliasRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9]|-[a-z0-9]){1,61}$`)

// ValidAccountAlias checks an alias: 3 to 63 lower-case letters, digits
// and single hyphens, starting and ending with a letter or digit. (It is
// AWS's ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$ without lookahead.)
func ValidAccountAlias(alias string) error {
	ok := len(alias) >= 3 && len(alias) <= 63 && aliasRe.MatchString(alias) && !strings.HasSuffix(alias, "-")
	if !ok {
		return Invalid("accountAlias", alias, `Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`)
	}
	return nil
}
