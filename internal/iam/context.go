package iam

import (
	"cmp"
	"strings"
)

// Condition keys keyward supplies in a request's context. Keys compare
// case-insensitively, the tag key after "PrincipalTag/", "RequestTag/" and
// "ResourceTag/" too (IAM tag keys are case-insensitive). The principal's
// keys (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalTag/…,
// aws:PrincipalType, aws:userid, aws:username, aws:PrincipalOrgID,
// aws:SourceIdentity) need not be set: Evaluate derives them from
// Request.Principal when the Context lacks them. Date keys
// (aws:CurrentTime, aws:TokenIssueTime) take RFC 3339 UTC times,
// aws:EpochTime and aws:MultiFactorAuthAge whole seconds, Bool keys "true"
// or "false", aws:SourceIp an IPv4 or IPv6 address.
const (
	KeyPrincipalARN           = "aws:PrincipalArn"
	KeyPrincipalAccount       = "aws:PrincipalAccount"
	KeyPrincipalTagPrefix     = "aws:PrincipalTag/"
	KeyPrincipalType          = "aws:PrincipalType"
	KeyUserID                 = "aws:userid"
	KeyUsername               = "aws:username"
	KeyRequestTagPrefix       = "aws:RequestTag/"
	KeyTagKeys                = "aws:TagKeys"
	KeyResourceTagPrefix      = "aws:ResourceTag/"
	KeySourceIP               = "aws:SourceIp"
	KeyCurrentTime            = "aws:CurrentTime"
	KeyEpochTime              = "aws:EpochTime"
	KeyMultiFactorAuthPresent = "aws:MultiFactorAuthPresent"
	KeyMultiFactorAuthAge     = "aws:MultiFactorAuthAge"
	KeyPrincipalOrgID         = "aws:PrincipalOrgID"
	KeySecureTransport        = "aws:SecureTransport"
	KeySourceIdentity         = "aws:SourceIdentity"
	KeyTokenIssueTime         = "aws:TokenIssueTime"
	KeySTSExternalID          = "sts:ExternalId"
	KeySTSRoleSessionName     = "sts:RoleSessionName"
	KeySTSSourceIdentity      = "sts:SourceIdentity"
	KeySTSTransitiveTagKeys   = "sts:TransitiveTagKeys"
	KeySAMLAud                = "saml:aud"
	KeySAMLSub                = "saml:sub"
	KeySAMLIss                = "saml:iss"
	KeySAMLSubType            = "saml:sub_type"
	KeySAMLNameQualifier      = "saml:namequalifier"
)

// OIDCKey is a web identity condition key: the OIDC provider's host (and
// path) as IAM names the provider, a colon and "sub", "aud" or "amr", e.g.
// OIDCKey("token.actions.githubusercontent.com", "sub").
func OIDCKey(providerHost, claim string) string { return providerHost + ":" + claim }

// Values of aws:PrincipalType.
const (
	PrincipalTypeAccount       = "Account"
	PrincipalTypeUser          = "User"
	PrincipalTypeFederatedUser = "FederatedUser"
	PrincipalTypeAssumedRole   = "AssumedRole"
	PrincipalTypeAnonymous     = "Anonymous"
)

// Context holds a request's condition keys and their values; a key may
// have several values (aws:TagKeys). Keys are case-insensitive. The zero
// Context is empty and ready to use.
type Context struct{ m map[string][]string }

// Set gives key its values, replacing any it had. A key set with no values
// is present but empty (a multi-valued key with an empty set).
func (c *Context) Set(key string, values ...string) {
	if c.m == nil {
		c.m = map[string][]string{}
	}
	c.m[asciiLower(key)] = values
}

// Get returns key's values and whether the key is present.
func (c Context) Get(key string) ([]string, bool) {
	if len(c.m) == 0 {
		return nil, false
	}
	return lookupFold(c.m, key)
}

// lookupFold looks up key, lowered, in a map keyed in lower case. It
// lowers into a stack buffer: m[string(bytes)] does not allocate.
func lookupFold[V any](m map[string]V, key string) (V, bool) {
	var buf [128]byte
	if len(key) > len(buf) {
		v, ok := m[asciiLower(key)]
		return v, ok
	}
	for i := 0; i < len(key); i++ {
		buf[i] = lower(key[i])
	}
	v, ok := m[string(buf[:len(key)])]
	return v, ok
}

// asciiLower lowers ASCII letters only: condition keys are ASCII, and
// Get lowers the same way without allocating.
func asciiLower(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = lower(b[i])
	}
	return string(b)
}

// Len is the number of keys set.
func (c Context) Len() int { return len(c.m) }

// principalKeys are the principal's condition keys, by lower-case key.
var principalKeys = map[string]int{}

func init() {
	for i, k := range []string{KeyPrincipalARN, KeyPrincipalAccount, KeyPrincipalType, KeyUserID, KeyUsername, KeyPrincipalOrgID, KeySourceIdentity} {
		principalKeys[asciiLower(k)] = i
	}
}

// principalKey derives a principal condition key from p; ok is false for
// keys that are not the principal's or that p does not have.
func principalKey(p *Principal, key string) ([]string, bool) {
	if n := len(KeyPrincipalTagPrefix); len(key) > n && strings.EqualFold(key[:n], KeyPrincipalTagPrefix) {
		for _, t := range p.Tags {
			if strings.EqualFold(t.Key, key[n:]) {
				return []string{t.Value}, true
			}
		}
		return nil, false
	}
	id, ok := lookupFold(principalKeys, key)
	if !ok {
		return nil, false
	}
	// In the order of principalKeys; a session's aws:PrincipalArn is its
	// role's ARN.
	v := [...]string{cmp.Or(p.RoleARN, p.ARN), p.Account, p.Type, p.UserID, p.Username, p.OrgID, p.SourceIdentity}[id]
	if v == "" {
		return nil, false
	}
	return []string{v}, true
}
