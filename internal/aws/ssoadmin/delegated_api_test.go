package ssoadmin_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// delegate registers the member account as Identity Center's delegated
// administrator.
func (s *server) delegate(t *testing.T) {
	t.Helper()
	must(t, s.db.RegisterDelegatedAdmin(s.ctx, ic.DelegatedAdmin{AccountID: s.account, ServicePrincipal: "sso.amazonaws.com",
		EnabledAt: time.Now().UTC()}, 1))
}

func accessDenied(msg string) refusal {
	return refusal{http.StatusBadRequest, "AccessDeniedException", msg}
}

func TestAMemberAccountThatIsNotTheDelegatedAdministratorCannotAdministerTheInstance(t *testing.T) {
	s := newServerWith(t, allowAll)
	member, _ := s.sessionClient(s.account)
	_, err := member.ListPermissionSets(s.ctx, &sdk.ListPermissionSetsInput{InstanceArn: s.inst})
	refused(t, err, accessDenied("is neither the management account nor the delegated administrator"))
	t.Run("and it lists no instance", func(t *testing.T) {
		out, err := member.ListInstances(s.ctx, &sdk.ListInstancesInput{})
		must(t, err)
		if len(out.Instances) != 0 {
			t.Errorf("instances %+v, want none", out.Instances)
		}
	})
}

func TestTheDelegatedAdministratorManagesAllButAccessToTheManagementAccount(t *testing.T) {
	s := newServerWith(t, allowAll)
	s.delegate(t)
	member, _ := s.sessionClient(s.account)
	mgmt := s.boot.Organization.ManagementAccountID
	mine, err := member.CreatePermissionSet(s.ctx, &sdk.CreatePermissionSetInput{InstanceArn: s.inst, Name: aws.String("Delegated")})
	must(t, err)
	ps := mine.PermissionSet.PermissionSetArn
	t.Run("it assigns and provisions on a member account", func(t *testing.T) {
		st, err := s.assignAs(member, s.userGrant(ps))
		must(t, err)
		if st.Status != types.StatusValuesSucceeded {
			t.Errorf("assignment %s", st.Status)
		}
		_, err = member.ProvisionPermissionSet(s.ctx, &sdk.ProvisionPermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps,
			TargetType: types.ProvisionTargetTypeAwsAccount, TargetId: &s.account})
		must(t, err)
	})
	t.Run("it cannot assign access to the management account", func(t *testing.T) {
		g := s.userGrant(ps)
		g.account = mgmt
		_, err := s.assignAs(member, g)
		refused(t, err, accessDenied("cannot manage access to the management account"))
	})
	t.Run("it cannot provision into the management account", func(t *testing.T) {
		_, err := member.ProvisionPermissionSet(s.ctx, &sdk.ProvisionPermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps,
			TargetType: types.ProvisionTargetTypeAwsAccount, TargetId: &mgmt})
		refused(t, err, accessDenied("cannot manage access to the management account"))
	})
	t.Run("it cannot change a permission set provisioned to the management account", func(t *testing.T) {
		g := s.userGrant(ps)
		g.account = mgmt
		_, err := s.assign(g) // the management account may
		must(t, err)
		_, err = member.PutInlinePolicyToPermissionSet(s.ctx, &sdk.PutInlinePolicyToPermissionSetInput{InstanceArn: s.inst,
			PermissionSetArn: ps, InlinePolicy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
		refused(t, err, accessDenied("cannot change a permission set provisioned to the management account"))
		_, err = member.DeletePermissionSet(s.ctx, &sdk.DeletePermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps})
		refused(t, err, accessDenied("cannot change a permission set provisioned to the management account"))
	})
	t.Run("it lists the instance", func(t *testing.T) {
		out, err := member.ListInstances(s.ctx, &sdk.ListInstancesInput{})
		must(t, err)
		if len(out.Instances) != 1 || aws.ToString(out.Instances[0].InstanceArn) != *s.inst {
			t.Errorf("instances %+v, want %s", out.Instances, *s.inst)
		}
	})
	t.Run("it cannot list a principal's assignments, which only the management account may", func(t *testing.T) {
		_, err := member.ListAccountAssignmentsForPrincipal(s.ctx, &sdk.ListAccountAssignmentsForPrincipalInput{InstanceArn: s.inst,
			PrincipalType: types.PrincipalTypeUser, PrincipalId: &s.user})
		refused(t, err, accessDenied("must be called from the management account"))
	})
	t.Run("it still reads that permission set", func(t *testing.T) {
		_, err := member.DescribePermissionSet(s.ctx, &sdk.DescribePermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps})
		must(t, err)
	})
}
