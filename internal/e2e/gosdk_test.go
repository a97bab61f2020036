package e2e

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

const deviceGrant = "urn:ietf:params:oauth:grant-type:device_code"

// deviceLogin runs RegisterClient, StartDeviceAuthorization and CreateToken
// with the SDK, approving in the browser between the polls.
func (s *server) deviceLogin(oidc *ssooidc.Client, b *browser) (*ssooidc.RegisterClientOutput, *ssooidc.CreateTokenOutput) {
	t := s.t
	t.Helper()
	ctx := context.Background()
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("keyward-e2e"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	must(t, err)
	dev, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(s.main.StartURL)})
	must(t, err)
	if !regexp.MustCompile(`^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$`).MatchString(aws.ToString(dev.UserCode)) {
		t.Errorf("user code %q is not from the RFC 8628 alphabet", aws.ToString(dev.UserCode))
	}
	poll := &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String(deviceGrant), DeviceCode: dev.DeviceCode}
	_, err = oidc.CreateToken(ctx, poll)
	var pending *oidctypes.AuthorizationPendingException
	if !errors.As(err, &pending) {
		t.Fatalf("CreateToken before approval: %v, want AuthorizationPendingException", err)
	}
	if name := b.approve(aws.ToString(dev.VerificationUriComplete), true); name != "keyward-e2e" {
		t.Errorf("the verification page named the client %q, want keyward-e2e", name)
	}
	time.Sleep(time.Duration(dev.Interval) * time.Second)
	tok, err := oidc.CreateToken(ctx, poll)
	must(t, err)
	_, err = oidc.CreateToken(ctx, poll)
	var grant *oidctypes.InvalidGrantException
	if !errors.As(err, &grant) {
		t.Errorf("redeeming the device code twice: %v, want InvalidGrantException", err)
	}
	return reg, tok
}

// writeSSOSession writes an sso-session profile "dev" and the token cache the
// AWS CLI would have written, under a fresh HOME.
func (s *server) writeSSOSession(st story, reg *ssooidc.RegisterClientOutput, tok *ssooidc.CreateTokenOutput) {
	t := s.t
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials"))
	for _, svc := range []string{"SSO", "SSO_OIDC", "STS"} {
		t.Setenv("AWS_ENDPOINT_URL_"+svc, s.url)
	}
	must(t, os.MkdirAll(filepath.Join(home, ".aws", "sso", "cache"), 0o700))
	conf := "[profile dev]\nsso_session = kw\nsso_account_id = " + st.AccountID + "\nsso_role_name = DevOps\nregion = eu-west-1\n\n" +
		"[sso-session kw]\nsso_start_url = " + s.main.StartURL + "\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
	must(t, os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(conf), 0o600))
	cache, _ := json.Marshal(map[string]string{
		"startUrl": s.main.StartURL, "region": "us-east-1", "accessToken": aws.ToString(tok.AccessToken),
		"expiresAt": time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second).UTC().Format(time.RFC3339),
		"clientId":  aws.ToString(reg.ClientId), "clientSecret": aws.ToString(reg.ClientSecret),
		"refreshToken":          aws.ToString(tok.RefreshToken),
		"registrationExpiresAt": time.Unix(reg.ClientSecretExpiresAt, 0).UTC().Format(time.RFC3339),
	})
	sum := sha1.Sum([]byte("kw"))
	must(t, os.WriteFile(filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"), cache, 0o600))
}

// callerIdentity loads the "dev" profile from scratch and asks STS who it is.
func callerIdentity(t *testing.T) (*sts.GetCallerIdentityOutput, aws.Credentials, error) {
	t.Helper()
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithSharedConfigProfile("dev"))
	must(t, err)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		return nil, creds, err
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	return out, creds, err
}

func TestGoSDKSignsInWithTheDeviceFlowAndLosesAccessWhenUnassigned(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	b := s.browser()
	b.signIn(aliceName, alicePassword)
	oidc := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.url)})
	reg, tok := s.deviceLogin(oidc, b)
	s.writeSSOSession(st, reg, tok)

	id, creds, err := callerIdentity(t)
	must(t, err)
	wantARN := regexp.MustCompile(`^arn:aws:sts::` + st.AccountID + `:assumed-role/AWSReservedSSO_DevOps_[0-9a-f]{16}/alice$`)
	if !wantARN.MatchString(aws.ToString(id.Arn)) || aws.ToString(id.Account) != st.AccountID {
		t.Fatalf("GetCallerIdentity = %s in %s, want %s", aws.ToString(id.Arn), aws.ToString(id.Account), wantARN)
	}
	if left := time.Until(creds.Expires); left < 4*time.Hour-time.Minute || left > 4*time.Hour+time.Minute {
		t.Errorf("role credentials last %v, want the permission set's 4 hours", left)
	}

	s.unassign(st)
	_, _, err = callerIdentity(t)
	// Real Identity Center answers ForbiddenException (403), which the SSO
	// model does not define, so it arrives as a generic API error.
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ForbiddenException" {
		t.Fatalf("after unassignment: %v, want ForbiddenException from GetRoleCredentials", err)
	}

	ctx := context.Background()
	refreshed, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
	must(t, err)
	if aws.ToString(refreshed.RefreshToken) == "" || aws.ToString(refreshed.RefreshToken) == aws.ToString(tok.RefreshToken) ||
		aws.ToString(refreshed.AccessToken) == aws.ToString(tok.AccessToken) {
		t.Fatal("refresh did not rotate both tokens")
	}
	portal := sso.New(sso.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.url)})
	accts, err := portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: refreshed.AccessToken})
	must(t, err)
	if len(accts.AccountList) != 0 {
		t.Errorf("after unassignment ListAccounts shows %d accounts", len(accts.AccountList))
	}

	_, err = portal.Logout(ctx, &sso.LogoutInput{AccessToken: refreshed.AccessToken})
	must(t, err)
	_, err = portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: refreshed.AccessToken})
	var unauthorized *ssotypes.UnauthorizedException
	if !errors.As(err, &unauthorized) {
		t.Fatalf("after logout: %v, want UnauthorizedException", err)
	}

	_, err = oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
	var grant *oidctypes.InvalidGrantException
	if !errors.As(err, &grant) {
		t.Fatalf("replaying a rotated refresh token: %v, want InvalidGrantException", err)
	}
}
