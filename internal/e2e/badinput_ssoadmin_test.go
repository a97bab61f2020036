package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	otherInstance = "arn:aws:sso:::instance/ssoins-0000000000000000"
	missingPS     = "ps-0000000000000000"
	missingUUID   = "11111111-2222-4333-8444-555555555555"
)

// assignmentBody is a CreateAccountAssignment body with one field replaced.
func assignmentBody(field, value string) string {
	m := map[string]string{"InstanceArn": "{instance}", "TargetId": "{account}", "TargetType": "AWS_ACCOUNT",
		"PermissionSetArn": "{ps}", "PrincipalType": "GROUP", "PrincipalId": "{group}"}
	if value == "" {
		delete(m, field)
	} else {
		m[field] = value
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// managedPolicyBody is an Attach/DetachManagedPolicy body for arn.
func managedPolicyBody(arn string) string {
	return `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","ManagedPolicyArn":"` + arn + `"}`
}

// inlinePolicyBody is a PutInlinePolicyToPermissionSet body for policy.
func inlinePolicyBody(policy string) string {
	b, _ := json.Marshal(policy)
	return `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","InlinePolicy":` + string(b) + `}`
}

func createPS(name, duration string) string {
	return `{"InstanceArn":"{instance}","Name":"` + name + `","SessionDuration":"` + duration + `"}`
}

func updatePS(field, value string) string {
	return `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","` + field + `":"` + value + `"}`
}

func TestSSOAdminRefusesBadInputAndChangesNothing(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	psOfOtherInstance := "arn:aws:sso:::permissionSet/ssoins-0000000000000000/" + missingPS
	bigPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` +
		strings.Repeat("b", 32<<10) + `/*"}]}`
	runJSONCases(t, s, st, "SWBExternalService", []jsonCase{
		{name: "ListTagsForResource with a malformed ResourceArn names that field", op: "ListTagsForResource",
			body: `{"InstanceArn":"{instance}","ResourceArn":"arn:aws:sso:::nonsense"}`,
			code: "ValidationException", msg: "ResourceArn"},
		{name: "malformed JSON is a SerializationException", op: "CreatePermissionSet", body: `{"InstanceArn":"{instance}",`,
			code: "SerializationException", msg: "malformed JSON"},
		{name: "a JSON array instead of an object is a SerializationException", op: "CreatePermissionSet", body: `[]`,
			code: "SerializationException", msg: "must be a JSON object"},
		{name: "a JSON string instead of an object is a SerializationException", op: "ListPermissionSets", body: `"{instance}"`,
			code: "SerializationException", msg: "must be a JSON object"},
		{name: "a list where a string belongs names the field", op: "CreatePermissionSet", body: `{"InstanceArn":["{instance}"],"Name":"Ops"}`,
			code: "SerializationException", msg: "InstanceArn must be a string"},
		{name: "a string where a number belongs names the field", op: "ListPermissionSets", body: `{"InstanceArn":"{instance}","MaxResults":"10"}`,
			code: "SerializationException", msg: "MaxResults must be an integer"},
		{name: "data after the JSON object is a SerializationException", op: "CreatePermissionSet", body: createPS("Ops", "PT1H") + ` x`,
			code: "SerializationException", msg: "data after the JSON object"},
		{name: "a body over 256 KiB is refused before it is parsed", op: "CreatePermissionSet",
			body: `{"InstanceArn":"{instance}","Name":"Ops","Description":"` + strings.Repeat("d", 256<<10) + `"}`,
			code: "SerializationException", msg: "exceeds 262144 bytes"},
		{name: "a missing InstanceArn is a ValidationException", op: "CreatePermissionSet", body: `{"Name":"Ops"}`,
			code: "ValidationException", msg: "instanceArn"},
		{name: "a missing Name is a ValidationException", op: "CreatePermissionSet", body: `{"InstanceArn":"{instance}"}`,
			code: "ValidationException", msg: "'name'"},
		{name: "a malformed InstanceArn is a ValidationException", op: "CreatePermissionSet", body: `{"InstanceArn":"arn:aws:sso:::instance/bogus","Name":"Ops"}`,
			code: "ValidationException", msg: "not a valid instance ARN"},
		{name: "another instance is not found", op: "CreatePermissionSet", body: `{"InstanceArn":"` + otherInstance + `","Name":"Ops"}`,
			code: "ResourceNotFoundException", msg: "does not exist"},
		{name: "an instance id of the model's ins- shape that is not ours is not found", op: "CreatePermissionSet",
			body: `{"InstanceArn":"arn:aws:sso:::instance/ins-ABCDEFGH.jklm-no","Name":"Ops"}`, code: "ResourceNotFoundException", msg: "does not exist"},
		{name: "an instance of the aws-cn partition is refused by partition", op: "ListPermissionSets",
			body: `{"InstanceArn":"arn:aws-cn:sso:::instance/{instanceId}"}`, code: "ValidationException",
			msg: "keyward serves the aws partition; arn:aws-cn:sso:::instance/ssoins-"},
		{name: "a permission set name with a space is a ValidationException", op: "CreatePermissionSet", body: createPS("Dev Ops", "PT1H"),
			code: "ValidationException", msg: "1 to 32 characters"},
		{name: "a permission set name of 33 characters is a ValidationException", op: "CreatePermissionSet", body: createPS(strings.Repeat("a", 33), "PT1H"),
			code: "ValidationException", msg: "1 to 32 characters"},
		{name: "a duplicate permission set name is a ConflictException", op: "CreatePermissionSet", body: createPS("DevOps", "PT1H"),
			code: "ConflictException", msg: "already exists"},
		{name: "a session of 13 hours is a ValidationException", op: "CreatePermissionSet", body: createPS("Ops", "PT13H"),
			code: "ValidationException", msg: "between 1 and 12 hours"},
		{name: "a session of 30 minutes is a ValidationException", op: "CreatePermissionSet", body: createPS("Ops", "PT30M"),
			code: "ValidationException", msg: "between 1 and 12 hours"},
		{name: "a session duration that is not ISO-8601 is a ValidationException", op: "CreatePermissionSet", body: createPS("Ops", "8h"),
			code: "ValidationException", msg: "ISO-8601"},
		{name: "a session duration in days is a ValidationException", op: "CreatePermissionSet", body: createPS("Ops", "P1D"),
			code: "ValidationException", msg: "ISO-8601"},
		{name: "an empty ISO-8601 duration is a ValidationException", op: "CreatePermissionSet", body: createPS("Ops", "PT"),
			code: "ValidationException", msg: "ISO-8601"},
		{name: "a reserved tag key is a ValidationException", op: "CreatePermissionSet",
			body: `{"InstanceArn":"{instance}","Name":"Ops","Tags":[{"Key":"aws:team","Value":"x"}]}`,
			code: "ValidationException", msg: "reserved prefix"},
		{name: "an update to a 24-hour session changes nothing", op: "UpdatePermissionSet", body: updatePS("SessionDuration", "PT24H"),
			code: "ValidationException", msg: "between 1 and 12 hours"},
		{name: "an update to a description over 700 characters changes nothing", op: "UpdatePermissionSet", body: updatePS("Description", strings.Repeat("d", 701)),
			code: "ValidationException", msg: "700"},
		{name: "an update to a javascript relay state changes nothing", op: "UpdatePermissionSet", body: updatePS("RelayState", "javascript:alert(1)"),
			code: "ValidationException", msg: "RelayState"},
		{name: "a well-formed managed policy AWS does not publish is not found", op: "AttachManagedPolicyToPermissionSet",
			body: managedPolicyBody("arn:aws:iam::aws:policy/NoSuchPolicy"), code: "ResourceNotFoundException", msg: "NoSuchPolicy"},
		{name: "a malformed managed policy ARN is a ValidationException", op: "AttachManagedPolicyToPermissionSet",
			body: managedPolicyBody("arn:aws:iam::aws:policy/No Such"), code: "ValidationException", msg: "not a valid AWS managed policy ARN"},
		{name: "a customer managed policy ARN is a ValidationException", op: "AttachManagedPolicyToPermissionSet",
			body: managedPolicyBody("arn:aws:iam::111122223333:policy/Mine"), code: "ValidationException", msg: "not a valid AWS managed policy ARN"},
		{name: "a managed policy of the aws-us-gov partition is refused by partition", op: "AttachManagedPolicyToPermissionSet",
			body: managedPolicyBody("arn:aws-us-gov:iam::aws:policy/AdministratorAccess"), code: "ValidationException",
			msg: "keyward serves the aws partition; arn:aws-us-gov:iam::aws:policy/AdministratorAccess is in aws-us-gov"},
		{name: "detaching a malformed managed policy ARN is a ValidationException", op: "DetachManagedPolicyFromPermissionSet",
			body: managedPolicyBody("ReadOnlyAccess"), code: "ValidationException", msg: "not a valid AWS managed policy ARN"},
		{name: "detaching without a ManagedPolicyArn is a ValidationException", op: "DetachManagedPolicyFromPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}"}`, code: "ValidationException", msg: "managedPolicyArn"},
		{name: "a policy that is already attached is a ConflictException", op: "AttachManagedPolicyToPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","ManagedPolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}`,
			code: "ConflictException", msg: "already attached"},
		{name: "detaching a policy that is not attached is not found", op: "DetachManagedPolicyFromPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","ManagedPolicyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}`,
			code: "ResourceNotFoundException", msg: "not attached"},
		{name: "an inline policy that is not JSON is a ValidationException", op: "PutInlinePolicyToPermissionSet", body: inlinePolicyBody(`{"Version":`),
			code: "ValidationException", msg: "malformed"},
		{name: "an inline policy without statements is a ValidationException", op: "PutInlinePolicyToPermissionSet", body: inlinePolicyBody(`{"Version":"2012-10-17"}`),
			code: "ValidationException", msg: "Statement"},
		{name: "an inline policy over 32768 characters is a ValidationException", op: "PutInlinePolicyToPermissionSet", body: inlinePolicyBody(bigPolicy),
			code: "ValidationException", msg: "1 to 32768 characters"},
		{name: "an empty inline policy is a ValidationException", op: "PutInlinePolicyToPermissionSet", body: inlinePolicyBody(""),
			code: "ValidationException", msg: "1 to 32768 characters"},
		{name: "a permission set that does not exist is not found", op: "DescribePermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"arn:aws:sso:::permissionSet/{instanceId}/` + missingPS + `"}`,
			code: "ResourceNotFoundException", msg: "PERMISSION_SET not found", resourceType: "PERMISSION_SET"},
		{name: "a malformed PermissionSetArn is a ValidationException", op: "DescribePermissionSet", body: `{"InstanceArn":"{instance}","PermissionSetArn":"ps-1"}`,
			code: "ValidationException", msg: "not a valid permission set ARN"},
		{name: "a permission set id that is well formed but not hex is not found", op: "DescribePermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"arn:aws:sso:::permissionSet/{instanceId}/ps-ABCDEFGH./-12345"}`,
			code: "ResourceNotFoundException", msg: "PERMISSION_SET not found", resourceType: "PERMISSION_SET"},
		{name: "a permission set ARN of the aws-us-gov partition is refused by partition", op: "DescribePermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"arn:aws-us-gov:sso:::permissionSet/{instanceId}/` + missingPS + `"}`,
			code: "ValidationException", msg: "keyward serves the aws partition; arn:aws-us-gov:sso:::permissionSet/"},
		{name: "tags of an application keyward does not have are not found", op: "ListTagsForResource",
			body: `{"InstanceArn":"{instance}","ResourceArn":"arn:aws:sso::111122223333:application/{instanceId}/apl-0123456789abcdef"}`,
			code: "ResourceNotFoundException", msg: "APPLICATION"},
		{name: "tags of another instance are not found", op: "ListTagsForResource",
			body: `{"InstanceArn":"{instance}","ResourceArn":"` + otherInstance + `"}`, code: "ResourceNotFoundException", msg: "does not exist"},
		{name: "a permission set of another instance is not found", op: "DeletePermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"` + psOfOtherInstance + `"}`,
			code: "ResourceNotFoundException", msg: "Could not find PermissionSet"},
		{name: "deleting a permission set that is still assigned is a ConflictException", op: "DeletePermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}"}`, code: "ConflictException", msg: "assign", resourceType: "PERMISSION_SET"},
		{name: "MaxResults of 0 is a ValidationException", op: "ListPermissionSets", body: `{"InstanceArn":"{instance}","MaxResults":0}`,
			code: "ValidationException", msg: "MaxResults must be between 1 and 100"},
		{name: "MaxResults of 101 is a ValidationException", op: "ListAccountAssignments",
			body: `{"InstanceArn":"{instance}","AccountId":"{account}","PermissionSetArn":"{ps}","MaxResults":101}`,
			code: "ValidationException", msg: "MaxResults must be between 1 and 100"},
		{name: "a forged NextToken is a ValidationException", op: "ListPermissionSets", body: `{"InstanceArn":"{instance}","NextToken":"AAAA"}`,
			code: "ValidationException", msg: "NextToken"},
		{name: "a forged NextToken for ListInstances is a ValidationException", op: "ListInstances", body: `{"NextToken":"forged"}`,
			code: "ValidationException", msg: "NextToken"},
		{name: "ListManagedPoliciesInPermissionSet with MaxResults of 0 is a ValidationException", op: "ListManagedPoliciesInPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","MaxResults":0}`, code: "ValidationException", msg: "MaxResults must be between 1 and 100"},
		{name: "ListManagedPoliciesInPermissionSet with MaxResults of 101 is a ValidationException", op: "ListManagedPoliciesInPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","MaxResults":101}`, code: "ValidationException", msg: "MaxResults must be between 1 and 100"},
		{name: "ListManagedPoliciesInPermissionSet with a forged NextToken is a ValidationException", op: "ListManagedPoliciesInPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","NextToken":"AAAA"}`, code: "ValidationException", msg: "invalid NextToken"},
		{name: "an account id that is not 12 digits is a ValidationException", op: "ListAccountAssignments",
			body: `{"InstanceArn":"{instance}","AccountId":"12345","PermissionSetArn":"{ps}"}`, code: "ValidationException", msg: "12 digits"},
		{name: "an assignment without a principal is a ValidationException", op: "CreateAccountAssignment", body: assignmentBody("PrincipalId", ""),
			code: "ValidationException", msg: "principalId"},
		{name: "an assignment to an organizational unit is a ValidationException", op: "CreateAccountAssignment", body: assignmentBody("TargetType", "AWS_OU"),
			code: "ValidationException", msg: "AWS_ACCOUNT"},
		{name: "an assignment to a role principal is a ValidationException", op: "CreateAccountAssignment", body: assignmentBody("PrincipalType", "ROLE"),
			code: "ValidationException", msg: "USER or GROUP"},
		{name: "an assignment to a malformed principal id is a ValidationException", op: "CreateAccountAssignment", body: assignmentBody("PrincipalId", "alice"),
			code: "ValidationException", msg: "PrincipalId"},
		{name: "an assignment to a malformed account id is a ValidationException", op: "CreateAccountAssignment", body: assignmentBody("TargetId", "123"),
			code: "ValidationException", msg: "12-digit"},
		{name: "an assignment to a group that does not exist is not found", op: "CreateAccountAssignment", body: assignmentBody("PrincipalId", validUserID),
			code: "ResourceNotFoundException", msg: "GROUP", resourceType: "GROUP"},
		{name: "an assignment to an account outside the organization is not found", op: "CreateAccountAssignment", body: assignmentBody("TargetId", "999999999999"),
			code: "ResourceNotFoundException", msg: "ACCOUNT", resourceType: "ACCOUNT"},
		{name: "deleting an assignment that does not exist is not found", op: "DeleteAccountAssignment",
			body: strings.Replace(assignmentBody("PrincipalType", "USER"), "{group}", "{user}", 1),
			code: "ResourceNotFoundException", msg: "ACCOUNT_ASSIGNMENT", resourceType: "ACCOUNT_ASSIGNMENT"},
		{name: "an unknown creation request is not found", op: "DescribeAccountAssignmentCreationStatus",
			body: `{"InstanceArn":"{instance}","AccountAssignmentCreationRequestId":"` + missingUUID + `"}`,
			code: "ResourceNotFoundException", msg: missingUUID},
		{name: "a creation request id that is not a UUID is a ValidationException", op: "DescribeAccountAssignmentCreationStatus",
			body: `{"InstanceArn":"{instance}","AccountAssignmentCreationRequestId":"req-1"}`, code: "ValidationException", msg: "not a valid request id"},
		{name: "a provisioning request id that is not a UUID is a ValidationException", op: "DescribePermissionSetProvisioningStatus",
			body: `{"InstanceArn":"{instance}","ProvisionPermissionSetRequestId":"ABCDEF01-2222-4333-8444-555555555555"}`,
			code: "ValidationException", msg: "not a valid request id"},
		{name: "an unknown provisioning request is not found", op: "DescribePermissionSetProvisioningStatus",
			body: `{"InstanceArn":"{instance}","ProvisionPermissionSetRequestId":"` + missingUUID + `"}`, code: "ResourceNotFoundException", msg: missingUUID},
		{name: "provisioning to an unknown target type is a ValidationException", op: "ProvisionPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","TargetType":"EVERYWHERE"}`, code: "ValidationException", msg: "TargetType"},
		{name: "provisioning to a malformed account is a ValidationException", op: "ProvisionPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","TargetType":"AWS_ACCOUNT","TargetId":"12"}`, code: "ValidationException", msg: "12 digits"},
		{name: "provisioning to an account that does not exist is not found", op: "ProvisionPermissionSet",
			body: `{"InstanceArn":"{instance}","PermissionSetArn":"{ps}","TargetType":"AWS_ACCOUNT","TargetId":"999999999999"}`,
			code: "ResourceNotFoundException", msg: "ACCOUNT 999999999999 not found", resourceType: "ACCOUNT"},
		{name: "assigning on an account that does not exist is not found", op: "CreateAccountAssignment",
			body: `{"InstanceArn":"{instance}","TargetId":"999999999999","TargetType":"AWS_ACCOUNT","PermissionSetArn":"{ps}","PrincipalType":"GROUP","PrincipalId":"{group}"}`,
			code: "ResourceNotFoundException", msg: "ACCOUNT 999999999999 not found", resourceType: "ACCOUNT"},
		{name: "an unknown operation is an UnknownOperationException", op: "CreateTrustedTokenIssuer", body: `{}`,
			code: "UnknownOperationException", msg: "CreateTrustedTokenIssuer"},
	})
}
