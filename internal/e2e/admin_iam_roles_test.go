package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/app"
)

const (
	iamTrustEC2 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	iamAllowS3  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
)

// iamRole is the part of the CLI's role output the test reads. The CLI
// decodes IAM's URL-encoded documents into JSON objects.
type iamRole struct {
	RoleName, Arn, Path      string
	AssumeRolePolicyDocument struct {
		Statement []struct{ Principal map[string]string }
	}
}

// TestIAMRolesAndPoliciesThroughTheAWSCLI drives a role and a customer
// managed policy through their life with the real AWS CLI v2.
func TestIAMRolesAndPoliciesThroughTheAWSCLI(t *testing.T) {
	s := start(t)
	c := newAWSCLI(t, s)
	var created struct{ Role iamRole }
	c.admin(t, &created, "iam", "create-role", "--role-name", "deploy", "--path", "/ci/",
		"--assume-role-policy-document", iamTrustEC2, "--tags", "Key=team,Value=platform")
	if !strings.HasSuffix(created.Role.Arn, ":role/ci/deploy") {
		t.Fatalf("create-role printed %+v", created.Role)
	}
	var got struct{ Role iamRole }
	c.admin(t, &got, "iam", "get-role", "--role-name", "deploy")
	if st := got.Role.AssumeRolePolicyDocument.Statement; len(st) != 1 || st[0].Principal["Service"] != "ec2.amazonaws.com" {
		t.Errorf("get-role's trust policy = %+v, want the decoded document", got.Role.AssumeRolePolicyDocument)
	}
	var roles struct{ Roles []iamRole }
	c.admin(t, &roles, "iam", "list-roles", "--path-prefix", "/ci/")
	if len(roles.Roles) != 1 || roles.Roles[0].RoleName != "deploy" {
		t.Errorf("list-roles = %+v, want deploy", roles.Roles)
	}

	c.admin(t, nil, "iam", "put-role-policy", "--role-name", "deploy", "--policy-name", "s3", "--policy-document", iamAllowS3)
	var inline struct {
		PolicyDocument struct{ Statement []struct{ Action string } }
	}
	c.admin(t, &inline, "iam", "get-role-policy", "--role-name", "deploy", "--policy-name", "s3")
	if st := inline.PolicyDocument.Statement; len(st) != 1 || st[0].Action != "s3:GetObject" {
		t.Errorf("get-role-policy = %+v, want the decoded document", inline)
	}

	var policy struct {
		Policy struct{ Arn, DefaultVersionId string }
	}
	c.admin(t, &policy, "iam", "create-policy", "--policy-name", "reader", "--policy-document", iamAllowS3)
	var version struct{ PolicyVersion struct{ VersionId string } }
	c.admin(t, &version, "iam", "create-policy-version", "--policy-arn", policy.Policy.Arn,
		"--policy-document", strings.Replace(iamAllowS3, "GetObject", "ListBucket", 1), "--set-as-default")
	if version.PolicyVersion.VersionId != "v2" {
		t.Errorf("create-policy-version = %+v, want v2", version)
	}
	c.admin(t, nil, "iam", "attach-role-policy", "--role-name", "deploy", "--policy-arn", policy.Policy.Arn)
	var attached struct{ AttachedPolicies []struct{ PolicyName string } }
	c.admin(t, &attached, "iam", "list-attached-role-policies", "--role-name", "deploy")
	if len(attached.AttachedPolicies) != 1 || attached.AttachedPolicies[0].PolicyName != "reader" {
		t.Errorf("list-attached-role-policies = %+v", attached)
	}

	out := c.mustFail(t, "iam", "delete-role", "--role-name", "deploy", "--profile", app.AdminProfile, "--region", "us-east-1")
	if !strings.Contains(out, "DeleteConflict") {
		t.Errorf("delete-role with policies printed %q, want DeleteConflict", out)
	}
	c.admin(t, nil, "iam", "detach-role-policy", "--role-name", "deploy", "--policy-arn", policy.Policy.Arn)
	c.admin(t, nil, "iam", "delete-role-policy", "--role-name", "deploy", "--policy-name", "s3")
	c.admin(t, nil, "iam", "delete-role", "--role-name", "deploy")
	out = c.mustFail(t, "iam", "get-role", "--role-name", "deploy", "--profile", app.AdminProfile, "--region", "us-east-1")
	if !strings.Contains(out, "NoSuchEntity") || !strings.Contains(out, "The role with name deploy cannot be found.") {
		t.Errorf("get-role after delete printed %q", out)
	}
}

// TestIAMRolesThroughBoto3 runs testdata/boto3_iam_roles.py: boto3 creates
// a role, reads its decoded documents, pages the list and sees a missing
// role as NoSuchEntity.
func TestIAMRolesThroughBoto3(t *testing.T) {
	s := start(t)
	py := findBoto3(t)
	script, err := filepath.Abs(filepath.Join("testdata", "boto3_iam_roles.py"))
	must(t, err)
	creds := s.adminCredentials()
	env := []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_ACCESS_KEY_ID=" + creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + creds.SecretAccessKey,
		"KEYWARD_IAM_ENDPOINT=" + s.url}
	if py.UserBase != "" {
		env = append(env, "PYTHONUSERBASE="+py.UserBase)
	}
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, py.Executable, script)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s (botocore %s): %v\nstdout:\n%s\nstderr:\n%s", script, py.Botocore, err, stdout.String(), stderr.String())
	}
	var got struct {
		TrustPrincipal, InlineAction, MissingCode string
		Listed                                    []string
	}
	must(t, json.Unmarshal(stdout.Bytes(), &got))
	if got.TrustPrincipal != "ec2.amazonaws.com" || got.InlineAction != "s3:GetObject" || got.MissingCode != "NoSuchEntity" ||
		strings.Join(got.Listed, ",") != "a,b,c" {
		t.Errorf("boto3 saw %+v", got)
	}
}
