package ssoadmin_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// sessionClient signs with a fresh role session in account, as STS would
// issue one, and returns it with the session's ARN.
func (s *server) sessionClient(account string) (*sdk.Client, string) {
	const roleName = "AWSReservedSSO_Admin_0123456789abcdef"
	c, err := s.auth.IssueSession(iam.Session{Kind: iam.KindAssumedRole, AccountID: account, RoleID: iam.NewRoleID(clock.Random),
		RoleName: roleName, RolePath: ic.RolePath, SessionName: "alice", Expires: time.Now().Add(time.Hour)})
	if err != nil {
		panic(err) // a fixed, valid session
	}
	client := s.client(aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken})
	return client, "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/alice"
}

// call is one SSO Admin operation, named as IAM names its action.
type call struct {
	action string
	do     func(c *sdk.Client) error
}

// adminCalls are operations of every kind a session might try on ps (which
// is assigned to the group), each of which would change or reveal something
// if allowed.
func (s *server) adminCalls(ps *string) []call {
	return []call{
		{"sso:ListInstances", func(c *sdk.Client) error {
			_, err := c.ListInstances(s.ctx, &sdk.ListInstancesInput{})
			return err
		}},
		{"sso:CreatePermissionSet", func(c *sdk.Client) error {
			_, err := c.CreatePermissionSet(s.ctx, &sdk.CreatePermissionSetInput{InstanceArn: s.inst, Name: aws.String("Backdoor")})
			return err
		}},
		{"sso:DescribePermissionSet", func(c *sdk.Client) error {
			_, err := c.DescribePermissionSet(s.ctx, &sdk.DescribePermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps})
			return err
		}},
		{"sso:AttachManagedPolicyToPermissionSet", func(c *sdk.Client) error {
			_, err := c.AttachManagedPolicyToPermissionSet(s.ctx, &sdk.AttachManagedPolicyToPermissionSetInput{InstanceArn: s.inst,
				PermissionSetArn: ps, ManagedPolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
			return err
		}},
		{"sso:PutInlinePolicyToPermissionSet", func(c *sdk.Client) error {
			_, err := c.PutInlinePolicyToPermissionSet(s.ctx, &sdk.PutInlinePolicyToPermissionSetInput{InstanceArn: s.inst,
				PermissionSetArn: ps, InlinePolicy: aws.String(denyIAM)})
			return err
		}},
		{"sso:CreateAccountAssignment", func(c *sdk.Client) error {
			_, err := s.assignAs(c, s.userGrant(ps))
			return err
		}},
		{"sso:DeleteAccountAssignment", func(c *sdk.Client) error {
			_, err := s.unassignAs(c, s.groupGrant(ps))
			return err
		}},
		{"sso:ProvisionPermissionSet", func(c *sdk.Client) error {
			_, err := c.ProvisionPermissionSet(s.ctx, &sdk.ProvisionPermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps,
				TargetType: types.ProvisionTargetTypeAllProvisionedAccounts})
			return err
		}},
		{"sso:DeletePermissionSet", func(c *sdk.Client) error {
			_, err := c.DeletePermissionSet(s.ctx, &sdk.DeletePermissionSetInput{InstanceArn: s.inst, PermissionSetArn: ps})
			return err
		}},
	}
}

func TestOnlyTheManagementAccountsRootMaySignSSOAdminCalls(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "DevOps")
	_, err := s.assign(s.groupGrant(ps))
	must(t, err)
	must(t, s.attach(ps, readOnlyARN)) // so that a ProvisionPermissionSet let through would change the role
	for _, caller := range []struct{ name, account string }{
		{"a role session in the management account", s.boot.Organization.ManagementAccountID},
		{"a role session in a member account", s.account},
	} {
		client, arn := s.sessionClient(caller.account)
		for _, c := range s.adminCalls(ps) {
			t.Run(caller.name+" is denied "+c.action+" and the denial is logged", func(t *testing.T) {
				before := s.state(t)
				refused(t, c.do(client), refusal{http.StatusBadRequest, "AccessDeniedException",
					"User: " + arn + " is not authorized to perform: " + c.action})
				s.onlyDenied(t, before, audit.Event{Action: "aws.request.deny", Outcome: audit.Deny, TargetType: "operation", TargetID: c.action,
					Actor:   audit.Actor{Type: "assumed-role", Name: arn},
					Message: "User: " + arn + " is not authorized to perform: " + c.action})
			})
		}
	}
}

// onlyDenied fails t unless the store holds before plus the one event want.
func (s *server) onlyDenied(t *testing.T, before state, want audit.Event) {
	t.Helper()
	after := s.state(t)
	if diff := cmp.Diff(before, after, cmpopts.IgnoreFields(state{}, "Events")); diff != "" {
		t.Errorf("a denied call changed the store (-before +after):\n%s", diff)
	}
	added := after.Events[:max(0, len(after.Events)-len(before.Events))] // newest first
	ignore := cmpopts.IgnoreFields(audit.Event{}, "ID", "Time", "Client", "Actor.ID", "Seq", "PrevHash", "Hash", "Detail")
	if diff := cmp.Diff([]audit.Event{want}, added, ignore); diff != "" {
		t.Errorf("events the denial logged (-want +got):\n%s", diff)
	}
	// The event names what was refused: the permission set, or the
	// instance; ListInstances names none.
	if len(added) == 1 && (want.TargetID == "sso:ListInstances") != !strings.HasPrefix(added[0].Detail["resource"], "arn:aws:sso:::") {
		t.Errorf("the denial of %s names the resource %q", want.TargetID, added[0].Detail["resource"])
	}
}
