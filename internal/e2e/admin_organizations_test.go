package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/app"
)

// denyDeleteRoleSCP is the SCP the administrator stories attach.
const denyDeleteRoleSCP = `{"Version":"2012-10-17","Statement":[{"Sid":"NoRoleDeletion","Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}`

// TestAnAdministratorShapesTheOrganizationWithTheAWSCLI is the Organizations
// story an automation script plays with the real AWS CLI v2: an OU, an
// account moved into it, an SCP denying iam:DeleteRole attached to it, a
// delegated administrator for IAM Identity Center and tags.
func TestAnAdministratorShapesTheOrganizationWithTheAWSCLI(t *testing.T) {
	s := start(t)
	c := newAWSCLI(t, s)
	acct := c.setUpOrg(t).AccountID

	var roots struct{ Roots []struct{ Id, Name string } }
	c.admin(t, &roots, "organizations", "list-roots")
	root := roots.Roots[0].Id
	var ou struct {
		OrganizationalUnit struct{ Id, Name, Arn string }
	}
	c.admin(t, &ou, "organizations", "create-organizational-unit", "--parent-id", root, "--name", "Workloads",
		"--tags", "Key=env,Value=prod")
	ouID := ou.OrganizationalUnit.Id
	if !strings.HasPrefix(ouID, "ou-"+strings.TrimPrefix(root, "r-")+"-") || !strings.HasSuffix(ou.OrganizationalUnit.Arn, "/"+ouID) {
		t.Fatalf("create-organizational-unit returned %+v under root %s", ou.OrganizationalUnit, root)
	}
	c.admin(t, nil, "organizations", "move-account", "--account-id", acct, "--source-parent-id", root, "--destination-parent-id", ouID)
	var parents struct{ Parents []struct{ Id, Type string } }
	c.admin(t, &parents, "organizations", "list-parents", "--child-id", acct)
	equal(t, "parents", []string{ouID + " ORGANIZATIONAL_UNIT"}, []string{parents.Parents[0].Id + " " + parents.Parents[0].Type})

	c.admin(t, nil, "organizations", "enable-policy-type", "--root-id", root, "--policy-type", "SERVICE_CONTROL_POLICY")
	var pol struct {
		Policy struct{ PolicySummary struct{ Id, Name string } }
	}
	c.admin(t, &pol, "organizations", "create-policy", "--name", "NoRoleDeletion", "--description", "Keeps roles",
		"--type", "SERVICE_CONTROL_POLICY", "--content", denyDeleteRoleSCP)
	c.admin(t, nil, "organizations", "attach-policy", "--policy-id", pol.Policy.PolicySummary.Id, "--target-id", ouID)
	equal(t, "SCPs on the OU", []string{"FullAWSAccess", "NoRoleDeletion"}, c.policyNames(t, ouID))
	equal(t, "SCPs on the account", []string{"FullAWSAccess"}, c.policyNames(t, acct))

	c.admin(t, nil, "organizations", "enable-aws-service-access", "--service-principal", "sso.amazonaws.com")
	c.admin(t, nil, "organizations", "register-delegated-administrator", "--account-id", acct, "--service-principal", "sso.amazonaws.com")
	var admins struct{ DelegatedAdministrators []struct{ Id, Name string } }
	c.admin(t, &admins, "organizations", "list-delegated-administrators", "--service-principal", "sso.amazonaws.com")
	equal(t, "delegated administrators", []string{acct + " Dev"}, []string{admins.DelegatedAdministrators[0].Id + " " + admins.DelegatedAdministrators[0].Name})

	c.admin(t, nil, "organizations", "tag-resource", "--resource-id", acct, "--tags", "Key=team,Value=platform")
	var tags struct{ Tags []struct{ Key, Value string } }
	c.admin(t, &tags, "organizations", "list-tags-for-resource", "--resource-id", ouID)
	equal(t, "OU tags", []string{"env=prod"}, []string{tags.Tags[0].Key + "=" + tags.Tags[0].Value})
	c.admin(t, &tags, "organizations", "list-tags-for-resource", "--resource-id", acct)
	equal(t, "account tags", []string{"team=platform"}, []string{tags.Tags[0].Key + "=" + tags.Tags[0].Value})

	for _, tc := range []struct {
		name, code string
		args       []string
	}{
		{"deleting the OU that holds the account", "OrganizationalUnitNotEmptyException",
			[]string{"delete-organizational-unit", "--organizational-unit-id", ouID}},
		{"registering the management account", "ConstraintViolationException",
			[]string{"register-delegated-administrator", "--account-id", c.managementAccount(t), "--service-principal", "sso.amazonaws.com"}},
		{"deleting an attached policy", "PolicyInUseException", []string{"delete-policy", "--policy-id", pol.Policy.PolicySummary.Id}},
	} {
		t.Run(tc.name+" fails with "+tc.code, func(t *testing.T) {
			out := c.mustFail(t, append(append([]string{"organizations"}, tc.args...), "--profile", app.AdminProfile, "--region", "us-east-1")...)
			if !strings.Contains(out, "("+tc.code+")") {
				t.Errorf("the CLI printed %q, want the error %s", out, tc.code)
			}
		})
	}
}

// policyNames lists the names of the SCPs attached to a target.
func (c *awsCLI) policyNames(t *testing.T, target string) []string {
	t.Helper()
	var out struct{ Policies []struct{ Name string } }
	c.admin(t, &out, "organizations", "list-policies-for-target", "--target-id", target, "--filter", "SERVICE_CONTROL_POLICY")
	var names []string
	for _, p := range out.Policies {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	return names
}

func (c *awsCLI) managementAccount(t *testing.T) string {
	t.Helper()
	var org struct {
		Organization struct{ MasterAccountId string }
	}
	c.admin(t, &org, "organizations", "describe-organization")
	return org.Organization.MasterAccountId
}

// TestBoto3ShapesTheOrganization runs testdata/boto3_organizations.py,
// which calls Organizations with boto3 as the operator (endpoint_url set on
// the client, as boto3 users do) and prints what it saw.
func TestBoto3ShapesTheOrganization(t *testing.T) {
	s := start(t)
	py := findBoto3(t)
	script, err := filepath.Abs(filepath.Join("testdata", "boto3_organizations.py"))
	must(t, err)
	env := []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "KEYWARD_URL=" + s.url,
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(s.dataDir, app.BootstrapCredentialsFile),
		"AWS_PROFILE=" + app.AdminProfile, "AWS_DEFAULT_REGION=us-east-1", "AWS_EC2_METADATA_DISABLED=true"}
	if py.UserBase != "" {
		env = append(env, "PYTHONUSERBASE="+py.UserBase)
	}
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, py.Executable, script)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s (botocore %s): %v\nstdout:\n%s\nstderr:\n%s", py.Executable, script, py.Botocore, err, stdout.String(), stderr.String())
	}
	var got struct {
		PolicyTypes []string `json:"policy_types"`
		Policies    []string `json:"policies"`
		Tags        []string `json:"tags"`
		Duplicate   string   `json:"duplicate"`
		Immutable   string   `json:"immutable"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("boto3 printed %q: %v", stdout.String(), err)
	}
	equal(t, "what boto3 saw", struct {
		PolicyTypes, Policies, Tags []string
		Duplicate, Immutable        string
	}{[]string{"SERVICE_CONTROL_POLICY"}, []string{"FullAWSAccess", "NoRoleDeletion"}, []string{"env=prod"},
		"DuplicateOrganizationalUnitException", "InvalidInputException IMMUTABLE_POLICY"},
		struct {
			PolicyTypes, Policies, Tags []string
			Duplicate, Immutable        string
		}{got.PolicyTypes, got.Policies, got.Tags, got.Duplicate, got.Immutable})
}
