package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/app"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
)

// appsDir is a served data directory holding one inactive AWS app and an
// Engineering group; it returns the directory and their ids.
func appsDir(t *testing.T) (dir, appID, groupID string) {
	t.Helper()
	dir = served(t)
	withDirIdP(t, dir, func(s store.IdP) {
		a, err := s.CreateApp(t.Context(), directory.App{Name: directory.AWSIdentityCenterApp, Label: "AWS",
			SignOnMode: directory.SAML2, Status: directory.AppInactive,
			SAML: directory.AWSIdentityCenterSAML("https://sp.example/acs", "https://sp.example/")})
		if err != nil {
			t.Fatal(err)
		}
		g, err := s.CreateGroup(t.Context(), directory.Group{Type: directory.OktaGroup, Name: "Engineering"})
		if err != nil {
			t.Fatal(err)
		}
		appID, groupID = a.ID, g.ID
	})
	return dir, appID, groupID
}

// withDirIdP runs fn on the identity provider's store in dir.
func withDirIdP(t *testing.T, dir string, fn func(store.IdP)) {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = dir
	db, err := app.OpenExistingStore(t.Context(), cfg, clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(db.(interface{ IdP() store.IdP }).IdP())
}

func storedApp(t *testing.T, dir, id string) directory.App {
	t.Helper()
	var a directory.App
	withDirIdP(t, dir, func(s store.IdP) {
		var err error
		if a, err = s.App(t.Context(), id); err != nil {
			t.Fatal(err)
		}
	})
	return a
}

func tokenFile(t *testing.T, token string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scim-token")
	if err := os.WriteFile(path, []byte(token), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestProvisioningStoresTheTokenSealedForItsApp(t *testing.T) {
	dir, id, _ := appsDir(t)
	const token = "AWS-scim-token/with+base64=="
	for _, c := range []struct{ name, stdin, file string }{
		{"from a private file", "", tokenFile(t, token+"\n", 0o600)},
		{"from standard input", token + "\n", "-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, c.stdin, nil, "admin", "apps", "provisioning", id, "--data-dir", dir,
				"--scim-url", "https://scim.us-east-1.amazonaws.com/tenant/scim/v2/", "--token-file", c.file)
			if code != 0 || strings.Contains(out+errOut, token) {
				t.Fatalf("exit %d, out %q, err %q (the token must never be printed)", code, out, errOut)
			}
			a := storedApp(t, dir, id)
			if !a.Provisioning.Enabled || a.Provisioning.BaseURL != "https://scim.us-east-1.amazonaws.com/tenant/scim/v2" {
				t.Fatalf("provisioning = %+v", a.Provisioning)
			}
			if strings.Contains(string(a.Provisioning.SealedToken), token) {
				t.Fatal("the token is stored in the clear")
			}
			master, err := keys.Load(filepath.Join(dir, "master.key"))
			if err != nil {
				t.Fatal(err)
			}
			sealer, _ := keys.NewSealer(master, directory.ProvisioningTokenPurpose, clock.Random)
			got, err := sealer.Open(a.Provisioning.SealedToken, []byte(id))
			if err != nil || string(got) != token {
				t.Fatalf("the sealed token opens to %q, %v; want %q", got, err, token)
			}
			if _, err := sealer.Open(a.Provisioning.SealedToken, []byte("0oaAnotherApp")); err == nil {
				t.Error("the token opens for another app")
			}
		})
	}
	code, out, _ := run(t, "", nil, "admin", "apps", "provisioning", id, "--data-dir", dir, "--disable")
	if a := storedApp(t, dir, id); code != 0 || a.Provisioning.Enabled || len(a.Provisioning.SealedToken) != 0 {
		t.Fatalf("after --disable: exit %d %q, provisioning %+v", code, out, a.Provisioning)
	}
}

func TestProvisioningRefusesUnsafeInputAndChangesNothing(t *testing.T) {
	dir, id, _ := appsDir(t)
	good := tokenFile(t, "tok", 0o600)
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"a token file others can read", "", []string{"--scim-url", "https://scim.example/v2", "--token-file", tokenFile(t, "tok", 0o644)}, "chmod 600"},
		{"an empty token", "\n", []string{"--scim-url", "https://scim.example/v2", "--token-file", "-"}, "empty"},
		{"a token with spaces", "two words\n", []string{"--scim-url", "https://scim.example/v2", "--token-file", "-"}, "spaces"},
		{"plain http to another machine", "", []string{"--scim-url", "http://scim.example/v2", "--token-file", good}, "https"},
		{"a URL with credentials", "", []string{"--scim-url", "https://u:p@scim.example/v2", "--token-file", good}, "credentials"},
		{"a URL without a token", "", []string{"--scim-url", "https://scim.example/v2"}, "token-file"},
		{"no flags", "", nil, "--disable"},
		{"--disable with a URL", "", []string{"--disable", "--scim-url", "https://scim.example/v2", "--token-file", good}, "disable"},
		{"a missing token file", "", []string{"--scim-url", "https://scim.example/v2", "--token-file", "/nonexistent/token"}, "read the token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"admin", "apps", "provisioning", id, "--data-dir", dir}, c.args...)
			code, _, errOut := run(t, c.stdin, nil, args...)
			if code == 0 || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, err %q; want a refusal mentioning %q", code, errOut, c.want)
			}
			if p := storedApp(t, dir, id).Provisioning; p.Enabled || p.BaseURL != "" {
				t.Fatalf("a refused command changed provisioning to %+v", p)
			}
		})
	}
	code, _, errOut := run(t, "", nil, "admin", "apps", "provisioning", "0oaNoSuchApp", "--data-dir", dir, "--scim-url", "https://scim.example/v2", "--token-file", good)
	if code == 0 || !strings.Contains(errOut, `no app "0oaNoSuchApp"`) {
		t.Errorf("unknown app: exit %d, %q", code, errOut)
	}
}

func TestGroupsArePushedByNameOrIdAndListed(t *testing.T) {
	dir, id, group := appsDir(t)
	code, out, errOut := run(t, "", nil, "admin", "apps", "push-group", id, "engineering", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "AWS pushes Engineering") {
		t.Fatalf("push by name: exit %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, "", nil, "admin", "apps", "list", "--data-dir", dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || strings.Join(strings.Fields(lines[1]), " ") != id+" amazon_aws_sso AWS INACTIVE off 1" {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	var pushes []directory.GroupPush
	withDirIdP(t, dir, func(s store.IdP) { pushes, _ = s.ListGroupPushes(t.Context(), id) })
	if len(pushes) != 1 || pushes[0].GroupID != group {
		t.Fatalf("pushes = %+v", pushes)
	}
	if code, out, _ = run(t, "", nil, "admin", "apps", "unpush-group", id, group, "--data-dir", dir); code != 0 {
		t.Fatalf("unpush by id: exit %d %q", code, out)
	}
	for _, c := range []struct{ name, cmd, app, group, want string }{
		{"unpushing a group not pushed", "unpush-group", id, group, "does not push"},
		{"an unknown group", "push-group", id, "Nobody", `no group with id or name "Nobody"`},
		{"an unknown app", "push-group", "0oaNoSuchApp", group, `no app "0oaNoSuchApp"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := run(t, "", nil, "admin", "apps", c.cmd, c.app, c.group, "--data-dir", dir)
			if code == 0 || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d %q, want %q", code, errOut, c.want)
			}
		})
	}
}
