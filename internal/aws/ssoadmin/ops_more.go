package ssoadmin

import "github.com/keyward/keyward/internal/aws/gateway"

// addMoreOps adds the operations beyond permission sets' AWS managed and
// inline policies, assignments and provisioning.
func (s *Service) addMoreOps(ops map[string]gateway.Operation) {
	more := map[string]gateway.Operation{
		"AttachCustomerManagedPolicyReferenceToPermissionSet":   gateway.Op(s.attachCustomerPolicy),
		"DetachCustomerManagedPolicyReferenceFromPermissionSet": gateway.Op(s.detachCustomerPolicy),
		"ListCustomerManagedPolicyReferencesInPermissionSet":    gateway.Op(s.listCustomerPolicies),
		"PutPermissionsBoundaryToPermissionSet":                 gateway.Op(s.putBoundary),
		"GetPermissionsBoundaryForPermissionSet":                gateway.Op(s.getBoundary),
		"DeletePermissionsBoundaryFromPermissionSet":            gateway.Op(s.deleteBoundary),
		"CreateInstanceAccessControlAttributeConfiguration":     gateway.Op(s.createAccessControl),
		"DescribeInstanceAccessControlAttributeConfiguration":   gateway.Op(s.describeAccessControl),
		"UpdateInstanceAccessControlAttributeConfiguration":     gateway.Op(s.updateAccessControl),
		"DeleteInstanceAccessControlAttributeConfiguration":     gateway.Op(s.deleteAccessControl),
		"TagResource":                         gateway.Op(s.tagResource),
		"UntagResource":                       gateway.Op(s.untagResource),
		"DescribeInstance":                    gateway.Op(s.describeInstance),
		"UpdateInstance":                      gateway.Op(s.updateInstance),
		"CreateInstance":                      gateway.Op(s.createInstance),
		"ListAccountAssignmentsForPrincipal":  gateway.Op(s.listPrincipalAssignments),
		"ListAccountAssignmentCreationStatus": gateway.Op(s.listCreationStatus),
		"ListAccountAssignmentDeletionStatus": gateway.Op(s.listDeletionStatus),
		"ListPermissionSetProvisioningStatus": gateway.Op(s.listProvisioningStatus),
		"ListApplications":                    gateway.Op(s.listApplications),
		"ListTrustedTokenIssuers":             gateway.Op(s.listTrustedTokenIssuers),
	}
	for name, op := range more {
		ops[name] = op
	}
}
