package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
)

// jsSDKDir holds the pinned JS SDK (package.json, package-lock.json);
// scripts/test runs `npm ci` there.
const jsSDKDir = "testdata/jssdk"

// TestJSSDKResolvesTheSSOSessionProfile signs in with the device flow,
// writes the token cache as the AWS CLI would, and lets the AWS JS SDK v3's
// fromSSO provider find alice's role from the profile alone.
func TestJSSDKResolvesTheSSOSessionProfile(t *testing.T) {
	node := requireTool(t, "node", "apt-get install nodejs")
	if _, err := os.Stat(filepath.Join(jsSDKDir, "node_modules", "@aws-sdk", "client-sts")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the JS SDK is not installed (cd internal/e2e/%s && npm ci): %v", jsSDKDir, err)
		}
		t.Skipf("the JS SDK is not installed; run npm ci in internal/e2e/%s", jsSDKDir)
	}
	s := start(t)
	st := s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	reg, tok := s.deviceLogin(ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.url)}), b)
	s.writeSSOSession(st, reg, tok)

	ctx, cancel := context.WithTimeout(context.Background(), awsCLITimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "identity.mjs")
	cmd.Dir = jsSDKDir
	// The global AWS_ENDPOINT_URL reaches the JS SDK's nested SSO clients.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "AWS_CONFIG_FILE=" + os.Getenv("AWS_CONFIG_FILE"),
		"AWS_SHARED_CREDENTIALS_FILE=" + os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), "AWS_PROFILE=dev", "AWS_ENDPOINT_URL=" + s.url}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node identity.mjs: %v\n%s", err, stderr.String())
	}
	var id struct{ Arn, Account, UserId string }
	must(t, json.Unmarshal(out, &id))
	want := regexp.MustCompile(`^arn:aws:sts::` + st.AccountID + `:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/alice$`)
	if !want.MatchString(id.Arn) || id.Account != st.AccountID {
		t.Errorf("the JS SDK is %s in %s, want %s", id.Arn, id.Account, want)
	}
}
