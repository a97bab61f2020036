package e2e

import (
	"context"
	"encoding/base32"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/authn/totp"
)

// TestIAMUsersThroughTheAWSCLI runs the administrator's IAM chores with the
// real AWS CLI v2: a user with a policy and an access key that then signs
// as the user, a virtual MFA device enabled from the seed the CLI saves, a
// SAML and an OIDC identity provider, the account alias,
// and the refusal to delete a user who still has a key.
func TestIAMUsersThroughTheAWSCLI(t *testing.T) {
	s := start(t)
	cli := newAWSCLI(t, s)

	var created struct{ User struct{ Arn, UserId string } }
	cli.admin(t, &created, "iam", "create-user", "--user-name", "alice", "--path", "/eng/")
	if !strings.HasSuffix(created.User.Arn, ":user/eng/alice") || !strings.HasPrefix(created.User.UserId, "AIDA") {
		t.Errorf("create-user = %+v", created.User)
	}
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	cli.admin(t, nil, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "read", "--policy-document", doc)
	var policy struct{ PolicyDocument map[string]any }
	cli.admin(t, &policy, "iam", "get-user-policy", "--user-name", "alice", "--policy-name", "read")
	if policy.PolicyDocument["Version"] != "2012-10-17" {
		t.Errorf("get-user-policy decoded to %v, want the document back", policy.PolicyDocument)
	}

	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey, Status string }
	}
	cli.admin(t, &key, "iam", "create-access-key", "--user-name", "alice")
	if key.AccessKey.Status != "Active" || len(key.AccessKey.SecretAccessKey) != 40 {
		t.Errorf("create-access-key = %+v", key.AccessKey)
	}
	who := cli.asKey(t, key.AccessKey.AccessKeyId, key.AccessKey.SecretAccessKey, "sts", "get-caller-identity")
	if !strings.Contains(who, `"Arn": "arn:aws:iam::`) || !strings.Contains(who, ":user/eng/alice") {
		t.Errorf("alice's key signs as %s", who)
	}
	out := cli.mustFail(t, "iam", "delete-user", "--user-name", "alice", "--profile", app.AdminProfile, "--region", "us-east-1")
	if !strings.Contains(out, "DeleteConflict") || !strings.Contains(out, "must delete access keys first") {
		t.Errorf("delete-user with a key: %s", out)
	}

	enableMFAWithTheCLI(t, cli)

	metadata, err := filepath.Abs(filepath.Join("..", "aws", "iamapi", "testdata", "idp-metadata.xml"))
	must(t, err)
	var saml struct{ SAMLProviderArn string }
	cli.admin(t, &saml, "iam", "create-saml-provider", "--name", "okta", "--saml-metadata-document", "file://"+metadata)
	if !strings.HasSuffix(saml.SAMLProviderArn, ":saml-provider/okta") {
		t.Errorf("create-saml-provider = %s", saml.SAMLProviderArn)
	}
	var oidc struct{ OpenIDConnectProviderArn string }
	cli.admin(t, &oidc, "iam", "create-open-id-connect-provider", "--url", "https://token.actions.githubusercontent.com",
		"--client-id-list", "sts.amazonaws.com", "--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1")
	var got struct{ Url string }
	cli.admin(t, &got, "iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", oidc.OpenIDConnectProviderArn)
	if got.Url != "token.actions.githubusercontent.com" {
		t.Errorf("get-open-id-connect-provider Url = %q", got.Url)
	}
	cli.admin(t, nil, "iam", "create-account-alias", "--account-alias", "acme-e2e")
	var aliases struct{ AccountAliases []string }
	cli.admin(t, &aliases, "iam", "list-account-aliases")
	if len(aliases.AccountAliases) != 1 || aliases.AccountAliases[0] != "acme-e2e" {
		t.Errorf("list-account-aliases = %v", aliases.AccountAliases)
	}
}

// TestIAMUsersThroughBoto3 manages a user with boto3: its policy comes back
// decoded, its key and MFA device seed are what AWS hands out, and a user
// with a key is not deleted.
func TestIAMUsersThroughBoto3(t *testing.T) {
	s := start(t)
	cli := newAWSCLI(t, s)
	out := cli.runBoto3(t, s, "boto3_iam_users.py", []string{"iam/2010-05-08"})
	var got struct {
		Policy       map[string]any `json:"policy"`
		KeyStatus    string         `json:"key_status"`
		SecretLength int            `json:"secret_length"`
		SeedLength   int            `json:"seed_length"`
		PNGMagic     string         `json:"png_magic"`
		Conflict     string         `json:"conflict"`
		Users        []string       `json:"users"`
	}
	must(t, json.Unmarshal(out, &got))
	if got.Policy["Version"] != "2012-10-17" || got.KeyStatus != "Active" || got.SecretLength != 40 {
		t.Errorf("policy %v, key %s with a %d-character secret", got.Policy, got.KeyStatus, got.SecretLength)
	}
	if got.SeedLength != 32 || got.PNGMagic != "89504e47" {
		t.Errorf("MFA seed of %d characters, QR code starting %s; want 32 base32 characters and a PNG", got.SeedLength, got.PNGMagic)
	}
	if got.Conflict != "DeleteConflict" || len(got.Users) != 1 || got.Users[0] != "dora" {
		t.Errorf("delete-user refused with %q; users under /ops/ = %v", got.Conflict, got.Users)
	}
}

// asKey runs a CLI command signed with an access key instead of a profile.
func (c *awsCLI) asKey(t *testing.T, id, secret string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	cmd := c.command(ctx, []string{"AWS_ACCESS_KEY_ID=" + id, "AWS_SECRET_ACCESS_KEY=" + secret},
		append(args, "--region", "us-east-1", "--output", "json")...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws %s as %s: %v\n%s", strings.Join(args, " "), id, err, out)
	}
	return string(out)
}

// enableMFAWithTheCLI creates a virtual MFA device, reads its seed from the
// file the CLI writes, and enables it for alice with two consecutive codes.
func enableMFAWithTheCLI(t *testing.T, cli *awsCLI) {
	t.Helper()
	seedFile := filepath.Join(cli.home, "seed.txt")
	var dev struct{ VirtualMFADevice struct{ SerialNumber string } }
	cli.admin(t, &dev, "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice-phone",
		"--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")
	b32, err := os.ReadFile(seedFile)
	must(t, err)
	seed, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimSpace(string(b32)))
	must(t, err)
	now := time.Now()
	cli.admin(t, nil, "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", dev.VirtualMFADevice.SerialNumber,
		"--authentication-code1", totp.Code(seed, now.Add(-totp.Period)), "--authentication-code2", totp.Code(seed, now))
	var mine struct {
		MFADevices []struct{ SerialNumber string }
	}
	cli.admin(t, &mine, "iam", "list-mfa-devices", "--user-name", "alice")
	if len(mine.MFADevices) != 1 || mine.MFADevices[0].SerialNumber != dev.VirtualMFADevice.SerialNumber {
		t.Errorf("list-mfa-devices = %+v, want %s", mine.MFADevices, dev.VirtualMFADevice.SerialNumber)
	}
}
