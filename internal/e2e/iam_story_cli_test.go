package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// TestTheIAMStoryThroughTheAWSCLI is issue 8's story as far as it goes
// without federation, every step typed into the AWS CLI v2: the
// administrator shapes the organization (an OU with an SCP denying
// iam:DeleteRole, a delegated administrator), gives DevOps a customer
// managed policy and a boundary and turns on attributes for access
// control; alice, signed in with `aws sso login`, lists the account's
// roles, is refused iam:DeleteRole by the SCP with AWS's message, and
// assumes a role whose trust policy requires her department session tag.
func TestTheIAMStoryThroughTheAWSCLI(t *testing.T) {
	s := start(t)
	c := newAWSCLI(t, s)
	sdk := s.setUpStory() // alice in Developers, DevOps (AdministratorAccess) on Dev: the CLI story of awscli_test.go
	st := cliStory{AccountID: sdk.AccountID, InstanceARN: sdk.InstanceARN, IdentityStoreID: sdk.IdentityStoreID,
		UserID: sdk.UserID, GroupID: sdk.GroupID, PermissionSetARN: sdk.PermissionSetARN}

	// The organization: an OU holding Dev, an SCP on the OU, a delegated administrator.
	var roots struct{ Roots []struct{ Id string } }
	c.admin(t, &roots, "organizations", "list-roots")
	root := roots.Roots[0].Id
	var ou struct{ OrganizationalUnit struct{ Id string } }
	c.admin(t, &ou, "organizations", "create-organizational-unit", "--parent-id", root, "--name", "Workloads")
	c.admin(t, nil, "organizations", "move-account", "--account-id", st.AccountID, "--source-parent-id", root,
		"--destination-parent-id", ou.OrganizationalUnit.Id)
	c.admin(t, nil, "organizations", "enable-policy-type", "--root-id", root, "--policy-type", "SERVICE_CONTROL_POLICY")
	var scp struct {
		Policy struct{ PolicySummary struct{ Id string } }
	}
	c.admin(t, &scp, "organizations", "create-policy", "--name", "keep-roles", "--description", "no role deletion",
		"--type", "SERVICE_CONTROL_POLICY", "--content", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}`)
	c.admin(t, nil, "organizations", "attach-policy", "--policy-id", scp.Policy.PolicySummary.Id, "--target-id", ou.OrganizationalUnit.Id)
	c.admin(t, nil, "organizations", "enable-aws-service-access", "--service-principal", "sso.amazonaws.com")
	c.admin(t, nil, "organizations", "register-delegated-administrator", "--account-id", st.AccountID, "--service-principal", "sso.amazonaws.com")

	// In Dev, through its access role: a customer managed policy, a
	// boundary, and a role only sessions tagged department=Engineering may assume.
	dev := c.assumedProfile(t, "dev-admin", "arn:aws:iam::"+st.AccountID+":role/OrganizationAccountAccessRole")
	dev.run(t, "iam", "create-policy", "--policy-name", "DevOpsExtra", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)
	dev.run(t, "iam", "create-policy", "--policy-name", "DevBoundary", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","sts:*"],"Resource":"*"}]}`)
	dev.run(t, "iam", "create-role", "--role-name", "Deployer", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+st.AccountID+`:root"},`+
			`"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalTag/department":"Engineering"}}}]}`)
	for _, args := range [][]string{
		{"attach-customer-managed-policy-reference-to-permission-set", "--customer-managed-policy-reference", "Name=DevOpsExtra"},
		{"put-permissions-boundary-to-permission-set", "--permissions-boundary", "CustomerManagedPolicyReference={Name=DevBoundary}"},
		{"provision-permission-set", "--target-type", "AWS_ACCOUNT", "--target-id", st.AccountID},
	} {
		c.admin(t, nil, append(append([]string{"sso-admin"}, args[0], "--instance-arn", st.InstanceARN, "--permission-set-arn", st.PermissionSetARN), args[1:]...)...)
	}
	c.admin(t, nil, "sso-admin", "create-instance-access-control-attribute-configuration", "--instance-arn", st.InstanceARN,
		"--instance-access-control-attribute-configuration", `{"AccessControlAttributes":[{"Key":"department","Value":{"Source":["${path:enterprise.department}"]}}]}`)
	// The identity provider's SCIM push sets the department (issue 7's
	// story does it over SCIM); here it is written as that push would.
	_, err := s.main.Store.UpdateUser(context.Background(), st.UserID, func(u ic.User) (ic.User, error) {
		u.Enterprise.Department = "Engineering"
		return u, nil
	})
	must(t, err)

	// Alice signs in with aws sso login and works within her policies.
	c.writeDevProfile(t, s, st)
	c.ssoLogin(t, s, "dev")
	var roles struct{ Roles []struct{ RoleName string } }
	must(t, json.Unmarshal([]byte(c.mustRun(t, "iam", "list-roles", "--profile", "dev", "--output", "json")), &roles))
	names := map[string]bool{}
	for _, r := range roles.Roles {
		names[r.RoleName] = true
	}
	if !names["Deployer"] || !names["OrganizationAccountAccessRole"] {
		t.Errorf("alice's list-roles shows %v, want Deployer and OrganizationAccountAccessRole", names)
	}
	out := c.mustFail(t, "iam", "delete-role", "--role-name", "Deployer", "--profile", "dev")
	if !strings.Contains(out, "AccessDenied") || !strings.Contains(out, "iam:DeleteRole on resource: arn:aws:iam::"+st.AccountID+":role/Deployer with an explicit deny in a service control policy") {
		t.Errorf("delete-role printed\n%s\nwant AccessDenied by the service control policy", out)
	}
	var assumed struct{ AssumedRoleUser struct{ Arn string } }
	must(t, json.Unmarshal([]byte(c.mustRun(t, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+st.AccountID+":role/Deployer",
		"--role-session-name", "alice", "--profile", "dev", "--output", "json")), &assumed))
	if assumed.AssumedRoleUser.Arn != "arn:aws:sts::"+st.AccountID+":assumed-role/Deployer/alice" {
		t.Errorf("assume-role gave %q", assumed.AssumedRoleUser.Arn)
	}

	// Another department no longer satisfies the trust policy.
	_, err = s.main.Store.UpdateUser(context.Background(), st.UserID, func(u ic.User) (ic.User, error) {
		u.Enterprise.Department = "Sales"
		return u, nil
	})
	must(t, err)
	c.mustRun(t, "sso", "logout", "--profile", "dev")
	c.ssoLogin(t, s, "dev")
	out = c.mustFail(t, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+st.AccountID+":role/Deployer", "--role-session-name", "alice", "--profile", "dev")
	if !strings.Contains(out, "AccessDenied") || !strings.Contains(out, "role trust policy") {
		t.Errorf("assume-role from Sales printed\n%s\nwant AccessDenied by the role trust policy", out)
	}
}

// profileCLI runs the CLI with one named profile.
type profileCLI struct {
	c       *awsCLI
	profile string
}

func (p profileCLI) run(t *testing.T, args ...string) string {
	t.Helper()
	return p.c.mustRun(t, append(args, "--profile", p.profile, "--region", "us-east-1", "--output", "json")...)
}

// assumedProfile writes a profile that assumes roleARN from the admin
// profile, as an administrator's ~/.aws/config would.
func (c *awsCLI) assumedProfile(t *testing.T, name, roleARN string) profileCLI {
	t.Helper()
	conf := filepath.Join(c.home, ".aws", "config")
	old, _ := os.ReadFile(conf)
	prof := "\n[profile " + name + "]\nrole_arn = " + roleARN + "\nsource_profile = keyward-admin\nregion = us-east-1\n"
	must(t, os.MkdirAll(filepath.Dir(conf), 0o700))
	must(t, os.WriteFile(conf, append(old, prof...), 0o600))
	return profileCLI{c: c, profile: name}
}
