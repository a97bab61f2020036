package e2e

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/config"
)

func TestARestartKeepsEverythingAndNeverRewritesTheBootstrapKey(t *testing.T) {
	dir := t.TempDir()
	first := startIn(t, dir)
	st := first.setUpStory()
	credsFile := filepath.Join(dir, app.BootstrapCredentialsFile)
	before, err := os.ReadFile(credsFile)
	must(t, err)
	if fi, _ := os.Stat(credsFile); fi.Mode().Perm() != 0o600 {
		t.Errorf("bootstrap credentials mode = %v, want 0600", fi.Mode().Perm())
	}
	org, err := organizations.NewFromConfig(first.adminConfig()).DescribeOrganization(context.Background(), &organizations.DescribeOrganizationInput{})
	must(t, err)
	stopEarly(t, first)

	second := startIn(t, dir)
	after, err := os.ReadFile(credsFile)
	must(t, err)
	if string(before) != string(after) {
		t.Fatal("a restart rewrote the bootstrap credentials")
	}
	cfg := second.adminConfig()
	org2, err := organizations.NewFromConfig(cfg).DescribeOrganization(context.Background(), &organizations.DescribeOrganizationInput{})
	must(t, err)
	if aws.ToString(org2.Organization.Id) != aws.ToString(org.Organization.Id) {
		t.Errorf("organization changed across restart: %s -> %s", aws.ToString(org.Organization.Id), aws.ToString(org2.Organization.Id))
	}
	u, err := identitystore.NewFromConfig(cfg).DescribeUser(context.Background(), &identitystore.DescribeUserInput{
		IdentityStoreId: &st.IdentityStoreID, UserId: &st.UserID})
	must(t, err)
	if aws.ToString(u.UserName) != aliceName {
		t.Errorf("user after restart = %q", aws.ToString(u.UserName))
	}
	b := second.browser()
	b.signIn(aliceName, alicePassword) // the password survived too
}

// A first start writes the credentials to a temporary file, commits, then
// moves the file into place; a crash between the commit and the move
// leaves the only copy of the root key and the API token in the temporary
// file. The next start must put it in place, not overwrite it.
func TestARestartFinishesMovingTheCredentialsAFirstStartCrashedBeforePlacing(t *testing.T) {
	credsFile := func(dir string) string { return filepath.Join(dir, app.BootstrapCredentialsFile) }
	t.Run("the AWS side's root key", func(t *testing.T) {
		dir := t.TempDir()
		must(t, newMain(t, dir)) // a first start, bootstrapping
		want, err := os.ReadFile(credsFile(dir))
		must(t, err)
		must(t, os.Rename(credsFile(dir), credsFile(dir)+".new"))

		s := startIn(t, dir)
		got, err := os.ReadFile(credsFile(dir))
		if err != nil || string(got) != string(want) {
			t.Fatalf("after the restart the credentials file holds %q (%v), want what the crashed start wrote", got, err)
		}
		if _, err := sts.NewFromConfig(s.adminConfig()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
			t.Errorf("the recovered root key does not sign in: %v", err)
		}
	})
	t.Run("the identity provider's API token", func(t *testing.T) {
		dir := t.TempDir()
		must(t, newMain(t, dir)) // a first start, bootstrapping
		want, err := os.ReadFile(credsFile(dir))
		must(t, err)
		awsOnly, _, ok := strings.Cut(string(want), "\n["+app.IdPProfile+"]")
		if !ok {
			t.Fatalf("the credentials file has no [%s] section:\n%s", app.IdPProfile, want)
		}
		must(t, os.WriteFile(credsFile(dir)+".idp", want, 0o600))
		must(t, os.WriteFile(credsFile(dir), []byte(awsOnly), 0o600))

		startIn(t, dir)
		got, err := os.ReadFile(credsFile(dir))
		if err != nil || string(got) != string(want) {
			t.Fatalf("after the restart the credentials file holds %q (%v), want what the crashed start wrote", got, err)
		}
	})
	t.Run("a leftover naming no stored key stays where it is", func(t *testing.T) {
		dir := t.TempDir()
		must(t, newMain(t, dir)) // a first start, bootstrapping
		stale := "[" + app.AdminProfile + "]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n"
		must(t, os.WriteFile(credsFile(dir)+".new", []byte(stale), 0o600))
		must(t, os.Remove(credsFile(dir)))

		startIn(t, dir)
		if _, err := os.Stat(credsFile(dir)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a leftover with a key the store does not hold became the credentials file (%v)", err)
		}
		if got, _ := os.ReadFile(credsFile(dir) + ".new"); string(got) != stale {
			t.Errorf("the leftover was changed to %q", got)
		}
	})
}

// stopEarly shuts a server down before the test ends, as SIGTERM would.
func stopEarly(t *testing.T, s *server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	must(t, s.main.HTTP.Shutdown(ctx))
	must(t, s.main.Close())
}

func TestSetPasswordWorksWhileTheServerRuns(t *testing.T) {
	s := start(t)
	s.setUpStory() // sets alice's password through the CLI against the live database
	s.setPassword(aliceName, "Another-Password-7")
	b := s.browser()
	status, body := b.post("/start/signin", map[string][]string{"username": {aliceName}, "password": {alicePassword}, "next": {"/start"}})
	if status != 401 || !strings.Contains(body, "Incorrect username or password.") {
		t.Fatalf("old password: status %d", status)
	}
	b.signIn(aliceName, "Another-Password-7")
}

func TestTheBootstrapKeyIsTheManagementAccountsRoot(t *testing.T) {
	s := start(t)
	id, err := sts.NewFromConfig(s.adminConfig()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	must(t, err)
	org, err := organizations.NewFromConfig(s.adminConfig()).DescribeOrganization(context.Background(), &organizations.DescribeOrganizationInput{})
	must(t, err)
	acct := aws.ToString(org.Organization.MasterAccountId)
	if aws.ToString(id.Arn) != "arn:aws:iam::"+acct+":root" || aws.ToString(id.UserId) != acct {
		t.Errorf("GetCallerIdentity = %s / %s, want the root of %s", aws.ToString(id.Arn), aws.ToString(id.UserId), acct)
	}
}

// newMain runs app.New in dir and returns its error, closing what started.
func newMain(t *testing.T, dir string, tweaks ...func(*config.Config)) error {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir, cfg.AWS.Addr, cfg.IdP.Addr, cfg.Store.URL = dir, "127.0.0.1:0", "127.0.0.1:0", storeURL(t, dir)
	for _, tweak := range tweaks {
		tweak(&cfg)
	}
	m, err := app.New(context.Background(), cfg, app.Options{PasswordParams: &cheap, Log: testWriter{t}})
	if err == nil {
		m.Close()
	}
	return err
}

func TestADatabaseWithoutItsMasterKeyIsRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	must(t, newMain(t, dir))
	keyFile := filepath.Join(dir, "master.key")
	original, err := os.ReadFile(keyFile)
	must(t, err)

	must(t, os.Remove(keyFile))
	err = newMain(t, dir)
	if err == nil || !strings.Contains(err.Error(), "master key "+keyFile+" is missing: restore that file") {
		t.Fatalf("start without the master key: %v, want a refusal that says to restore it", err)
	}
	if _, statErr := os.Stat(keyFile); !errors.Is(statErr, fs.ErrNotExist) {
		t.Errorf("the refused start made a new master key (stat: %v)", statErr)
	}

	must(t, os.WriteFile(keyFile, []byte(strings.Repeat("x", 32)), 0o600))
	err = newMain(t, dir)
	if err == nil || !strings.Contains(err.Error(), "is not the key this database's secrets are sealed with") {
		t.Fatalf("start with another master key: %v, want a refusal", err)
	}

	must(t, os.WriteFile(keyFile, original, 0o600))
	must(t, newMain(t, dir)) // the right key starts again
}

func TestABusyPortLeavesANewDataDirectoryUntouched(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer busy.Close()
	dir := filepath.Join(t.TempDir(), "new")
	err = newMain(t, dir, func(c *config.Config) { c.AWS.Addr = busy.Addr().String() })
	if err == nil || !strings.Contains(err.Error(), "listen on "+busy.Addr().String()) {
		t.Fatalf("start on a busy port: %v, want a listen error", err)
	}
	if _, statErr := os.Stat(dir); !errors.Is(statErr, fs.ErrNotExist) {
		t.Errorf("the failed start created %s (stat: %v)", dir, statErr)
	}
}

func TestASecondServeOnOneSQLiteDataDirectoryFailsNamingTheHolder(t *testing.T) {
	dir := t.TempDir()
	sqliteOnly := func(c *config.Config) { c.Store.URL = "" }
	launch(t, dir, nil, sqliteOnly)
	err := newMain(t, dir, sqliteOnly)
	want := fmt.Sprintf("data directory %s is in use by keyward process %d", dir, os.Getpid())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("second serve on one data directory: %v, want %q", err, want)
	}
}
