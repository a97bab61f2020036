package iam

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// PrefixPolicyID starts a managed policy's unique id.
const PrefixPolicyID = "ANPA"

// MaxPolicyVersions is how many versions a managed policy may keep.
const MaxPolicyVersions = 5

// AWSAccount is the "account" in the ARNs of AWS managed policies.
const AWSAccount = "aws"

// Policy is a customer managed policy: a named, versioned permissions
// policy an account's administrators attach to roles (and users and
// groups). Its documents are its versions (PolicyVersion).
type Policy struct {
	AccountID      string
	ID             string // ANPA...
	Name           string
	Path           string
	Description    string
	DefaultVersion string // "v1", ...
	Tags           []Tag
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// PolicyVersion is one version of a managed policy's document.
type PolicyVersion struct {
	VersionID string // "v1", "v2", ...: never reused
	Document  string
	IsDefault bool
	CreatedAt time.Time
}

// ARN returns the policy's ARN.
func (p Policy) ARN() string { return PolicyARN(p.AccountID, p.Path, p.Name) }

// Validate checks the policy as CreatePolicy does (not its document: see
// ValidateManagedDocument).
func (p Policy) Validate() error {
	for _, err := range []error{
		ValidateName("policyName", p.Name, MaxPolicyNameLen),
		ValidatePolicyPath(p.Path),
		ValidateDescription("description", p.Description),
		ValidateTags("tags", p.Tags),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// NewPolicyID returns a managed policy id: "ANPA" and 17 characters.
func NewPolicyID(r io.Reader) string { return PrefixPolicyID + randomBase32(r, 17) }

// PolicyARN is a managed policy's ARN: arn:aws:iam::ACCOUNT:policy/PATH/NAME
// (ACCOUNT "aws" for AWS managed policies).
func PolicyARN(accountID, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:" + Partition + ":iam::" + accountID + ":policy" + path + name
}

// ParsePolicyARN splits a managed policy's ARN into its account ("aws" for
// AWS managed ones), path and name.
func ParsePolicyARN(arn string) (account, path, name string, ok bool) {
	rest, found := strings.CutPrefix(arn, "arn:"+Partition+":iam::")
	if !found {
		return "", "", "", false
	}
	account, rest, found = strings.Cut(rest, ":policy/")
	if !found || account == "" {
		return "", "", "", false
	}
	i := strings.LastIndex(rest, "/")
	path, name = "/"+rest[:i+1], rest[i+1:]
	if name == "" {
		return "", "", "", false
	}
	return account, path, name, true
}

// VersionID is the id of a policy's nth version: "v1", "v2", ...
func VersionID(n int) string { return "v" + strconv.Itoa(n) }

// ValidateManagedDocument checks a managed policy version's document:
// grammar, then IAM's PolicySize quota.
func ValidateManagedDocument(doc string) error {
	if err := ValidateIdentityPolicy("policyDocument", doc); err != nil {
		return err
	}
	if PolicySize([]byte(doc)) > MaxManagedPolicySize {
		return limitExceeded("Cannot exceed quota for PolicySize: %d", MaxManagedPolicySize)
	}
	return nil
}
