package sts

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/iam"
)

// AWS's SAML attribute names (aws-wire.md §4.1). Names are case-sensitive.
const (
	AttrRole              = "https://aws.amazon.com/SAML/Attributes/Role"
	AttrRoleSessionName   = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	AttrSessionDuration   = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
	AttrPrincipalTag      = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
	AttrTransitiveTagKeys = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys"
	AttrSourceIdentity    = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
)

// maxRolePairs bounds the Role attribute's values.
const maxRolePairs = 100

var samlSessionNameRe = regexp.MustCompile(`^[a-zA-Z_0-9+=,.@-]{2,64}$`)

// RolePair is one value of the Role attribute: a role and the SAML
// provider through which it may be assumed.
type RolePair struct {
	RoleARN, ProviderARN string
}

// SAMLAssertion is a verified account-federation assertion and what its
// AWS attributes say.
type SAMLAssertion struct {
	samlsp.Assertion
	// Provider is the IAM SAML provider whose certificate verified it.
	Provider iam.SAMLProvider
	// Roles are the Role attribute's pairs, in order.
	Roles       []RolePair
	SessionName string
	// SessionDuration is the attribute in seconds, 0 when absent.
	SessionDuration   int
	Tags              []iam.Tag
	TransitiveTagKeys []string
	SourceIdentity    string
}

// Offers reports whether the assertion lists pair among its roles.
func (a SAMLAssertion) Offers(pair RolePair) bool {
	for _, r := range a.Roles {
		if r == pair {
			return true
		}
	}
	return false
}

// readAttributes reads AWS's attributes, refusing what AWS refuses.
func (a *SAMLAssertion) readAttributes() error {
	attrs := a.Attributes
	names := attrs[AttrRoleSessionName]
	switch {
	case len(names) == 0:
		return invalidToken("RoleSessionName is required in AuthnResponse")
	case len(names) != 1 || !samlSessionNameRe.MatchString(names[0]):
		return invalidToken("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")
	}
	a.SessionName = names[0]
	if err := a.readRoles(attrs[AttrRole]); err != nil {
		return err
	}
	if d := attrs[AttrSessionDuration]; len(d) > 0 {
		n, err := strconv.Atoi(d[0])
		if err != nil || len(d) != 1 || n < minDuration || n > maxDuration {
			return invalidToken("SessionDuration in AuthnResponse must be a number of seconds between 900 and 43200")
		}
		a.SessionDuration = n
	}
	if err := a.readTags(); err != nil {
		return err
	}
	if si := attrs[AttrSourceIdentity]; len(si) > 0 {
		if len(si) != 1 || !sourceIdentityRe.MatchString(si[0]) || strings.HasPrefix(strings.ToLower(si[0]), "aws:") {
			return invalidToken("SourceIdentity in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64} and not start with aws:")
		}
		a.SourceIdentity = si[0]
	}
	return nil
}

// readRoles reads "roleArn,providerArn" values, in either order.
func (a *SAMLAssertion) readRoles(values []string) error {
	if len(values) > maxRolePairs {
		return invalidToken("The Role attribute in AuthnResponse has more than %d values", maxRolePairs)
	}
	for _, v := range values {
		first, second, ok := strings.Cut(v, ",")
		first, second = strings.TrimSpace(first), strings.TrimSpace(second)
		if strings.Contains(first, ":saml-provider/") {
			first, second = second, first
		}
		if _, _, isRole := iam.ParseRoleARN(first); !ok || !isRole || !strings.Contains(second, ":saml-provider/") {
			return invalidToken("Each value of the Role attribute in AuthnResponse must be \"<role ARN>,<SAML provider ARN>\"; %.200q is not", v)
		}
		a.Roles = append(a.Roles, RolePair{RoleARN: first, ProviderARN: second})
	}
	return nil
}

// readTags reads PrincipalTag:<Key> attributes (first value each) and the
// transitive keys, within STS's session tag limits.
func (a *SAMLAssertion) readTags() error {
	seen := map[string]bool{}
	for name, values := range a.Attributes {
		key, ok := strings.CutPrefix(name, AttrPrincipalTag)
		if !ok || len(values) == 0 {
			continue
		}
		t := iam.Tag{Key: key, Value: values[0]}
		if iam.ValidateTag("tags", t) != nil || strings.HasPrefix(strings.ToLower(key), "aws:") || seen[strings.ToLower(key)] {
			return invalidToken("The session tag attribute %.200q in AuthnResponse needs a unique key of 1 to 128 characters not starting with aws: and a value of at most 256, of letters, digits, spaces and _.:/=+-@", name)
		}
		seen[strings.ToLower(key)] = true
		a.Tags = append(a.Tags, t)
	}
	slices.SortFunc(a.Tags, func(x, y iam.Tag) int { return strings.Compare(x.Key, y.Key) })
	if len(a.Tags) > maxSessionTags {
		return invalidToken("The AuthnResponse carries more than %d session tags", maxSessionTags)
	}
	for _, k := range a.Attributes[AttrTransitiveTagKeys] {
		if !seen[strings.ToLower(k)] {
			return invalidToken("The transitive tag key %.128q in AuthnResponse is not among its session tags", k)
		}
		a.TransitiveTagKeys = append(a.TransitiveTagKeys, k)
	}
	return nil
}
