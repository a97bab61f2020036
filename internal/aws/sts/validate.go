package sts

import (
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// Validate checks AssumeRole's input against STS's model, naming the
// first member that fails as STS does; the gateway calls it before
// authorizing the caller.
func (in *assumeRoleInput) Validate() error {
	switch {
	case len(in.RoleArn) < 20 || len(in.RoleArn) > 2048:
		return iam.Invalid("roleArn", in.RoleArn, "Member must have length between 20 and 2048")
	case !sessionNameRe.MatchString(in.RoleSessionName):
		return iam.Invalid("roleSessionName", in.RoleSessionName, `Member must satisfy regular expression pattern: [\w+=,.@-]* and have length between 2 and 64`)
	case in.DurationSeconds != nil && (*in.DurationSeconds < minDuration || *in.DurationSeconds > maxDuration):
		return iam.Invalid("durationSeconds", strconv.Itoa(*in.DurationSeconds), "Member must have value between 900 and 43200")
	case in.ExternalID != "" && (len(in.ExternalID) < 2 || len(in.ExternalID) > 1224 || !externalIDRe.MatchString(in.ExternalID)):
		return iam.Invalid("externalId", in.ExternalID, `Member must satisfy regular expression pattern: [\w+=,.@:\/-]* and have length between 2 and 1224`)
	case in.SourceIdentity != "" && (!sourceIdentityRe.MatchString(in.SourceIdentity) || strings.HasPrefix(strings.ToLower(in.SourceIdentity), "aws:")):
		return iam.Invalid("sourceIdentity", in.SourceIdentity, `Member must satisfy regular expression pattern: [\w+=,.@-]* and have length between 2 and 64, and not start with aws:`)
	case len(in.PolicyArns) > maxPolicyARNs:
		return iam.Invalid("policyArns", strconv.Itoa(len(in.PolicyArns)), "Member must have length less than or equal to 10")
	case len(in.Tags) > maxSessionTags:
		return iam.Invalid("tags", strconv.Itoa(len(in.Tags)), "Member must have length less than or equal to 50")
	}
	if err := validMFA(in.SerialNumber, in.TokenCode); err != nil {
		return err
	}
	if err := in.validatePolicy(); err != nil {
		return err
	}
	return in.validateTags()
}

func (in *assumeRoleInput) validatePolicy() error {
	for _, p := range in.PolicyArns {
		if len(p.Arn) < 20 || len(p.Arn) > 2048 || !strings.HasPrefix(p.Arn, "arn:aws:iam::") || !strings.Contains(p.Arn, ":policy/") {
			return iam.Invalid("policyArns.member.arn", p.Arn, "Member must be the ARN of a managed policy")
		}
	}
	if in.Policy == "" {
		return nil
	}
	if iam.PolicySize([]byte(in.Policy)) > iam.MaxSessionPolicySize {
		return errs.E(errs.Invalid, "Packed size of the session policy exceeds %d characters.", iam.MaxSessionPolicySize).WithCode("PackedPolicyTooLarge")
	}
	if _, err := iam.ParseIdentityPolicy([]byte(in.Policy)); err != nil {
		return errs.E(errs.Invalid, "%v", err).WithCode("MalformedPolicyDocument")
	}
	return nil
}

func (in *assumeRoleInput) validateTags() error {
	seen := map[string]bool{}
	for _, t := range in.Tags {
		k := strings.ToLower(t.Key)
		if err := iam.ValidateTag("tags", t); err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(k, "aws:"):
			return errs.E(errs.Invalid, "Tag key %s uses the reserved prefix aws:.", t.Key).WithCode("InvalidParameterValue")
		case seen[k]:
			return errs.E(errs.Invalid, "Duplicate tag keys found. Please note that Tag keys are case insensitive.").WithCode("InvalidParameterValue")
		}
		seen[k] = true
	}
	for _, k := range in.TransitiveTagKeys {
		if !seen[strings.ToLower(k)] {
			return errs.E(errs.Invalid, "The transitive tag key %s is not among the session tags.", k).WithCode("InvalidParameterValue")
		}
	}
	return nil
}
