package iamapi

import (
	"testing"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// FuzzRoleAndPolicyInputs: whatever form arrives, decoding it into
// CreateRole's, PutRolePolicy's and ListPolicies' inputs and checking them
// as the operations do never panics, and every refusal is a client error
// (errs.Invalid), never a server one.
func FuzzRoleAndPolicyInputs(f *testing.F) {
	for _, seed := range []string{
		`RoleName=app&Path=%2Fci%2F&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D`,
		`RoleName=a&MaxSessionDuration=7200&Tags.member.1.Key=team&Tags.member.1.Value=x&Tags.member.2.Key=TEAM`,
		`PolicyName=p&PolicyDocument=%7B%22Statement%22%3A%5B%5D%7D&RoleName=r`,
		`Scope=AWS&OnlyAttached=true&PathPrefix=%2F&PolicyUsageFilter=PermissionsBoundary&MaxItems=1000&Marker=a1`,
		`MaxItems=-1&Marker=`, `Tags.member.0.Key=x`, `RoleName=%FF%FE`, `MaxSessionDuration=1e9`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		params, err := protocol.DecodeForm(body)
		if err != nil {
			return
		}
		clientError(t, "CreateRole", checkCreateRole(params))
		clientError(t, "PutRolePolicy", checkPutRolePolicy(params))
		clientError(t, "ListPolicies", checkListPolicies(params))
	})
}

func checkCreateRole(params map[string]string) error {
	var in createRoleInput
	if err := protocol.DecodeQuery(params, &in); err != nil {
		return err
	}
	r := iam.Role{Name: in.RoleName, Path: in.Path, TrustPolicy: in.AssumeRolePolicyDocument, Description: in.Description,
		MaxSessionDuration: iam.DefaultRoleSession, Tags: tagsIn(in.Tags)}
	if in.MaxSessionDuration != nil {
		r.MaxSessionDuration = *in.MaxSessionDuration
	}
	if r.Path == "" {
		r.Path = "/"
	}
	return r.Validate()
}

func checkPutRolePolicy(params map[string]string) error {
	var in putRolePolicyInput
	if err := protocol.DecodeQuery(params, &in); err != nil {
		return err
	}
	if err := iam.ValidateName("policyName", in.PolicyName, iam.MaxPolicyNameLen); err != nil {
		return err
	}
	return iam.ValidateIdentityPolicy("policyDocument", in.PolicyDocument)
}

func checkListPolicies(params map[string]string) error {
	var in listPoliciesInput
	if err := protocol.DecodeQuery(params, &in); err != nil {
		return err
	}
	if _, err := policyFilter(&in); err != nil {
		return err
	}
	_, err := page(in.Marker, in.MaxItems)
	return err
}

func clientError(t *testing.T, op string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid || e.Message == "" {
		t.Fatalf("%s: %v (kind %s), want a client error with a message", op, err, errs.KindOf(err))
	}
}
