package e2e

import (
	"context"
	"encoding/base32"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/totp"
)

type stsCredentials struct {
	Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
}

// withKeys runs a CLI command signed with (temporary) credentials and
// returns its output and whether it succeeded.
func (c *awsCLI) withKeys(t *testing.T, id, secret, token string, args ...string) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	env := []string{"AWS_ACCESS_KEY_ID=" + id, "AWS_SECRET_ACCESS_KEY=" + secret}
	if token != "" {
		env = append(env, "AWS_SESSION_TOKEN="+token)
	}
	out, err := c.command(ctx, env, append(args, "--region", "us-east-1", "--output", "json")...).CombinedOutput()
	return string(out), err == nil
}

// userWithMFA creates alice with an access key and an enabled virtual MFA
// device, and returns the key, the device's serial and its seed.
func userWithMFA(t *testing.T, cli *awsCLI) (id, secret, serial string, seed []byte) {
	t.Helper()
	cli.admin(t, nil, "iam", "create-user", "--user-name", "alice")
	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	cli.admin(t, &key, "iam", "create-access-key", "--user-name", "alice")
	seedFile := filepath.Join(cli.home, "seed.txt")
	var dev struct{ VirtualMFADevice struct{ SerialNumber string } }
	cli.admin(t, &dev, "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice-phone",
		"--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")
	b32, err := os.ReadFile(seedFile)
	must(t, err)
	seed, err = base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimSpace(string(b32)))
	must(t, err)
	now := time.Now()
	cli.admin(t, nil, "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", dev.VirtualMFADevice.SerialNumber,
		"--authentication-code1", totp.Code(seed, now.Add(-totp.Period)), "--authentication-code2", totp.Code(seed, now))
	return key.AccessKey.AccessKeyId, key.AccessKey.SecretAccessKey, dev.VirtualMFADevice.SerialNumber, seed
}

func TestSessionAndFederationTokensThroughTheAWSCLI(t *testing.T) {
	s := start(t)
	cli := newAWSCLI(t, s)
	id, secret, serial, seed := userWithMFA(t, cli)
	// Enabling spent the current step's code; the next step's is accepted (clock drift).
	code := totp.Code(seed, time.Now().Add(totp.Period))

	out, ok := cli.withKeys(t, id, secret, "", "sts", "get-session-token", "--serial-number", serial, "--token-code", code, "--duration-seconds", "900")
	if !ok {
		t.Fatalf("get-session-token: %s", out)
	}
	var sess stsCredentials
	must(t, json.Unmarshal([]byte(out), &sess))
	cr := sess.Credentials
	if !strings.HasPrefix(cr.AccessKeyId, "ASIA") || cr.SessionToken == "" {
		t.Errorf("get-session-token = %+v", cr)
	}
	who, ok := cli.withKeys(t, cr.AccessKeyId, cr.SecretAccessKey, cr.SessionToken, "sts", "get-caller-identity")
	if !ok || !strings.Contains(who, ":user/alice\"") {
		t.Errorf("the session token acts as %s, want alice", who)
	}
	again, ok := cli.withKeys(t, id, secret, "", "sts", "get-session-token", "--serial-number", serial, "--token-code", code)
	if ok || !strings.Contains(again, "AccessDenied") || !strings.Contains(again, "MultiFactorAuthentication failed with invalid MFA one time pass code.") {
		t.Errorf("the same code again: %s", again)
	}

	var fed struct {
		stsCredentials
		FederatedUser struct{ FederatedUserId, Arn string }
	}
	cli.admin(t, &fed, "sts", "get-federation-token", "--name", "bob",
		"--policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`, "--duration-seconds", "900")
	if !strings.HasSuffix(fed.FederatedUser.Arn, ":federated-user/bob") || !strings.HasSuffix(fed.FederatedUser.FederatedUserId, ":bob") {
		t.Errorf("get-federation-token = %+v", fed.FederatedUser)
	}
	fc := fed.Credentials
	who, ok = cli.withKeys(t, fc.AccessKeyId, fc.SecretAccessKey, fc.SessionToken, "sts", "get-caller-identity")
	if !ok || !strings.Contains(who, fed.FederatedUser.Arn) {
		t.Errorf("the federation token acts as %s, want %s", who, fed.FederatedUser.Arn)
	}

	account := strings.Split(fed.FederatedUser.Arn, ":")[4]
	for name, key := range map[string]string{"alice's key": id, "the session token's key": cr.AccessKeyId, "the federated user's key": fc.AccessKeyId} {
		var info struct{ Account string }
		cli.admin(t, &info, "sts", "get-access-key-info", "--access-key-id", key)
		if info.Account != account {
			t.Errorf("get-access-key-info of %s = %q, want %s", name, info.Account, account)
		}
	}
}

// webIdentityDials holds, by data directory, the dialer a server started
// there uses to reach OIDC issuers (launch reads it).
var webIdentityDials sync.Map
