package iam

import "strings"

// Condition keys keyward supplies in a request's context. Keys compare
// case-insensitively, the tag key after "PrincipalTag/", "RequestTag/" and
// "ResourceTag/" too (IAM tag keys are case-insensitive). The principal's
// keys (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalTag/…,
// aws:PrincipalType, aws:userid, aws:username, aws:PrincipalOrgID,
// aws:SourceIdentity) need not be set: Evaluate derives them from
// Request.Principal when the Context lacks them.
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
	// Lower the key in a stack buffer: m[string(bytes)] does not allocate.
	var buf [128]byte
	if len(key) > len(buf) {
		v, ok := c.m[asciiLower(key)]
		return v, ok
	}
	for i := 0; i < len(key); i++ {
		buf[i] = lower(key[i])
	}
	v, ok := c.m[string(buf[:len(key)])]
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

// principalKey derives a principal condition key from p; ok is false for
// keys that are not the principal's or that p does not have.
func principalKey(p *Principal, key string) ([]string, bool) {
	one := func(v string) ([]string, bool) { return []string{v}, v != "" }
	switch {
	case strings.EqualFold(key, KeyPrincipalARN):
		if p.RoleARN != "" {
			return one(p.RoleARN)
		}
		return one(p.ARN)
	case strings.EqualFold(key, KeyPrincipalAccount):
		return one(p.Account)
	case strings.EqualFold(key, KeyPrincipalType):
		return one(p.Type)
	case strings.EqualFold(key, KeyUserID):
		return one(p.UserID)
	case strings.EqualFold(key, KeyUsername):
		return one(p.Username)
	case strings.EqualFold(key, KeyPrincipalOrgID):
		return one(p.OrgID)
	case strings.EqualFold(key, KeySourceIdentity):
		return one(p.SourceIdentity)
	case len(key) > len(KeyPrincipalTagPrefix) && strings.EqualFold(key[:len(KeyPrincipalTagPrefix)], KeyPrincipalTagPrefix):
		name := key[len(KeyPrincipalTagPrefix):]
		for _, t := range p.Tags {
			if strings.EqualFold(t.Key, name) {
				return []string{t.Value}, true
			}
		}
	}
	return nil, false
}
