package e2e

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/postgres/pgtest"
)

// startReplicas starts n keyward processes at once on one fresh PostgreSQL
// schema, each with its own data directory and all reading one master key
// file, as an operator runs them behind a load balancer.
func startReplicas(t *testing.T, n int) []*server {
	t.Helper()
	url := pgtest.URL(t)
	keyFile := filepath.Join(t.TempDir(), "master.key")
	dirs := make([]string, n)
	mains := make([]chan any, n) // *app.Main or error
	for i := range n {
		dirs[i], mains[i] = t.TempDir(), make(chan any, 1)
		go func() {
			mains[i] <- launchQuiet(t, dirs[i], func(c *config.Config) { c.Store.URL, c.MasterKeyFile = url, keyFile })
		}()
	}
	servers := make([]*server, n)
	for i := range n {
		switch v := (<-mains[i]).(type) {
		case error:
			t.Fatalf("replica %d: %v", i, v)
		case *app.Main:
			servers[i] = &server{t: t, main: v, url: v.AWSURL, dataDir: dirs[i]}
		}
	}
	return servers
}

// launchQuiet is launch for goroutines: it returns the error instead of
// failing the test.
func launchQuiet(t *testing.T, dir string, tweak func(*config.Config)) any {
	cfg := config.Default()
	cfg.DataDir, cfg.AWS.Addr, cfg.IdP.Addr, cfg.Log.Level = dir, "127.0.0.1:0", "127.0.0.1:0", "warn"
	tweak(&cfg)
	ctx, cancel := context.WithCancel(context.Background())
	m, err := app.New(ctx, cfg, app.Options{PasswordParams: &cheap, Log: testWriter{t}})
	if err != nil {
		cancel()
		return err
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		m.Close()
	})
	return m
}

// bootstrapped returns the one replica whose data directory holds the
// bootstrap credentials, failing unless exactly one does.
func bootstrapped(t *testing.T, rs []*server) *server {
	t.Helper()
	var found []*server
	for _, r := range rs {
		_, err := os.Stat(filepath.Join(r.dataDir, app.BootstrapCredentialsFile))
		switch {
		case err == nil:
			found = append(found, r)
		case !errors.Is(err, fs.ErrNotExist):
			t.Fatal(err)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d replicas wrote bootstrap credentials, want exactly 1", len(found))
	}
	return found[0]
}

func TestThreeReplicasOnOnePostgreSQLShareOneOrganizationAndEveryFlow(t *testing.T) {
	rs := startReplicas(t, 3)
	admin := bootstrapped(t, rs)
	ctx := context.Background()
	events, _, err := rs[0].main.Store.ListEvents(ctx, store.Page{Limit: 100})
	must(t, err)
	boots := 0
	for _, e := range events {
		if e.Action == "keyward.bootstrap" {
			boots++
		}
	}
	if boots != 1 {
		t.Fatalf("%d bootstrap events, want 1: concurrent first starts must bootstrap once", boots)
	}
	for _, r := range rs {
		r.dataDir = admin.dataDir // every replica's admin key is the one key
	}
	a, b, c := rs[0], rs[1], rs[2]
	st := a.setUpStory()

	oidcA := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(a.url)})
	oidcB := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(b.url)})
	oidcC := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(c.url)})
	reg, err := oidcA.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("replicated"),
		ClientType: aws.String("public"), Scopes: []string{"sso:account:access"}})
	must(t, err)
	dev, err := oidcB.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(b.main.StartURL)})
	must(t, err)

	person := c.browser()
	person.signIn(aliceName, alicePassword)
	onC := strings.Replace(aws.ToString(dev.VerificationUriComplete), b.url, c.url, 1)
	if name := person.approve(onC, true); name != "replicated" {
		t.Errorf("replica C's page names the client %q, registered on A as replicated", name)
	}

	time.Sleep(time.Duration(dev.Interval) * time.Second)
	tok, err := oidcA.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String(deviceGrant), DeviceCode: dev.DeviceCode})
	must(t, err)

	portalB := sso.New(sso.Options{Region: "us-east-1", BaseEndpoint: aws.String(b.url)})
	rc, err := portalB.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(st.AccountID), RoleName: aws.String("DevOps")})
	must(t, err)
	creds := rc.RoleCredentials
	stsC := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(c.url),
		Credentials: credentials.NewStaticCredentialsProvider(aws.ToString(creds.AccessKeyId),
			aws.ToString(creds.SecretAccessKey), aws.ToString(creds.SessionToken))})
	id, err := stsC.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(t, err)
	if aws.ToString(id.Account) != st.AccountID || !strings.HasSuffix(aws.ToString(id.Arn), "/alice") {
		t.Errorf("replica C says the credentials from B are %s in %s", aws.ToString(id.Arn), aws.ToString(id.Account))
	}

	refreshed, err := oidcC.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
	must(t, err)
	_, err = portalB.Logout(ctx, &sso.LogoutInput{AccessToken: refreshed.AccessToken})
	must(t, err)

	portalA := sso.New(sso.Options{Region: "us-east-1", BaseEndpoint: aws.String(a.url)})
	_, err = portalA.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: refreshed.AccessToken})
	var unauthorized *ssotypes.UnauthorizedException
	if !errors.As(err, &unauthorized) {
		t.Errorf("replica A after logout on B: %v, want UnauthorizedException", err)
	}
	_, err = oidcA.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
	var grant *oidctypes.InvalidGrantException
	if !errors.As(err, &grant) {
		t.Errorf("replica A replaying the refresh token C rotated: %v, want InvalidGrantException", err)
	}
}

// A replica whose master key file differs from the one the database was
// sealed with must refuse to start rather than fail every signed call.
func TestAReplicaWithAnotherMasterKeyRefusesToStart(t *testing.T) {
	url := pgtest.URL(t)
	first := launchQuiet(t, t.TempDir(), func(c *config.Config) { c.Store.URL = url })
	if err, ok := first.(error); ok {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.key")
	must(t, os.WriteFile(other, []byte(strings.Repeat("k", 32)), 0o600))
	got := launchQuiet(t, t.TempDir(), func(c *config.Config) { c.Store.URL, c.MasterKeyFile = url, other })
	err, ok := got.(error)
	if !ok || !strings.Contains(err.Error(), "is not the key this database's secrets are sealed with") {
		t.Fatalf("a replica with its own new master key started: %v", got)
	}
}
