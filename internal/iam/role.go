package iam

import (
	"regexp"
	"strconv"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// Role is an IAM role an account's administrators create: who may assume
// it (TrustPolicy) and, through its inline and attached policies, what its
// sessions may do.
type Role struct {
	AccountID   string
	ID          string // AROA...
	Name        string
	Path        string // "/" by default
	TrustPolicy string // the assume-role policy document, as given
	Description string
	// MaxSessionDuration is in seconds, MinRoleSession to MaxRoleSession.
	MaxSessionDuration int
	// PermissionsBoundary is a managed policy's ARN, or empty.
	PermissionsBoundary string
	Tags                []Tag
	CreatedAt           time.Time
	// LastUsed is when a session last used the role (zero: never), in
	// LastUsedRegion.
	LastUsed       time.Time
	LastUsedRegion string
}

// Role and policy limits, as IAM enforces them.
const (
	MaxRoleNameLen        = 64
	MaxPolicyNameLen      = 128
	MaxPathLen            = 512
	MaxDescriptionLen     = 1000
	MinRoleSession        = 3600
	MaxRoleSession        = 43200
	DefaultRoleSession    = 3600
	MaxPolicyDocumentSize = 131072
)

var (
	nameRe       = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathRe       = regexp.MustCompile(`^(/|/[\x21-\x7F]+/)$`)
	policyPathRe = regexp.MustCompile(`^(/[A-Za-z0-9.,+@=_-]+)*/$`)
	roleDescRe   = regexp.MustCompile(`^[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*$`)
	documentRe   = regexp.MustCompile(`^[\t\n\r\x20-\x{FF}]+$`)
)

// ARN returns the role's ARN.
func (r Role) ARN() string { return RoleARN(r.AccountID, r.Path, r.Name) }

// Validate checks the role as CreateRole does: name, path, description,
// session duration, tags and the trust policy (its grammar and size).
func (r Role) Validate() error {
	for _, err := range []error{
		ValidateName("roleName", r.Name, MaxRoleNameLen),
		ValidatePath("path", r.Path),
		ValidateRoleDescription(r.Description),
		ValidateSessionDuration(r.MaxSessionDuration),
		ValidateTags("tags", r.Tags),
		ValidateTrustPolicy(r.TrustPolicy),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// ValidateName checks a role or policy name: 1 to max of [\w+=,.@-].
func ValidateName(field, name string, max int) error {
	switch {
	case name == "":
		return Invalid(field, name, "Member must have length greater than or equal to 1")
	case len(name) > max:
		return Invalid(field, name, "Member must have length less than or equal to "+strconv.Itoa(max))
	case !nameRe.MatchString(name):
		return Invalid(field, name, `Member must satisfy regular expression pattern: [\w+=,.@-]+`)
	}
	return nil
}

// ValidatePath checks a path: "/" or /.../ of printable ASCII, at most
// MaxPathLen.
func ValidatePath(field, path string) error {
	switch {
	case len(path) > MaxPathLen:
		return Invalid(field, path, "Member must have length less than or equal to 512")
	case !pathRe.MatchString(path):
		return Invalid(field, path, `Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007F]+\u002F)`)
	}
	return nil
}

// ValidateRoleDescription checks a role's description: at most
// MaxDescriptionLen letters, marks, spaces, symbols, digits and
// punctuation (no control characters).
func ValidateRoleDescription(d string) error {
	if err := ValidateDescription("description", d); err != nil {
		return err
	}
	if !roleDescRe.MatchString(d) {
		return Invalid("description", d, `Member must satisfy regular expression pattern: [\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*`)
	}
	return nil
}

// ValidateDescription checks a description's length (a policy's has no
// other rule).
func ValidateDescription(field, d string) error {
	if len([]rune(d)) > MaxDescriptionLen {
		return Invalid(field, d, "Member must have length less than or equal to 1000")
	}
	return nil
}

// ValidatePolicyPath checks a managed policy's path, which IAM restricts
// further than a role's: /, or segments of [A-Za-z0-9.,+@=_-] each
// followed by a slash.
func ValidatePolicyPath(path string) error {
	if err := ValidatePath("path", path); err != nil {
		return err
	}
	if !policyPathRe.MatchString(path) {
		return Invalid("path", path, `Member must satisfy regular expression pattern: ((/[A-Za-z0-9\.,\+@=_-]+)*)/`)
	}
	return nil
}

// ValidateSessionDuration checks a role's MaxSessionDuration in seconds.
func ValidateSessionDuration(secs int) error {
	v := strconv.Itoa(secs)
	switch {
	case secs < MinRoleSession:
		return Invalid("maxSessionDuration", v, "Member must have value greater than or equal to 3600")
	case secs > MaxRoleSession:
		return Invalid("maxSessionDuration", v, "Member must have value less than or equal to 43200")
	}
	return nil
}

// ValidateTrustPolicy checks a role's trust policy: a document of at most
// MaxTrustPolicySize characters (not counting white space, as IAM counts)
// that parses as a trust policy.
func ValidateTrustPolicy(doc string) error {
	if err := checkDocument("assumeRolePolicyDocument", doc); err != nil {
		return err
	}
	if PolicySize([]byte(doc)) > MaxTrustPolicySize {
		return limitExceeded("Cannot exceed quota for ACLSizePerRole: %d", MaxTrustPolicySize)
	}
	_, err := ParseTrustPolicy([]byte(doc))
	return Malformed(err)
}

// ValidateIdentityPolicy checks a permissions policy document (inline or a
// managed policy's version) for grammar; callers check its size against
// their own limit with PolicySize.
func ValidateIdentityPolicy(field, doc string) error {
	if err := checkDocument(field, doc); err != nil {
		return err
	}
	_, err := ParseIdentityPolicy([]byte(doc))
	return Malformed(err)
}

func checkDocument(field, doc string) error {
	switch {
	case doc == "":
		return Invalid(field, doc, "Member must have length greater than or equal to 1")
	case len(doc) > MaxPolicyDocumentSize:
		return Invalid(field, doc, "Member must have length less than or equal to 131072")
	case !documentRe.MatchString(doc):
		return Invalid(field, doc, `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`)
	}
	return nil
}

// Malformed turns a policy parse error into IAM's MalformedPolicyDocument.
func Malformed(err error) error {
	if err == nil {
		return nil
	}
	if pe, ok := err.(*PolicyError); ok {
		return errs.E(errs.Invalid, "%s", pe.Reason).WithCode("MalformedPolicyDocument")
	}
	return errs.E(errs.Invalid, "Syntax errors in policy.").WithCode("MalformedPolicyDocument")
}

func limitExceeded(format string, args ...any) error {
	return errs.E(errs.Invalid, format, args...).WithCode("LimitExceeded")
}
