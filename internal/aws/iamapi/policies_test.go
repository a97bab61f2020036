package iamapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

func (s *server) createPolicy(t *testing.T, name string) *types.Policy {
	t.Helper()
	out, err := s.admin.CreatePolicy(s.ctx, &sdk.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(allowS3),
		Description: aws.String("reads objects"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	must(t, err)
	return out.Policy
}

func TestInlinePoliciesArePutReadListedAndDeleted(t *testing.T) {
	s := newServer(t)
	s.createRole(t, "app", "/")
	for _, name := range []string{"s3", "logs"} {
		_, err := s.admin.PutRolePolicy(s.ctx, &sdk.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String(name), PolicyDocument: aws.String(allowS3)})
		must(t, err)
	}
	got, err := s.admin.GetRolePolicy(s.ctx, &sdk.GetRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("s3")})
	must(t, err)
	if decoded(t, got.PolicyDocument) != allowS3 || aws.ToString(got.RoleName) != "app" {
		t.Errorf("GetRolePolicy = %+v, want the document put", got)
	}
	names, err := s.admin.ListRolePolicies(s.ctx, &sdk.ListRolePoliciesInput{RoleName: aws.String("app")})
	must(t, err)
	if diff := cmp.Diff([]string{"logs", "s3"}, names.PolicyNames); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	_, err = s.admin.DeleteRole(s.ctx, &sdk.DeleteRoleInput{RoleName: aws.String("app")})
	refused(t, err, deleteConflict("Cannot delete entity, must delete policies first."))
	for _, name := range names.PolicyNames {
		_, err := s.admin.DeleteRolePolicy(s.ctx, &sdk.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String(name)})
		must(t, err)
	}
	_, err = s.admin.GetRolePolicy(s.ctx, &sdk.GetRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("s3")})
	refused(t, err, noSuchEntity("The role policy with name s3 cannot be found."))
	_, err = s.admin.PutRolePolicy(s.ctx, &sdk.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("big"),
		PolicyDocument: aws.String(strings.Replace(allowS3, `"Action"`, `"Sid":"`+strings.Repeat("a", 10240)+`","Action"`, 1))})
	refused(t, err, limitExceeded("Maximum policy size of 10240 bytes exceeded for role app"))
}

func TestManagedPoliciesAreAttachedCountedAndBlockDeletion(t *testing.T) {
	s := newServer(t)
	s.createRole(t, "app", "/")
	own := s.createPolicy(t, "reader")
	for _, arn := range []string{readOnly, aws.ToString(own.Arn)} {
		_, err := s.admin.AttachRolePolicy(s.ctx, &sdk.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)})
		must(t, err)
	}
	attached, err := s.admin.ListAttachedRolePolicies(s.ctx, &sdk.ListAttachedRolePoliciesInput{RoleName: aws.String("app")})
	must(t, err)
	if len(attached.AttachedPolicies) != 2 || aws.ToString(attached.AttachedPolicies[1].PolicyName) != "ReadOnlyAccess" {
		t.Errorf("attached = %+v, want reader and ReadOnlyAccess", attached.AttachedPolicies)
	}
	got, err := s.admin.GetPolicy(s.ctx, &sdk.GetPolicyInput{PolicyArn: own.Arn})
	must(t, err)
	if aws.ToInt32(got.Policy.AttachmentCount) != 1 || aws.ToString(got.Policy.DefaultVersionId) != "v1" || len(got.Policy.Tags) != 1 {
		t.Errorf("GetPolicy = %+v, want one attachment, v1 and its tag", got.Policy)
	}
	_, err = s.admin.DeleteRole(s.ctx, &sdk.DeleteRoleInput{RoleName: aws.String("app")})
	refused(t, err, deleteConflict("Cannot delete entity, must detach all policies first."))
	_, err = s.admin.DeletePolicy(s.ctx, &sdk.DeletePolicyInput{PolicyArn: own.Arn})
	refused(t, err, deleteConflict("Cannot delete a policy attached to entities."))
	ents, err := s.admin.ListEntitiesForPolicy(s.ctx, &sdk.ListEntitiesForPolicyInput{PolicyArn: aws.String(readOnly)})
	must(t, err)
	if len(ents.PolicyRoles) != 1 || aws.ToString(ents.PolicyRoles[0].RoleName) != "app" {
		t.Errorf("entities = %+v, want the role app", ents.PolicyRoles)
	}
	_, err = s.admin.AttachRolePolicy(s.ctx, &sdk.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
	refused(t, err, noSuchEntity("Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable."))
	for _, arn := range []string{readOnly, aws.ToString(own.Arn)} {
		_, err := s.admin.DetachRolePolicy(s.ctx, &sdk.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)})
		must(t, err)
	}
	_, err = s.admin.DetachRolePolicy(s.ctx, &sdk.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(readOnly)})
	refused(t, err, noSuchEntity("Policy "+readOnly+" was not found."))
	_, err = s.admin.DeletePolicy(s.ctx, &sdk.DeletePolicyInput{PolicyArn: own.Arn})
	must(t, err)
	_, err = s.admin.DeleteRole(s.ctx, &sdk.DeleteRoleInput{RoleName: aws.String("app")})
	must(t, err)
}

func TestPolicyVersionsAreCreatedMadeDefaultAndDeleted(t *testing.T) {
	s := newServer(t)
	p := s.createPolicy(t, "reader")
	v2doc := strings.Replace(allowS3, "GetObject", "PutObject", 1)
	for i := 2; i <= 5; i++ {
		out, err := s.admin.CreatePolicyVersion(s.ctx, &sdk.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: aws.String(v2doc), SetAsDefault: i == 2})
		must(t, err)
		if aws.ToString(out.PolicyVersion.VersionId) != "v"+string(rune('0'+i)) || out.PolicyVersion.IsDefaultVersion != (i == 2) {
			t.Errorf("version %d = %+v", i, out.PolicyVersion)
		}
	}
	_, err := s.admin.CreatePolicyVersion(s.ctx, &sdk.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: aws.String(v2doc)})
	refused(t, err, limitExceeded("A managed policy can have up to 5 versions."))
	v, err := s.admin.GetPolicyVersion(s.ctx, &sdk.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v2")})
	must(t, err)
	if decoded(t, v.PolicyVersion.Document) != v2doc || !v.PolicyVersion.IsDefaultVersion {
		t.Errorf("v2 = %+v, want the new default document", v.PolicyVersion)
	}
	_, err = s.admin.DeletePolicyVersion(s.ctx, &sdk.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v2")})
	refused(t, err, deleteConflict("Cannot delete the default version of a policy."))
	_, err = s.admin.DeletePolicy(s.ctx, &sdk.DeletePolicyInput{PolicyArn: p.Arn})
	refused(t, err, deleteConflict("This policy has more than one version."))
	_, err = s.admin.SetDefaultPolicyVersion(s.ctx, &sdk.SetDefaultPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v9")})
	refused(t, err, noSuchEntity("version v9 does not exist"))
	must(t, s.deleteVersions(t, p.Arn, "v1", "v3", "v4", "v5"))
	versions, err := s.admin.ListPolicyVersions(s.ctx, &sdk.ListPolicyVersionsInput{PolicyArn: p.Arn})
	must(t, err)
	if len(versions.Versions) != 1 || aws.ToString(versions.Versions[0].VersionId) != "v2" {
		t.Errorf("versions = %+v, want only v2", versions.Versions)
	}
	_, err = s.admin.DeletePolicy(s.ctx, &sdk.DeletePolicyInput{PolicyArn: p.Arn})
	must(t, err)
	_, err = s.admin.GetPolicy(s.ctx, &sdk.GetPolicyInput{PolicyArn: p.Arn})
	refused(t, err, noSuchEntity("does not exist or is not attachable"))
}

func (s *server) deleteVersions(t *testing.T, arn *string, ids ...string) error {
	t.Helper()
	for _, id := range ids {
		if _, err := s.admin.DeletePolicyVersion(s.ctx, &sdk.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String(id)}); err != nil {
			return err
		}
	}
	return nil
}

func TestPoliciesAreListedByScopeAndUse(t *testing.T) {
	s := newServer(t)
	s.createPolicy(t, "reader")
	s.createRole(t, "app", "/")
	_, err := s.admin.AttachRolePolicy(s.ctx, &sdk.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(readOnly)})
	must(t, err)
	local, err := s.admin.ListPolicies(s.ctx, &sdk.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	must(t, err)
	if len(local.Policies) != 1 || aws.ToString(local.Policies[0].PolicyName) != "reader" || local.IsTruncated {
		t.Errorf("local = %+v, want reader alone", local.Policies)
	}
	attached, err := s.admin.ListPolicies(s.ctx, &sdk.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, OnlyAttached: true})
	must(t, err)
	if len(attached.Policies) != 1 || aws.ToString(attached.Policies[0].Arn) != readOnly || aws.ToInt32(attached.Policies[0].AttachmentCount) != 1 {
		t.Errorf("attached AWS policies = %+v, want ReadOnlyAccess once", attached.Policies)
	}
	all, err := s.admin.ListPolicies(s.ctx, &sdk.ListPoliciesInput{MaxItems: aws.Int32(2)})
	must(t, err)
	if len(all.Policies) != 2 || !all.IsTruncated || aws.ToString(all.Policies[0].PolicyName) != "reader" {
		t.Fatalf("first page of all = %+v, truncated %v; want reader then an AWS policy", all.Policies, all.IsTruncated)
	}
	next, err := s.admin.ListPolicies(s.ctx, &sdk.ListPoliciesInput{MaxItems: aws.Int32(2), Marker: all.Marker})
	must(t, err)
	if len(next.Policies) != 2 || aws.ToString(next.Policies[0].Arn) == aws.ToString(all.Policies[1].Arn) {
		t.Errorf("second page = %+v, want the next two AWS policies", next.Policies)
	}
	_, err = s.admin.ListPolicies(s.ctx, &sdk.ListPoliciesInput{Marker: aws.String("zzz")})
	refused(t, err, validation("Invalid Marker"))
	v, err := s.admin.GetPolicyVersion(s.ctx, &sdk.GetPolicyVersionInput{PolicyArn: aws.String(readOnly), VersionId: aws.String("v1")})
	must(t, err)
	if !strings.Contains(decoded(t, v.PolicyVersion.Document), `"Allow"`) {
		t.Errorf("ReadOnlyAccess v1 = %s, want its document", decoded(t, v.PolicyVersion.Document))
	}
}

func TestAWSManagedPoliciesCannotBeChanged(t *testing.T) {
	s := newServer(t)
	_, err := s.admin.CreatePolicyVersion(s.ctx, &sdk.CreatePolicyVersionInput{PolicyArn: aws.String(readOnly), PolicyDocument: aws.String(allowS3)})
	refused(t, err, invalidInput("AWS managed policy"))
	_, err = s.admin.DeletePolicy(s.ctx, &sdk.DeletePolicyInput{PolicyArn: aws.String(readOnly)})
	refused(t, err, invalidInput("AWS managed policy"))
	_, err = s.admin.CreatePolicy(s.ctx, &sdk.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(trustEC2)})
	refused(t, err, malformed(""))
	s.createPolicy(t, "dup")
	_, err = s.admin.CreatePolicy(s.ctx, &sdk.CreatePolicyInput{PolicyName: aws.String("DUP"), PolicyDocument: aws.String(allowS3)})
	refused(t, err, alreadyExists("A policy called DUP already exists. Duplicate names are not allowed."))
}
