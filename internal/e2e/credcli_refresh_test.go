package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/cred/vault"
)

// signedInCLI is alice signed in with keyward login and her profile
// synced, ready for the tests below.
func signedInCLI(t *testing.T) (*server, *awsCLI, cliStory, *credCLI) {
	t.Helper()
	s := start(t)
	c := newAWSCLI(t, s)
	st := s.setUpStory().cli()
	k := newCredCLI(t, s, c)
	k.login(t, s, "--start-url", s.main.StartURL, "--region", "us-east-1", "--sso-session", "kw")
	k.mustRun(t, "profiles", "sync")
	return s, c, st, k
}

// openVault opens the CLI's vault file as keyward does.
func (k *credCLI) openVault(t *testing.T) vault.Store {
	t.Helper()
	getenv := func(key string) string {
		if key == vault.PassphraseEnv {
			return vaultPassphrase
		}
		return ""
	}
	v, err := vault.NewFile(filepath.Join(k.home, ".config", "keyward"), vault.DefaultKDF, getenv, nil)
	must(t, err)
	return v
}

// TestCredentialCLIRefreshStorm is forty processes, as an IDE starts them,
// asking for credentials just after the sign-in's access token expired:
// one token refresh reaches the server, and all forty get the same keys.
func TestCredentialCLIRefreshStorm(t *testing.T) {
	s, _, _, k := signedInCLI(t)
	ctx := t.Context()
	v := k.openVault(t)
	raw, err := v.Get(ctx, "sso/kw/token")
	must(t, err)
	var tok map[string]any
	must(t, json.Unmarshal(raw, &tok))
	tok["expiresAt"] = time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	raw, err = json.Marshal(tok)
	must(t, err)
	must(t, v.Set(ctx, "sso/kw/token", raw))
	if err := v.Delete(ctx, "creds/Dev-DevOps"); err != nil && err != vault.ErrNotFound {
		t.Fatal(err)
	}

	before := countEvents(t, s, "ssooidc.token.refresh")
	const n = 40
	keys := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, errOut, code := k.run("", "credentials", "Dev-DevOps")
			var c processCredentials
			if code != 0 || json.Unmarshal([]byte(out), &c) != nil {
				t.Errorf("process %d exited %d: %s%s", i, code, out, errOut)
				return
			}
			keys[i] = c.AccessKeyId
		})
	}
	wg.Wait()
	if got := countEvents(t, s, "ssooidc.token.refresh") - before; got != 1 {
		t.Errorf("%d processes caused %d token refreshes at the server, want 1", n, got)
	}
	for i, key := range keys {
		if key != keys[0] {
			t.Errorf("process %d got key %s, process 0 got %s: want one fetch shared by all", i, key, keys[0])
		}
	}
}

// TestCredentialCLIBadInput: a damaged file, a wrong start URL or a failing
// server each get a message that says what happened and what to do, no
// traceback, and no change to ~/.aws/config.
func TestCredentialCLIBadInput(t *testing.T) {
	s, _, _, k := signedInCLI(t)
	configPath := filepath.Join(k.home, ".aws", "config")
	good := k.config(t)
	unchanged := func(t *testing.T) {
		t.Helper()
		if got := k.config(t); got != good {
			t.Errorf("~/.aws/config changed:\n%s\nwant\n%s", got, good)
		}
	}

	t.Run("a start URL that is not a portal", func(t *testing.T) {
		msg := k.mustFail(t, "login", "--no-browser", "--start-url", s.url+"/not-the-portal", "--sso-session", "typo")
		if !strings.Contains(msg, "is not an AWS access portal start URL") || !strings.Contains(msg, "404") {
			t.Errorf("login with a wrong start URL:\n%s", msg)
		}
		unchanged(t)
	})
	t.Run("a sign-in the person denies saves no sso-session", func(t *testing.T) {
		printed, err := k.loginExit(t, func(opened string) {
			b := s.browser()
			b.signIn(aliceName, alicePassword)
			b.approve(opened, false)
		}, "--start-url", s.main.StartURL, "--sso-session", "denied")
		if err == nil || !strings.Contains(printed, "denied") {
			t.Errorf("login denied: %v\n%s", err, printed)
		}
		unchanged(t)
	})
	t.Run("a server that answers 500", func(t *testing.T) {
		broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "internal error", http.StatusInternalServerError)
		}))
		defer broken.Close()
		saved := k.env
		defer func() { k.env = saved }()
		k.env = append(append([]string{}, saved...), "AWS_ENDPOINT_URL="+broken.URL)
		msg := k.mustFail(t, "profiles", "sync", "--prune")
		if !strings.Contains(msg, "500") {
			t.Errorf("profiles sync against a failing server:\n%s", msg)
		}
		msg = k.mustFail(t, "login", "--no-browser", "--start-url", broken.URL+"/start", "--sso-session", "broken")
		if !strings.Contains(msg, "is not an AWS access portal start URL") || !strings.Contains(msg, "500") {
			t.Errorf("login at a failing server:\n%s", msg)
		}
		unchanged(t)
	})
	t.Run("a truncated config file", func(t *testing.T) {
		must(t, os.WriteFile(configPath, []byte(good+"\n[profile half"), 0o600))
		defer func() { must(t, os.WriteFile(configPath, []byte(good), 0o600)) }()
		msg := k.mustFail(t, "profiles", "sync")
		if !strings.Contains(msg, "config") || !strings.Contains(msg, "line ") {
			t.Errorf("sync with a truncated config:\n%s", msg)
		}
		if got, _ := os.ReadFile(configPath); string(got) != good+"\n[profile half" {
			t.Errorf("the truncated config was rewritten:\n%s", got)
		}
	})
	t.Run("a damaged vault file", func(t *testing.T) {
		path := filepath.Join(k.home, ".config", "keyward", "vault")
		saved, err := os.ReadFile(path)
		must(t, err)
		defer func() { must(t, os.WriteFile(path, saved, 0o600)) }()
		must(t, os.WriteFile(path, saved[:len(saved)/2], 0o600))
		msg := k.mustFail(t, "credentials", "Dev-DevOps")
		if !strings.Contains(msg, path) {
			t.Errorf("credentials with a damaged vault:\n%s\nwant it to name %s", msg, path)
		}
		unchanged(t)
	})
	t.Run("a corrupt AWS SSO cache file is rewritten on the next sign-in", func(t *testing.T) {
		cache := filepath.Join(k.home, ".aws", "sso", "cache")
		entries, err := os.ReadDir(cache)
		must(t, err)
		for _, e := range entries {
			must(t, os.WriteFile(filepath.Join(cache, e.Name()), []byte("{not json"), 0o600))
		}
		k.mustRun(t, "credentials", "Dev-DevOps", "--refresh")
	})
}

// TestCredentialCLISaysTheClockIsWrong: a server whose clock is an hour
// ahead refuses every signature; keyward says to fix the clock.
func TestCredentialCLISaysTheClockIsWrong(t *testing.T) {
	dir := t.TempDir()
	m := launch(t, dir, clock.NewFake(time.Now().Add(time.Hour)))
	s := &server{t: t, main: m, url: m.AWSURL, dataDir: dir}
	k := newCredCLI(t, s, newAWSCLI(t, s))
	admin := readAdminCredentials(t, dir)
	if _, errOut, code := k.run(admin.SecretAccessKey+"\n", "add", "admin", "--access-key-id", admin.AccessKeyID,
		"--region", "us-east-1"); code != 0 {
		t.Fatalf("keyward add exited %d: %s", code, errOut)
	}
	msg := k.mustFail(t, "whoami", "admin")
	if !strings.Contains(msg, "Signature expired") || !strings.Contains(msg, "clock") {
		t.Errorf("whoami against a server an hour ahead:\n%s", msg)
	}
}

// TestCredentialCLITwoIdentitiesOnOneStartURL: alice and bob sign in on
// one laptop at one start URL under two sso-session names; each sign-in's
// profiles hand out its own person's credentials, and the second sync
// leaves the first one's profiles alone.
func TestCredentialCLITwoIdentitiesOnOneStartURL(t *testing.T) {
	s, c, st, k := signedInCLI(t)
	var u struct{ UserId string }
	c.admin(t, &u, "identitystore", "create-user", "--identity-store-id", st.IdentityStoreID, "--user-name", "bob",
		"--display-name", "Bob Example", "--name", "GivenName=Bob,FamilyName=Example",
		"--emails", "Value=bob@example.com,Type=work,Primary=true")
	c.admin(t, nil, "identitystore", "create-group-membership", "--identity-store-id", st.IdentityStoreID,
		"--group-id", st.GroupID, "--member-id", "UserId="+u.UserId)
	const bobPassword = "Another-Horse-Battery-7"
	s.setPassword("bob", bobPassword)

	k.loginAs(t, s, "bob", bobPassword, "--start-url", s.main.StartURL, "--region", "us-east-1", "--sso-session", "bob")
	_, errOut, code := k.run("", "profiles", "sync", "--sso-session", "bob")
	if code != 0 || !strings.Contains(errOut, "Left alone: profile Dev-DevOps is sso-session kw's") {
		t.Errorf("bob's sync over alice's profile name exited %d:\n%s", code, errOut)
	}
	k.mustRun(t, "profiles", "sync", "--sso-session", "bob", "--template", "{{.AccountName}}-{{.RoleName}}-bob")
	for profile, who := range map[string]string{"Dev-DevOps": "alice", "Dev-DevOps-bob": "bob"} {
		out := k.mustRun(t, "whoami", profile)
		if !strings.Contains(out, "/"+who+"\n") {
			t.Errorf("whoami %s:\n%s\nwant %s's session", profile, out, who)
		}
	}
	if _, errOut, code := k.run("", "profiles", "sync"); code != 1 || !strings.Contains(errOut, "there are 2 sign-ins (bob, kw): pick one with --sso-session") {
		t.Errorf("sync with two sign-ins and no --sso-session exited %d:\n%s", code, errOut)
	}
}
