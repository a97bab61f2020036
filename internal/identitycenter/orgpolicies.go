package identitycenter

import (
	"errors"
	"io"
	"time"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// SCP is the service control policy type, the one policy type keyward
// stores and returns for evaluation.
const SCP = "SERVICE_CONTROL_POLICY"

// PolicyTypes are every policy type Organizations' model names; keyward
// supports only SCP and refuses the others by name.
var PolicyTypes = []string{SCP, "RESOURCE_CONTROL_POLICY", "TAG_POLICY", "BACKUP_POLICY",
	"AISERVICES_OPT_OUT_POLICY", "CHATBOT_POLICY", "DECLARATIVE_POLICY_EC2", "SECURITYHUB_POLICY",
	"INSPECTOR_POLICY", "UPGRADE_ROLLOUT_POLICY", "BEDROCK_POLICY", "S3_POLICY",
	"NETWORK_SECURITY_DIRECTOR_POLICY"}

// OrgPolicy is an Organizations policy: a service control policy a root,
// OU or account can have attached.
type OrgPolicy struct {
	ID          string // p-<8 lowercase letters or digits>; p-FullAWSAccess
	Type        string
	Name        string
	Description string
	Content     string
	AWSManaged  bool
	CreatedAt   time.Time
}

// FullAWSAccessID is the id of the AWS managed SCP that allows everything.
// Organizations attaches it to the root, every OU and every account when
// SCPs are enabled, and to every OU and account created while they are.
const FullAWSAccessID = "p-FullAWSAccess"

// FullAWSAccess is the AWS managed policy FullAWSAccess. Its content is
// what AWS serves for it.
var FullAWSAccess = OrgPolicy{
	ID: FullAWSAccessID, Type: SCP, Name: "FullAWSAccess", AWSManaged: true,
	Description: "Allows access to every operation",
	Content:     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
}

// SCP limits (Organizations quotas).
const (
	// MaxSCPSize is the largest SCP document, in characters (white space
	// included).
	MaxSCPSize = 5120
	// MaxSCPsPerTarget is how many SCPs one root, OU or account may have
	// attached.
	MaxSCPsPerTarget = 5
	// MaxPoliciesPerType is how many policies of one type an organization
	// may hold.
	MaxPoliciesPerType = 1000
)

// NewOrgPolicyID returns "p-" and eight random lowercase letters and digits.
func NewOrgPolicyID(r io.Reader) string {
	return "p-" + randomFrom(r, "abcdefghijklmnopqrstuvwxyz0123456789", 8)
}

// ValidateOrgPolicyText checks a policy's name (1 to 128 characters) and
// description (at most 512).
func ValidateOrgPolicyText(name, description string) error {
	if n := utf8.RuneCountInString(name); n < 1 || n > 128 {
		return errs.E(errs.Invalid, "Name must be 1 to 128 characters").WithReason(lengthReason(n, 1))
	}
	if utf8.RuneCountInString(description) > 512 {
		return errs.E(errs.Invalid, "Description must be at most 512 characters").WithReason("MAX_LENGTH_EXCEEDED")
	}
	return nil
}

// ErrSCPTooLarge is the refusal of a document over MaxSCPSize.
var ErrSCPTooLarge = errs.E(errs.Invalid,
	"The policy content is larger than the maximum size of 5120 characters for a service control policy.").
	WithCode("ConstraintViolationException").WithReason("POLICY_CONTENT_LIMIT_EXCEEDED")

// ValidateSCP checks a service control policy document as Organizations
// does: at most MaxSCPSize characters, and an identity-style policy (no
// Principal or NotPrincipal; every statement names Effect, an Action or
// NotAction and a Resource or NotResource). Since September 2025 SCPs take
// the full IAM policy language (conditions, resource ARNs and NotAction in
// Allow statements), so nothing else is refused. A malformed document is
// errs.Invalid with code MalformedPolicyDocumentException.
func ValidateSCP(content string) error {
	if utf8.RuneCountInString(content) > MaxSCPSize {
		return ErrSCPTooLarge
	}
	if _, err := iam.ParseIdentityPolicy([]byte(content)); err != nil {
		var pe *iam.PolicyError
		msg := "The provided policy document doesn't meet the requirements of the specified policy type."
		if errors.As(err, &pe) {
			msg += " " + pe.Reason
		}
		return errs.E(errs.Invalid, "%s", msg).WithCode("MalformedPolicyDocumentException")
	}
	return nil
}
