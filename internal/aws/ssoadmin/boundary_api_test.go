package ssoadmin_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func (s *server) putBoundary(ps *string, b types.PermissionsBoundary) error {
	_, err := s.admin.PutPermissionsBoundaryToPermissionSet(s.ctx, &sdk.PutPermissionsBoundaryToPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps, PermissionsBoundary: &b})
	return err
}

func (s *server) getBoundary(ps *string) (*types.PermissionsBoundary, error) {
	out, err := s.admin.GetPermissionsBoundaryForPermissionSet(s.ctx, &sdk.GetPermissionsBoundaryForPermissionSetInput{
		InstanceArn: s.inst, PermissionSetArn: ps})
	if err != nil {
		return nil, err
	}
	return out.PermissionsBoundary, nil
}

var boundaryOpts = cmpopts.IgnoreUnexported(types.PermissionsBoundary{}, types.CustomerManagedPolicyReference{})

func TestAPermissionsBoundaryIsPutReadReplacedAndDeleted(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Bounded")
	t.Run("a permission set without a boundary has none to get", func(t *testing.T) {
		_, err := s.getBoundary(ps)
		refused(t, err, notFound("Could not find permissions boundary"))
	})
	for _, b := range []types.PermissionsBoundary{
		{ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/PowerUserAccess")},
		{CustomerManagedPolicyReference: ref("Guard", "/limits/")},
	} {
		must(t, s.putBoundary(ps, b))
		got, err := s.getBoundary(ps)
		must(t, err)
		if diff := cmp.Diff(&b, got, boundaryOpts); diff != "" {
			t.Errorf("boundary (-want +got):\n%s", diff)
		}
	}
	t.Run("putting a boundary makes the permission set outdated where it is provisioned", func(t *testing.T) {
		must(t, s.putBoundary(ps, types.PermissionsBoundary{ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))
		_, err := s.assign(s.userGrant(ps))
		must(t, err)
		s.checkOutdated(t, ps, s.account, false)
		must(t, s.putBoundary(ps, types.PermissionsBoundary{ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/PowerUserAccess")}))
		s.checkOutdated(t, ps, s.account, true)
	})
	t.Run("deleting the boundary leaves none", func(t *testing.T) {
		_, err := s.admin.DeletePermissionsBoundaryFromPermissionSet(s.ctx, &sdk.DeletePermissionsBoundaryFromPermissionSetInput{
			InstanceArn: s.inst, PermissionSetArn: ps})
		must(t, err)
		_, err = s.getBoundary(ps)
		refused(t, err, notFound("Could not find permissions boundary"))
	})
}

func TestABadPermissionsBoundaryIsRefused(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Bounded")
	for name, tc := range map[string]struct {
		b    types.PermissionsBoundary
		want refusal
	}{
		"both kinds of policy": {types.PermissionsBoundary{ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess"),
			CustomerManagedPolicyReference: ref("Guard", "")}, validation("not both")},
		"neither kind of policy":     {types.PermissionsBoundary{}, validation("needs ManagedPolicyArn or CustomerManagedPolicyReference")},
		"an unknown managed policy":  {types.PermissionsBoundary{ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")}, notFound("Could not find AWS managed policy")},
		"a customer policy bad name": {types.PermissionsBoundary{CustomerManagedPolicyReference: ref("bad name", "")}, validation("Name")},
	} {
		t.Run("a boundary naming "+name+" is refused", func(t *testing.T) {
			refused(t, s.putBoundary(ps, tc.b), tc.want)
			_, err := s.getBoundary(ps)
			refused(t, err, notFound("Could not find permissions boundary"))
		})
	}
}
