package ssoadmin

import "strings"

// The resources SSO Admin's operations act on, for the gateway's
// authorizer: the permission set an operation names, else the instance
// (IAM's resource types for sso: Instance, PermissionSet, Account).

// ResourceARN is the permission set's ARN.
func (r *permissionSetRef) ResourceARN(string) string {
	return orInstance(r.PermissionSetArn, r.InstanceArn)
}

// ResourceARN is the instance's ARN.
func (in *createPermissionSetInput) ResourceARN(string) string { return in.InstanceArn }

// ResourceARN is the permission set's ARN.
func (in *assignmentInput) ResourceARN(string) string {
	return orInstance(in.PermissionSetArn, in.InstanceArn)
}

// ResourceARN is the permission set's ARN.
func (in *listAssignmentsInput) ResourceARN(string) string {
	return orInstance(in.PermissionSetArn, in.InstanceArn)
}

// ResourceARN is the instance's ARN.
func (in *creationStatusInput) ResourceARN(string) string { return in.InstanceArn }

// ResourceARN is the instance's ARN.
func (in *deletionStatusInput) ResourceARN(string) string { return in.InstanceArn }

// ResourceARN is the instance's ARN.
func (in *listInput) ResourceARN(string) string { return in.InstanceArn }

// ResourceARN is the tagged resource's ARN.
func (in *listTagsInput) ResourceARN(string) string { return tagged(in.ResourceArn, in.InstanceArn) }

// ResourceARN is the instance's ARN.
func (in *provisioningStatusInput) ResourceARN(string) string { return in.InstanceArn }

// ResourceARN is the permission set's ARN.
func (in *provisionedListInput) ResourceARN(string) string {
	return orInstance(in.PermissionSetArn, in.InstanceArn)
}

// tagged is the ARN a tagging operation is authorized on: the permission
// set or instance it names. keyward has no other taggable SSO resource
// (applications, trusted token issuers), so any other ARN is authorized
// as the instance and the operation answers that it does not exist.
func tagged(arn, instance string) string {
	if strings.HasPrefix(arn, "arn:aws:sso:::permissionSet/") || strings.HasPrefix(arn, "arn:aws:sso:::instance/") {
		return arn
	}
	return orInstance("", instance)
}

// orInstance is arn, or the instance's ARN when the input names none, or
// "*" when it names neither (the operation then refuses the input).
func orInstance(arn, instance string) string {
	switch {
	case arn != "":
		return arn
	case instance != "":
		return instance
	}
	return "*"
}

// ResourceARN is the instance's ARN.
func (in *accessControlInput) ResourceARN(string) string { return orInstance("", in.InstanceArn) }

// ResourceARN is the instance's ARN.
func (in *instanceRef) ResourceARN(string) string { return orInstance("", in.InstanceArn) }

// ResourceARN is the instance's ARN.
func (in *updateInstanceInput) ResourceARN(string) string { return orInstance("", in.InstanceArn) }

// ResourceARN is the tagged resource's ARN.
func (in *tagResourceInput) ResourceARN(string) string { return tagged(in.ResourceArn, in.InstanceArn) }

// ResourceARN is the tagged resource's ARN.
func (in *untagResourceInput) ResourceARN(string) string {
	return tagged(in.ResourceArn, in.InstanceArn)
}

// ResourceARN is the instance's ARN.
func (in *listStatusInput) ResourceARN(string) string { return orInstance("", in.InstanceArn) }

// ResourceARN is the instance's ARN.
func (in *principalAssignmentsInput) ResourceARN(string) string {
	return orInstance("", in.InstanceArn)
}
