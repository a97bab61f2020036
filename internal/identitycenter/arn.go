package identitycenter

import (
	"regexp"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// Partition is the one AWS partition keyward serves: every ARN it issues
// starts "arn:aws:". An ARN that is well formed but names another partition
// (aws-cn, aws-us-gov, ...) is refused by name, so a client pointed at the
// wrong partition learns why rather than seeing "not found".
const Partition = iam.Partition

// ARN shapes from the SSO Admin service model (botocore
// data/sso-admin/2020-07-20/service-2.json at commit 0e6e2404, 2026-08-07).
// The model's patterns are unanchored; keyward anchors them, so an ARN with
// trailing text is malformed rather than the name of something unknown.
const (
	partitionPattern = `(aws(?:-[a-z]{1,5}){0,3})`
	instanceIDPat    = `((?:sso)?ins-[a-zA-Z0-9.-]{16})`
	arnPrefix        = `^arn:` + partitionPattern + `:`
)

var (
	instanceARNRe      = regexp.MustCompile(arnPrefix + `sso:::instance/` + instanceIDPat + `$`)
	permissionSetARNRe = regexp.MustCompile(arnPrefix + `sso:::permissionSet/` + instanceIDPat + `/(ps-[a-zA-Z0-9./-]{16})$`)
	managedPolicyARNRe = regexp.MustCompile(arnPrefix + `iam::aws:policy(?:/[A-Za-z0-9.,+@=_-]+)*/[A-Za-z0-9.,+=@_-]+$`)
	applicationARNRe   = regexp.MustCompile(arnPrefix + `sso::\d{12}:application/` + instanceIDPat + `/apl-[a-zA-Z0-9]{16}$`)
	tokenIssuerARNRe   = regexp.MustCompile(arnPrefix + `sso::\d{12}:trustedTokenIssuer/` + instanceIDPat +
		`/tti-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`)
)

// maxManagedPolicyARN is the model's length bound on ManagedPolicyArn.
const maxManagedPolicyARN = 2048

// checkPartition refuses a well-formed ARN of a partition keyward does not serve.
func checkPartition(arn, partition string) error {
	if partition == Partition {
		return nil
	}
	return errs.E(errs.Invalid, "keyward serves the %s partition; %.128s is in %s", Partition, arn, partition)
}

// ParseInstanceARN returns the instance id in arn.
func ParseInstanceARN(arn string) (string, error) {
	m := instanceARNRe.FindStringSubmatch(arn)
	if m == nil {
		return "", errs.E(errs.Invalid, "InstanceArn %.128q is not a valid instance ARN", arn)
	}
	return m[2], checkPartition(arn, m[1])
}

// ParsePermissionSetARN returns the instance and permission set ids in arn.
func ParsePermissionSetARN(arn string) (instanceID, id string, err error) {
	m := permissionSetARNRe.FindStringSubmatch(arn)
	if m == nil {
		return "", "", errs.E(errs.Invalid, "PermissionSetArn %.128q is not a valid permission set ARN", arn)
	}
	return m[2], m[3], checkPartition(arn, m[1])
}

// CheckManagedPolicyARN checks that arn has the shape of an AWS managed
// policy ARN in keyward's partition. Whether the policy exists is the
// catalog's question.
func CheckManagedPolicyARN(arn string) error {
	m := managedPolicyARNRe.FindStringSubmatch(arn)
	if m == nil || len(arn) > maxManagedPolicyARN {
		return errs.E(errs.Invalid, "ManagedPolicyArn %.128q is not a valid AWS managed policy ARN", arn)
	}
	return checkPartition(arn, m[1])
}

// Kinds of resource a TaggableResourceArn names.
const (
	ResourceInstance           = "INSTANCE"
	ResourcePermissionSet      = "PERMISSION_SET"
	ResourceApplication        = "APPLICATION"
	ResourceTrustedTokenIssuer = "TRUSTED_TOKEN_ISSUER"
)

// TaggableResource is what a TaggableResourceArn names.
type TaggableResource struct {
	Kind       string
	InstanceID string
	ID         string // the permission set id; empty for other kinds
}

// otherTaggables are the taggable kinds whose ARNs carry only an instance id.
var otherTaggables = []struct {
	kind string
	re   *regexp.Regexp
}{{ResourceInstance, instanceARNRe}, {ResourceApplication, applicationARNRe}, {ResourceTrustedTokenIssuer, tokenIssuerARNRe}}

// ParseTaggableARN parses the ResourceArn of the tagging operations: an
// instance, permission set, application or trusted token issuer ARN.
func ParseTaggableARN(arn string) (TaggableResource, error) {
	if m := permissionSetARNRe.FindStringSubmatch(arn); m != nil {
		return TaggableResource{Kind: ResourcePermissionSet, InstanceID: m[2], ID: m[3]}, checkPartition(arn, m[1])
	}
	for _, k := range otherTaggables {
		if m := k.re.FindStringSubmatch(arn); m != nil {
			return TaggableResource{Kind: k.kind, InstanceID: m[2]}, checkPartition(arn, m[1])
		}
	}
	return TaggableResource{}, errs.E(errs.Invalid, "ResourceArn %.128q is not an instance, permission set, application or trusted token issuer ARN", arn)
}
