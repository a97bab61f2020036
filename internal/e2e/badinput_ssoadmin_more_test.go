package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	satypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// refBody is a customer managed policy reference operation's body.
func refBody(ref string) string {
	return `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","CustomerManagedPolicyReference":` + ref + `}`
}

// boundaryBody is a PutPermissionsBoundaryToPermissionSet body.
func boundaryBody(b string) string {
	return `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","PermissionsBoundary":` + b + `}`
}

// abacBody is an access control attribute configuration body with attributes.
func abacBody(attributes string) string {
	return `{"InstanceArn":"{instance}","InstanceAccessControlAttributeConfiguration":{"AccessControlAttributes":[` + attributes + `]}}`
}

func attribute(key, source string) string {
	return `{"Key":"` + key + `","Value":{"Source":["` + source + `"]}}`
}

func repeated(n int, f func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = f(i)
	}
	return strings.Join(parts, ",")
}

// abacSetUp gives the story's permission set a boundary and the instance
// an access control configuration, for the refusals to leave untouched.
func abacSetUp(t *testing.T, admin *ssoadmin.Client, st story) {
	t.Helper()
	ctx := context.Background()
	_, err := admin.PutPermissionsBoundaryToPermissionSet(ctx, &ssoadmin.PutPermissionsBoundaryToPermissionSetInput{InstanceArn: &st.InstanceARN,
		PermissionSetArn: &st.PermissionSetARN, PermissionsBoundary: &satypes.PermissionsBoundary{ManagedPolicyArn: aws.String(readOnlyARN)}})
	must(t, err)
	_, err = admin.CreateInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.CreateInstanceAccessControlAttributeConfigurationInput{
		InstanceArn: &st.InstanceARN, InstanceAccessControlAttributeConfiguration: &satypes.InstanceAccessControlAttributeConfiguration{
			AccessControlAttributes: []satypes.AccessControlAttribute{{Key: aws.String("dept"),
				Value: &satypes.AccessControlAttributeValue{Source: []string{"${path:enterprise.department}"}}}}}})
	must(t, err)
}

// abacState is the boundary and access control configuration abacSetUp made.
func abacState(t *testing.T, admin *ssoadmin.Client, st story) []any {
	t.Helper()
	ctx := context.Background()
	b, err := admin.GetPermissionsBoundaryForPermissionSet(ctx, &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{
		InstanceArn: &st.InstanceARN, PermissionSetArn: &st.PermissionSetARN})
	must(t, err)
	c, err := admin.DescribeInstanceAccessControlAttributeConfiguration(ctx, &ssoadmin.DescribeInstanceAccessControlAttributeConfigurationInput{
		InstanceArn: &st.InstanceARN})
	must(t, err)
	return []any{b.PermissionsBoundary, c.InstanceAccessControlAttributeConfiguration}
}

func TestSSOAdminRefusesBadInputToItsFurtherOperationsAndChangesNothing(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	admin := ssoadmin.NewFromConfig(s.adminConfig())
	abacSetUp(t, admin, st)
	before := abacState(t, admin, st)
	runJSONCases(t, s, st, "SWBExternalService", append(append(policyRefCases(), accessControlCases()...), instanceAndListCases()...))
	opts := cmpopts.IgnoreUnexported(satypes.PermissionsBoundary{}, satypes.InstanceAccessControlAttributeConfiguration{},
		satypes.AccessControlAttribute{}, satypes.AccessControlAttributeValue{})
	if diff := cmp.Diff(before, abacState(t, admin, st), opts); diff != "" {
		t.Errorf("the refused requests changed the boundary or access control configuration (-before +after):\n%s", diff)
	}
}

func policyRefCases() []jsonCase {
	return []jsonCase{
		{name: "attaching without a reference is a ValidationException", op: "AttachCustomerManagedPolicyReferenceToPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}"}`, code: "ValidationException", msg: "customerManagedPolicyReference is required"},
		{name: "a reference with a space in its name is a ValidationException", op: "AttachCustomerManagedPolicyReferenceToPermissionSet",
			body: refBody(`{"Name":"Deploy All"}`), code: "ValidationException", msg: "1 to 128 characters"},
		{name: "a reference with a name of 129 characters is a ValidationException", op: "AttachCustomerManagedPolicyReferenceToPermissionSet",
			body: refBody(`{"Name":"` + strings.Repeat("p", 129) + `"}`), code: "ValidationException", msg: "1 to 128 characters"},
		{name: "a reference with a path missing its slashes is a ValidationException", op: "AttachCustomerManagedPolicyReferenceToPermissionSet",
			body: refBody(`{"Name":"Deploy","Path":"ci"}`), code: "ValidationException", msg: "must start and end with /"},
		{name: "a reference with a path of 513 characters is a ValidationException", op: "AttachCustomerManagedPolicyReferenceToPermissionSet",
			body: refBody(`{"Name":"Deploy","Path":"/` + strings.Repeat("p", 511) + `/"}`), code: "ValidationException", msg: "at most 512"},
		{name: "detaching a reference that is not attached is not found", op: "DetachCustomerManagedPolicyReferenceFromPermissionSet",
			body: refBody(`{"Name":"Deploy"}`), code: "ResourceNotFoundException", msg: "is not attached"},
		{name: "listing references with MaxResults of 0 is a ValidationException", op: "ListCustomerManagedPolicyReferencesInPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","MaxResults":0}`, code: "ValidationException", msg: "MaxResults must be between 1 and 100"},
		{name: "listing references with a forged NextToken is a ValidationException", op: "ListCustomerManagedPolicyReferencesInPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","NextToken":"AAAA"}`, code: "ValidationException", msg: "invalid NextToken"},
		{name: "putting no boundary is a ValidationException", op: "PutPermissionsBoundaryToPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}"}`, code: "ValidationException", msg: "permissionsBoundary is required"},
		{name: "an empty boundary is a ValidationException", op: "PutPermissionsBoundaryToPermissionSet",
			body: boundaryBody(`{}`), code: "ValidationException", msg: "needs ManagedPolicyArn or CustomerManagedPolicyReference"},
		{name: "a boundary naming both kinds of policy is a ValidationException", op: "PutPermissionsBoundaryToPermissionSet",
			body: boundaryBody(`{"ManagedPolicyArn":"` + viewOnlyARN + `","CustomerManagedPolicyReference":{"Name":"Guard"}}`),
			code: "ValidationException", msg: "not both"},
		{name: "a boundary of an AWS managed policy AWS does not publish is not found", op: "PutPermissionsBoundaryToPermissionSet",
			body: boundaryBody(`{"ManagedPolicyArn":"arn:aws:iam::aws:policy/NoSuchPolicy"}`), code: "ResourceNotFoundException", msg: "NoSuchPolicy"},
		{name: "a boundary of a customer managed policy ARN is a ValidationException", op: "PutPermissionsBoundaryToPermissionSet",
			body: boundaryBody(`{"ManagedPolicyArn":"arn:aws:iam::111122223333:policy/Guard"}`), code: "ValidationException", msg: "not a valid AWS managed policy ARN"},
		{name: "a boundary reference with a bad name is a ValidationException", op: "PutPermissionsBoundaryToPermissionSet",
			body: boundaryBody(`{"CustomerManagedPolicyReference":{"Name":"a/b"}}`), code: "ValidationException", msg: "1 to 128 characters"},
	}
}

func accessControlCases() []jsonCase {
	const create, update = "CreateInstanceAccessControlAttributeConfiguration", "UpdateInstanceAccessControlAttributeConfiguration"
	dept := attribute("dept", "${path:enterprise.department}")
	return []jsonCase{
		{name: "creating a second configuration is a ConflictException", op: create, body: abacBody(dept), code: "ConflictException", msg: "already exists"},
		{name: "a configuration without its attributes is a ValidationException", op: update, body: `{"InstanceArn":"{instance}"}`,
			code: "ValidationException", msg: "accessControlAttributes is required"},
		{name: "an attribute with two sources is a ValidationException", op: update,
			body: abacBody(`{"Key":"dept","Value":{"Source":["${path:userName}","${path:title}"]}}`), code: "ValidationException", msg: "exactly one source"},
		{name: "an attribute without a source is a ValidationException", op: update,
			body: abacBody(`{"Key":"dept","Value":{"Source":[]}}`), code: "ValidationException", msg: "exactly one source"},
		{name: "an attribute from an unknown user attribute is a ValidationException", op: update,
			body: abacBody(attribute("dept", "${path:enterprise.shoeSize}")), code: "ValidationException", msg: "is not a supported attribute"},
		{name: "an attribute whose source is not a path is a ValidationException", op: update,
			body: abacBody(attribute("dept", "engineering")), code: "ValidationException", msg: "is not a supported attribute"},
		{name: "a key given twice is a ValidationException", op: update, body: abacBody(dept + "," + dept),
			code: "ValidationException", msg: "appears more than once"},
		{name: "a key of 129 characters is a ValidationException", op: update,
			body: abacBody(attribute(strings.Repeat("k", 129), "${path:userName}")), code: "ValidationException", msg: "1 to 128"},
		{name: "a key with a comma is a ValidationException", op: update,
			body: abacBody(attribute("a,b", "${path:userName}")), code: "ValidationException", msg: "1 to 128"},
		{name: "51 attributes are a ValidationException", op: update,
			body: abacBody(repeated(51, func(i int) string { return attribute("k"+strings.Repeat("x", i), "${path:userName}") })),
			code: "ValidationException", msg: "at most 50"},
		{name: "a configuration of another instance is not found", op: "DescribeInstanceAccessControlAttributeConfiguration",
			body: `{"InstanceArn":"` + otherInstance + `"}`, code: "ResourceNotFoundException", msg: "does not exist"},
	}
}

func instanceAndListCases() []jsonCase {
	tags := func(list string) string {
		return `{"InstanceArn":"{instance}","ResourceArn":"{ps}","Tags":[` + list + `]}`
	}
	tag := func(i int) string { return `{"Key":"k` + strings.Repeat("x", i) + `","Value":"v"}` }
	return []jsonCase{
		{name: "tagging without tags is a ValidationException", op: "TagResource", body: `{"InstanceArn":"{instance}","ResourceArn":"{ps}"}`,
			code: "ValidationException", msg: "tags is required"},
		{name: "a tag with the aws: prefix is a ValidationException", op: "TagResource", body: tags(`{"Key":"aws:x","Value":"v"}`),
			code: "ValidationException", msg: "reserved prefix"},
		{name: "51 tags are a ValidationException", op: "TagResource", body: tags(repeated(51, tag)), code: "ValidationException", msg: "at most 50"},
		{name: "tagging a malformed ARN is a ValidationException", op: "TagResource",
			body: `{"InstanceArn":"{instance}","ResourceArn":"arn:aws:sso:::nonsense","Tags":[]}`, code: "ValidationException", msg: "ResourceArn"},
		{name: "tagging an application keyward does not have is not found", op: "TagResource",
			body: `{"InstanceArn":"{instance}","ResourceArn":"arn:aws:sso::111122223333:application/{instanceId}/apl-0123456789abcdef","Tags":[]}`,
			code: "ResourceNotFoundException", msg: "APPLICATION"},
		{name: "untagging no keys is a ValidationException", op: "UntagResource",
			body: `{"InstanceArn":"{instance}","ResourceArn":"{ps}","TagKeys":[]}`, code: "ValidationException", msg: "1 to 75"},
		{name: "untagging 76 keys is a ValidationException", op: "UntagResource",
			body: `{"InstanceArn":"{instance}","ResourceArn":"{ps}","TagKeys":[` + repeated(76, func(i int) string { return `"k"` }) + `]}`,
			code: "ValidationException", msg: "1 to 75"},
		{name: "describing another instance is not found", op: "DescribeInstance", body: `{"InstanceArn":"` + otherInstance + `"}`,
			code: "ResourceNotFoundException", msg: "does not exist"},
		{name: "renaming the instance with a space is a ValidationException", op: "UpdateInstance",
			body: `{"InstanceArn":"{instance}","Name":"corp sso"}`, code: "ValidationException", msg: "Name"},
		{name: "renaming the instance to 256 characters is a ValidationException", op: "UpdateInstance",
			body: `{"InstanceArn":"{instance}","Name":"` + strings.Repeat("n", 256) + `"}`, code: "ValidationException", msg: "at most 255"},
		{name: "a customer managed encryption key is a ValidationException", op: "UpdateInstance",
			body: `{"InstanceArn":"{instance}","EncryptionConfiguration":{"KeyType":"CUSTOMER_MANAGED_KEY","KmsKeyArn":"arn:aws:kms:us-east-1:111122223333:key/k"}}`,
			code: "ValidationException", msg: "AWS_OWNED_KMS_KEY"},
		{name: "creating a second instance is a ConflictException", op: "CreateInstance", body: `{"Name":"second"}`,
			code: "ConflictException", msg: "already exists"},
		{name: "assignments of a principal without its id are a ValidationException", op: "ListAccountAssignmentsForPrincipal",
			body: `{"InstanceArn":"{instance}","PrincipalType":"USER"}`, code: "ValidationException", msg: "principalId"},
		{name: "assignments of a role principal are a ValidationException", op: "ListAccountAssignmentsForPrincipal",
			body: `{"InstanceArn":"{instance}","PrincipalType":"ROLE","PrincipalId":"{user}"}`, code: "ValidationException", msg: "USER or GROUP"},
		{name: "assignments of a malformed principal id are a ValidationException", op: "ListAccountAssignmentsForPrincipal",
			body: `{"InstanceArn":"{instance}","PrincipalType":"USER","PrincipalId":"alice"}`, code: "ValidationException", msg: "PrincipalId"},
		{name: "assignments filtered by a malformed account are a ValidationException", op: "ListAccountAssignmentsForPrincipal",
			body: `{"InstanceArn":"{instance}","PrincipalType":"USER","PrincipalId":"{user}","Filter":{"AccountId":"12"}}`,
			code: "ValidationException", msg: "12 digits"},
		{name: "creation statuses filtered by an unknown status are a ValidationException", op: "ListAccountAssignmentCreationStatus",
			body: `{"InstanceArn":"{instance}","Filter":{"Status":"DONE"}}`, code: "ValidationException", msg: "IN_PROGRESS, FAILED or SUCCEEDED"},
		{name: "deletion statuses with MaxResults of 101 are a ValidationException", op: "ListAccountAssignmentDeletionStatus",
			body: `{"InstanceArn":"{instance}","MaxResults":101}`, code: "ValidationException", msg: "MaxResults must be between 1 and 100"},
		{name: "provisioning statuses with a forged NextToken are a ValidationException", op: "ListPermissionSetProvisioningStatus",
			body: `{"InstanceArn":"{instance}","NextToken":"AAAA"}`, code: "ValidationException", msg: "NextToken"},
		{name: "applications with MaxResults of 0 are a ValidationException", op: "ListApplications",
			body: `{"InstanceArn":"{instance}","MaxResults":0}`, code: "ValidationException", msg: "MaxResults must be between 1 and 100"},
		{name: "trusted token issuers of another instance are not found", op: "ListTrustedTokenIssuers",
			body: `{"InstanceArn":"` + otherInstance + `"}`, code: "ResourceNotFoundException", msg: "does not exist"},
	}
}
