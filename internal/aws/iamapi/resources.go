package iamapi

import "github.com/keyward/keyward/internal/iam"

// The resources IAM's operations act on, for the gateway's authorizer, as
// IAM's service authorization reference names them: the role, user,
// group, policy, provider or MFA device the input names, in the caller's
// account. The path is known only where the input carries it (creation);
// elsewhere the ARN is built from the name alone, so a policy naming a
// path (role/ci/*) matches only roles created at the root path (a limit
// keyward documents). Listing operations act on "*". An operation with an
// optional user name and none given acts on the caller itself ("").

// entityARN is arn:aws:iam::ACCOUNT:KIND/PATHNAME.
func entityARN(account, kind, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:" + iam.Partition + ":iam::" + account + ":" + kind + path + name
}

func roleRes(account, name string) string  { return entityARN(account, "role", "/", name) }
func userRes(account, name string) string  { return entityARN(account, "user", "/", name) }
func groupRes(account, name string) string { return entityARN(account, "group", "/", name) }

// ownerRes is the user or group an owner-scoped input names.
func ownerRes(account, user, group string) string {
	if group != "" {
		return groupRes(account, group)
	}
	return userRes(account, user)
}

// selfOrUser is the named user, or the caller when the name is left out.
func selfOrUser(account, name string) string {
	if name == "" {
		return ""
	}
	return userRes(account, name)
}

// Roles.

func (in *createRoleInput) ResourceARN(a string) string {
	return entityARN(a, "role", in.Path, in.RoleName)
}
func (in *roleNameInput) ResourceARN(a string) string         { return roleRes(a, in.RoleName) }
func (in *putRolePolicyInput) ResourceARN(a string) string    { return roleRes(a, in.RoleName) }
func (in *rolePolicyInput) ResourceARN(a string) string       { return roleRes(a, in.RoleName) }
func (in *listRolePoliciesInput) ResourceARN(a string) string { return roleRes(a, in.RoleName) }
func (in *rolePolicyARNInput) ResourceARN(a string) string    { return roleRes(a, in.RoleName) }
func (in *listAttachedInput) ResourceARN(a string) string     { return roleRes(a, in.RoleName) }
func (in *updateRoleInput) ResourceARN(a string) string       { return roleRes(a, in.RoleName) }
func (in *updateRoleDescriptionInput) ResourceARN(a string) string {
	return roleRes(a, in.RoleName)
}
func (in *updateAssumeRolePolicyInput) ResourceARN(a string) string {
	return roleRes(a, in.RoleName)
}
func (in *tagRoleInput) ResourceARN(a string) string      { return roleRes(a, in.RoleName) }
func (in *untagRoleInput) ResourceARN(a string) string    { return roleRes(a, in.RoleName) }
func (in *listRoleTagsInput) ResourceARN(a string) string { return roleRes(a, in.RoleName) }
func (in *putBoundaryInput) ResourceARN(a string) string  { return roleRes(a, in.RoleName) }

// Managed policies.

func (in *createPolicyInput) ResourceARN(a string) string {
	return entityARN(a, "policy", in.Path, in.PolicyName)
}
func (in *policyARNInput) ResourceARN(string) string           { return in.PolicyArn }
func (in *tagPolicyInput) ResourceARN(string) string           { return in.PolicyArn }
func (in *untagPolicyInput) ResourceARN(string) string         { return in.PolicyArn }
func (in *listPolicyTagsInput) ResourceARN(string) string      { return in.PolicyArn }
func (in *listEntitiesInput) ResourceARN(string) string        { return in.PolicyArn }
func (in *createPolicyVersionInput) ResourceARN(string) string { return in.PolicyArn }
func (in *policyVersionInput) ResourceARN(string) string       { return in.PolicyArn }
func (in *listPolicyVersionsInput) ResourceARN(string) string  { return in.PolicyArn }

// Users and groups.

func (in *createUserInput) ResourceARN(a string) string {
	return entityARN(a, "user", in.Path, in.UserName)
}
func (in *getUserInput) ResourceARN(a string) string           { return selfOrUser(a, in.UserName) }
func (in *userNameOptional) ResourceARN(a string) string       { return selfOrUser(a, in.UserName) }
func (in *userNameInput) ResourceARN(a string) string          { return userRes(a, in.UserName) }
func (in *updateUserInput) ResourceARN(a string) string        { return userRes(a, in.UserName) }
func (in *tagUserInput) ResourceARN(a string) string           { return userRes(a, in.UserName) }
func (in *untagUserInput) ResourceARN(a string) string         { return userRes(a, in.UserName) }
func (in *listUserTagsInput) ResourceARN(a string) string      { return userRes(a, in.UserName) }
func (in *boundaryInput) ResourceARN(a string) string          { return userRes(a, in.UserName) }
func (in *listGroupsForUserInput) ResourceARN(a string) string { return userRes(a, in.UserName) }
func (in *listAccessKeysInput) ResourceARN(a string) string    { return selfOrUser(a, in.UserName) }
func (in *updateAccessKeyInput) ResourceARN(a string) string   { return selfOrUser(a, in.UserName) }
func (in *accessKeyInput) ResourceARN(a string) string         { return selfOrUser(a, in.UserName) }
func (in *listMFAInput) ResourceARN(a string) string           { return selfOrUser(a, in.UserName) }
func (in *enableMFAInput) ResourceARN(a string) string         { return userRes(a, in.UserName) }
func (in *deactivateMFAInput) ResourceARN(a string) string     { return userRes(a, in.UserName) }
func (in *createGroupInput) ResourceARN(a string) string {
	return entityARN(a, "group", in.Path, in.GroupName)
}
func (in *getGroupInput) ResourceARN(a string) string    { return groupRes(a, in.GroupName) }
func (in *updateGroupInput) ResourceARN(a string) string { return groupRes(a, in.GroupName) }
func (in *groupNameInput) ResourceARN(a string) string   { return groupRes(a, in.GroupName) }
func (in *membershipInput) ResourceARN(a string) string  { return groupRes(a, in.GroupName) }
func (in *policyNameInput) ResourceARN(a string) string {
	return ownerRes(a, in.UserName, in.GroupName)
}
func (in *ownerPoliciesInput) ResourceARN(a string) string {
	return ownerRes(a, in.UserName, in.GroupName)
}
func (in *attachInput) ResourceARN(a string) string    { return ownerRes(a, in.UserName, in.GroupName) }
func (in *putPolicyInput) ResourceARN(a string) string { return ownerRes(a, in.UserName, in.GroupName) }

// MFA devices, identity providers.

func (in *createMFAInput) ResourceARN(a string) string {
	return entityARN(a, "mfa", in.Path, in.VirtualMFADeviceName)
}
func (in *serialInput) ResourceARN(string) string { return in.SerialNumber }
func (in *createSAMLInput) ResourceARN(a string) string {
	return entityARN(a, "saml-provider", "/", in.Name)
}
func (in *samlARNInput) ResourceARN(string) string { return in.SAMLProviderArn }
func (in *createOIDCInput) ResourceARN(a string) string {
	hostPath, err := iam.NormalizeOIDCURL(in.URL)
	if err != nil {
		return "*" // the operation refuses the URL
	}
	return entityARN(a, "oidc-provider", "/", hostPath)
}
func (in *oidcARNInput) ResourceARN(string) string { return in.OpenIDConnectProviderArn }
