package awsconfig

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testPaths(t *testing.T) Paths {
	t.Helper()
	return DefaultPaths(t.TempDir(), func(string) string { return "" })
}

func readText(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mode(t *testing.T, p string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestDefaultPaths(t *testing.T) {
	env := map[string]string{"AWS_CONFIG_FILE": "~/alt/config", "AWS_SHARED_CREDENTIALS_FILE": "/etc/creds"}
	got := DefaultPaths("/home/p", func(k string) string { return env[k] })
	if want := (Paths{"/home/p/alt/config", "/etc/creds"}); got != want {
		t.Errorf("with the variables set: %+v, want %+v", got, want)
	}
	got = DefaultPaths("/home/p", func(string) string { return "" })
	if want := (Paths{"/home/p/.aws/config", "/home/p/.aws/credentials"}); got != want {
		t.Errorf("without: %+v, want %+v", got, want)
	}
}

func TestLoadAndSave(t *testing.T) {
	t.Run("missing files load empty; Save creates them 0600 in a 0700 directory", func(t *testing.T) {
		p := testPaths(t)
		sh, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(sh.Config.Profiles())+len(sh.Credentials.Profiles()) != 0 {
			t.Fatal("missing files are not empty")
		}
		sh.Credentials.Set(Section{Name: "default"}, KV{"aws_access_key_id", "AKIA1"})
		if err := sh.Credentials.Save(); err != nil {
			t.Fatal(err)
		}
		wantText(t, "[default]\naws_access_key_id = AKIA1\n", readText(t, p.Credentials))
		if m := mode(t, p.Credentials); m != 0o600 {
			t.Errorf("file mode %v, want 0600", m)
		}
		if m := mode(t, filepath.Dir(p.Credentials)); m != 0o700 {
			t.Errorf("directory mode %v, want 0700", m)
		}
		if _, err := os.Stat(p.Config); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the unchanged config was written: %v", err)
		}
	})
	t.Run("Save keeps the file's mode and every untouched byte", func(t *testing.T) {
		p := testPaths(t)
		writeFile(t, p.Config, personal, 0o644)
		sh, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		sh.Config.Set(ProfileSection("work"), KV{"region", "ap-south-1"})
		if err := sh.Config.Save(); err != nil {
			t.Fatal(err)
		}
		wantText(t, strings.Replace(personal, "Region : eu-west-1", "Region = ap-south-1", 1), readText(t, p.Config))
		if m := mode(t, p.Config); m != 0o644 {
			t.Errorf("mode %v, want 0644 kept", m)
		}
		leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(p.Config), ".keyward-*"))
		if len(leftovers) != 0 {
			t.Errorf("temp files left: %v", leftovers)
		}
	})
	t.Run("a change on disk since Load is refused and nothing is written", func(t *testing.T) {
		p := testPaths(t)
		writeFile(t, p.Config, personal, 0o600)
		sh, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		theirs := personal + "\n[profile added-meanwhile]\nregion = x\n"
		writeFile(t, p.Config, theirs, 0o600)
		sh.Config.Set(ProfileSection("mine"), KV{"region", "y"})
		err = sh.Config.Save()
		if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "nothing was written") {
			t.Fatalf("Save = %v, want ErrChanged", err)
		}
		wantText(t, theirs, readText(t, p.Config))
	})
	t.Run("a file created since Load is refused too", func(t *testing.T) {
		p := testPaths(t)
		sh, _ := Load(p)
		writeFile(t, p.Config, "[default]\n", 0o600)
		sh.Config.Set(ProfileSection("x"), KV{"region", "y"})
		if err := sh.Config.Save(); !errors.Is(err, ErrChanged) {
			t.Fatalf("Save = %v, want ErrChanged", err)
		}
	})
	t.Run("two saves in a row both land", func(t *testing.T) {
		p := testPaths(t)
		sh, _ := Load(p)
		sh.Config.Set(ProfileSection("a"), KV{"region", "1"})
		if err := sh.Config.Save(); err != nil {
			t.Fatal(err)
		}
		sh.Config.Set(ProfileSection("a"), KV{"region", "2"})
		if err := sh.Config.Save(); err != nil {
			t.Fatal(err)
		}
		wantText(t, "[profile a]\nregion = 2\n", readText(t, p.Config))
	})
	t.Run("a symlinked file is written through the link", func(t *testing.T) {
		p := testPaths(t)
		real := filepath.Join(t.TempDir(), "dotfiles-config")
		writeFile(t, real, "[default]\n", 0o600)
		os.MkdirAll(filepath.Dir(p.Config), 0o700)
		if err := os.Symlink(real, p.Config); err != nil {
			t.Fatal(err)
		}
		sh, _ := Load(p)
		sh.Config.Set(ProfileSection("default"), KV{"region", "x"})
		if err := sh.Config.Save(); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(p.Config); fi.Mode()&fs.ModeSymlink == 0 {
			t.Error("the symlink was replaced by a file")
		}
		wantText(t, "[default]\nregion = x\n", readText(t, real))
	})
	t.Run("a truncated config fails Load with its line and stays as it was", func(t *testing.T) {
		home := t.TempDir()
		t.Setenv("HOME", home)
		p := DefaultPaths(home, func(string) string { return "" })
		truncated := personal[:strings.Index(personal, "[sso-session corp]")+len("[sso-sess")]
		writeFile(t, p.Config, truncated, 0o600)
		_, err := Load(p)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 18 {
			t.Fatalf("Load = %v, want a ParseError at line 18", err)
		}
		if want := "~/.aws/config line 18: section header is not closed"; err.Error() != want {
			t.Errorf("message %q, want %q", err, want)
		}
		wantText(t, truncated, readText(t, p.Config))
	})
	t.Run("an oversized file fails Load", func(t *testing.T) {
		p := testPaths(t)
		writeFile(t, p.Credentials, "[default]\n"+strings.Repeat("#\n", MaxFileSize/2), 0o600)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "larger than 4 MiB") {
			t.Fatalf("Load = %v", err)
		}
	})
}

func writeFile(t *testing.T, p, s string, m fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), m); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, m); err != nil {
		t.Fatal(err)
	}
}
