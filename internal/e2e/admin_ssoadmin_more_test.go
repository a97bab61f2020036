package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	satypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"

	"github.com/keyward/keyward/internal/app"
)

// TestAnAutomationScriptManagesPermissionSetsBeyondTheBasicsWithTheAWSCLI
// is what a CI pipeline does with the real AWS CLI v2 after the basic
// story: customer managed policy references (an assignment fails while
// the policy is missing in the account, as in AWS), a permissions boundary,
// attributes for access control, tags, and the list that audits what was
// done. (Debian's AWS CLI predates DescribeInstance, UpdateInstance and
// ListAccountAssignmentsForPrincipal: the SDK tests cover those.)
func TestAnAutomationScriptManagesPermissionSetsBeyondTheBasicsWithTheAWSCLI(t *testing.T) {
	s := start(t)
	c := newAWSCLI(t, s)
	st := c.setUpStory(t)
	inst := []string{"--instance-arn", st.InstanceARN}
	sso := func(v any, args ...string) { c.admin(t, v, append(append([]string{"sso-admin"}, args...), inst...)...) }

	var ps struct {
		PermissionSet struct{ PermissionSetArn string }
	}
	sso(&ps, "create-permission-set", "--name", "Builders")
	builders := []string{"--permission-set-arn", ps.PermissionSet.PermissionSetArn}
	sso(nil, append([]string{"attach-customer-managed-policy-reference-to-permission-set",
		"--customer-managed-policy-reference", "Name=Deploy,Path=/ci/"}, builders...)...)
	var refs struct{ CustomerManagedPolicyReferences []struct{ Name, Path string } }
	sso(&refs, append([]string{"list-customer-managed-policy-references-in-permission-set"}, builders...)...)
	equal(t, "references", "Deploy /ci/", refs.CustomerManagedPolicyReferences[0].Name+" "+refs.CustomerManagedPolicyReferences[0].Path)

	var created struct{ AccountAssignmentCreationStatus assignmentStatus }
	sso(&created, append([]string{"create-account-assignment", "--target-id", st.AccountID, "--target-type", "AWS_ACCOUNT",
		"--principal-type", "USER", "--principal-id", st.UserID}, builders...)...)
	equal(t, "assignment", "FAILED Received a 404 status error: Not supported policy arn:aws:iam::"+st.AccountID+":policy/ci/Deploy.",
		created.AccountAssignmentCreationStatus.Status+" "+created.AccountAssignmentCreationStatus.FailureReason)
	var failed struct {
		AccountAssignmentsCreationStatus []struct{ Status, RequestId string }
	}
	sso(&failed, "list-account-assignment-creation-status", "--filter", "Status=FAILED")
	equal(t, "failed creations", created.AccountAssignmentCreationStatus.RequestId, failed.AccountAssignmentsCreationStatus[0].RequestId)

	sso(nil, append([]string{"put-permissions-boundary-to-permission-set", "--permissions-boundary",
		"ManagedPolicyArn=arn:aws:iam::aws:policy/PowerUserAccess"}, builders...)...)
	var boundary struct {
		PermissionsBoundary struct{ ManagedPolicyArn string }
	}
	sso(&boundary, append([]string{"get-permissions-boundary-for-permission-set"}, builders...)...)
	equal(t, "boundary", "arn:aws:iam::aws:policy/PowerUserAccess", boundary.PermissionsBoundary.ManagedPolicyArn)

	sso(nil, "create-instance-access-control-attribute-configuration", "--instance-access-control-attribute-configuration",
		`{"AccessControlAttributes":[{"Key":"department","Value":{"Source":["${path:enterprise.department}"]}}]}`)
	var abac struct {
		Status                                      string
		InstanceAccessControlAttributeConfiguration struct {
			AccessControlAttributes []struct {
				Key   string
				Value struct{ Source []string }
			}
		}
	}
	sso(&abac, "describe-instance-access-control-attribute-configuration")
	a := abac.InstanceAccessControlAttributeConfiguration.AccessControlAttributes[0]
	equal(t, "access control", "ENABLED department ${path:enterprise.department}", abac.Status+" "+a.Key+" "+a.Value.Source[0])

	sso(nil, "tag-resource", "--resource-arn", st.PermissionSetARN, "--tags", "Key=team,Value=platform")
	var tags struct{ Tags []struct{ Key, Value string } }
	sso(&tags, "list-tags-for-resource", "--resource-arn", st.PermissionSetARN)
	equal(t, "tags", "team=platform", tags.Tags[0].Key+"="+tags.Tags[0].Value)

	out := c.mustFail(t, append([]string{"sso-admin", "get-permissions-boundary-for-permission-set", "--permission-set-arn",
		st.PermissionSetARN, "--profile", app.AdminProfile, "--region", "us-east-1"}, inst...)...)
	if !strings.Contains(out, "(ResourceNotFoundException)") {
		t.Errorf("the boundary of a permission set without one: the CLI printed %q, want ResourceNotFoundException", out)
	}
}

// TestAttributesForAccessControlBecomeSessionTagsThatPoliciesTest: once the
// instance maps userName to the tag "user", alice's role sessions carry
// user=alice, and her permission set's aws:PrincipalTag condition applies.
func TestAttributesForAccessControlBecomeSessionTagsThatPoliciesTest(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	ctx := context.Background()
	admin := ssoadmin.NewFromConfig(s.adminConfig())
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListRoles","Resource":"*",` +
		`"Condition":{"StringEquals":{"aws:PrincipalTag/user":"alice"}}}]}`
	_, err := admin.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &st.InstanceARN,
		PermissionSetArn: &st.PermissionSetARN, InlinePolicy: &deny})
	must(t, err)
	listRoles := func() error {
		c := s.roleSession(t, st)
		cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(s.url),
			Credentials: credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)}
		_, err := iam.NewFromConfig(cfg).ListRoles(ctx, &iam.ListRolesInput{})
		return err
	}
	must(t, listRoles())
	_, err = admin.CreateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.CreateInstanceAccessControlAttributeConfigurationInput{
		InstanceArn: &st.InstanceARN, InstanceAccessControlAttributeConfiguration: &satypes.InstanceAccessControlAttributeConfiguration{
			AccessControlAttributes: []satypes.AccessControlAttribute{{Key: aws.String("user"),
				Value: &satypes.AccessControlAttributeValue{Source: []string{"${path:userName}"}}}}}})
	must(t, err)
	var apiErr smithy.APIError
	if err := listRoles(); !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" ||
		!strings.Contains(apiErr.ErrorMessage(), "explicit deny in an identity-based policy") {
		t.Errorf("ListRoles by a session tagged user=alice: %v, want AccessDenied by the permission set's condition", err)
	}
}
