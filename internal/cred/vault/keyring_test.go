package vault

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// runUnderSessionBus re-executes this test binary, running only test, on
// a private D-Bus session bus (dbus-run-session) with a throwaway HOME.
// The bus activates nothing, so the only Secret Service on it is the one
// the test starts: with keyring set, gnome-keyring-daemon, its login
// keyring unlocked by a password it reads on stdin; without, none.
func runUnderSessionBus(t *testing.T, test, helper string, keyring bool) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is the Linux keyring")
	}
	drs := requireTool(t, "dbus-run-session", "apt-get install dbus-daemon")
	home := t.TempDir()
	conf := filepath.Join(home, "bus.conf")
	err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=`+home+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--config-file=" + conf, "--", "sh", "-c", `exec "$0" -test.run="^` + test + `$" -test.count=1 -test.v`, os.Args[0]}
	if keyring {
		gkd := requireTool(t, "gnome-keyring-daemon", "apt-get install gnome-keyring")
		// The unlock password reaches the daemon on stdin, never argv.
		args[4] = `printf %s "$KEYWARD_TEST_KEYRING_PASSWORD" | "$1" --unlock --components=secrets >/dev/null || exit 1; ` + args[4]
		args = append(args, gkd)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, drs, args...)
	cmd.Dir = home
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "HOME" || k == "DBUS_SESSION_BUS_ADDRESS" || strings.HasPrefix(k, "XDG_") {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, "HOME="+home, helperEnv+"="+helper, "KEYWARD_TEST_KEYRING_PASSWORD=test-login-password")
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: "+test)) {
		t.Fatalf("%s under dbus-run-session: %v\n%s", test, err, out)
	}
	t.Logf("%s", out)
}

func TestKeyringSecretService(t *testing.T) {
	if os.Getenv(helperEnv) != "secret-service" {
		runUnderSessionBus(t, "TestKeyringSecretService", "secret-service", true)
		return
	}
	ctx := context.Background()
	waitForSecretService(t)
	dir := t.TempDir()
	s, why, err := Open(ctx, Options{Dir: dir, KDF: cheapKDF, Getenv: envWith(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "keyring" || why != "" {
		t.Fatalf("Open with a Secret Service chose %q (why %q), want the keyring", s.Name(), why)
	}
	if _, err := s.Get(ctx, "sso/token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of an absent key: %v, want ErrNotFound", err)
	}
	big := bytes.Repeat([]byte("eyJhbGciOiJIUzI1NiJ9."), 800) // 16 KiB, past Windows' and macOS's limits
	for k, v := range map[string][]byte{"sso/token": []byte(`{"accessToken":"aoa-1"}`), "sso/client": big} {
		if err := s.Set(ctx, k, v); err != nil {
			t.Fatalf("Set %s: %v", k, err)
		}
		if got, err := s.Get(ctx, k); err != nil || !bytes.Equal(got, v) {
			t.Fatalf("Get %s = %.40q, %v", k, got, err)
		}
	}
	if err := s.Set(ctx, "sso/token", []byte(`{"accessToken":"aoa-2"}`)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, "sso/token"); string(got) != `{"accessToken":"aoa-2"}` {
		t.Fatalf("Get after overwrite = %q", got)
	}
	// A second connection (as another process has) sees the same item.
	if got, err := (keyringStore{}).Get(ctx, "sso/client"); err != nil || !bytes.Equal(got, big) {
		t.Fatalf("Get from a second store: %v", err)
	}
	if err := s.Delete(ctx, "sso/token"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "sso/token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if err := s.Delete(ctx, "sso/token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete of an absent key: %v", err)
	}

	var fetches atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := Refresh(ctx, s, dir, "sso/role", func(v []byte) bool { return string(v) == "creds" },
				func(context.Context) ([]byte, error) {
					fetches.Add(1)
					time.Sleep(50 * time.Millisecond)
					return []byte("creds"), nil
				})
			if err != nil || string(v) != "creds" {
				t.Errorf("Refresh = %q, %v", v, err)
			}
		}()
	}
	wg.Wait()
	if fetches.Load() != 1 {
		t.Fatalf("Refresh through the keyring fetched %d times, want 1", fetches.Load())
	}
	if _, err := os.Stat(filepath.Join(dir, "vault")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the keyring store wrote a vault file")
	}

	// KEYWARD_VAULT=file wins over a keyring that answers.
	f, why, err := Open(ctx, Options{Dir: dir, KDF: cheapKDF, Getenv: envWith(map[string]string{BackendEnv: "file"})})
	if err != nil || f.Name() != "file" || why != "" {
		t.Fatalf("Open with KEYWARD_VAULT=file = %v, %q, %v", f, why, err)
	}
}

// waitForSecretService waits until gnome-keyring-daemon, which --unlock
// forks into the background, owns its name on the bus.
func waitForSecretService(t *testing.T) {
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var owned bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&owned)
		if err != nil {
			t.Fatal(err)
		}
		if owned {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("gnome-keyring-daemon did not take org.freedesktop.secrets on the bus")
		}
	}
}

func TestOpenWithoutSecretService(t *testing.T) {
	if os.Getenv(helperEnv) != "no-secret-service" {
		runUnderSessionBus(t, "TestOpenWithoutSecretService", "no-secret-service", false)
		return
	}
	dir := t.TempDir()
	s, why, err := Open(context.Background(), Options{Dir: dir, KDF: cheapKDF, Getenv: envWith(nil)})
	if err != nil {
		t.Fatal(err)
	}
	want := "no Secret Service on the session bus"
	if s.Name() != "file" || !strings.Contains(why, want) || !strings.Contains(why, filepath.Join(dir, "vault")) {
		t.Fatalf("Open on a bus without a Secret Service = %q, why %q; want the file, saying %q and where it is", s.Name(), why, want)
	}
	_, _, err = Open(context.Background(), Options{Backend: "keyring", Dir: dir, Getenv: envWith(nil)})
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "KEYWARD_VAULT=file") {
		t.Fatalf("Open asking for the keyring on a bus without one: %v", err)
	}
}

func TestOpenWithoutSessionBus(t *testing.T) {
	if u, err := user.Current(); err == nil {
		for _, f := range []string{"bus", "dbus-session"} {
			if _, err := os.Stat(filepath.Join("/run/user", u.Uid, f)); err == nil {
				t.Skip("this machine has a user session bus under /run/user/UID")
			}
		}
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	dir := t.TempDir()
	start := time.Now()
	s, why, err := Open(context.Background(), Options{Dir: dir, KDF: cheapKDF, Getenv: envWith(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "file" || !strings.Contains(why, "keeping secrets in an encrypted file at "+filepath.Join(dir, "vault")) {
		t.Fatalf("Open with no keyring = %q, why %q", s.Name(), why)
	}
	if runtime.GOOS == "linux" && !strings.Contains(why, "no D-Bus session bus") {
		t.Errorf("why = %q, want it to say there is no session bus", why)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("falling back took %v", d)
	}
}

func TestOpenBackendChoice(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, why, err := Open(ctx, Options{Backend: "file", Dir: dir, KDF: cheapKDF, Getenv: envWith(nil)})
	if err != nil || s.Name() != "file" || why != "" {
		t.Fatalf("Open file = %v, %q, %v", s, why, err)
	}
	s, _, err = Open(ctx, Options{Dir: dir, KDF: cheapKDF, Getenv: envWith(map[string]string{BackendEnv: "file"})})
	if err != nil || s.Name() != "file" {
		t.Fatalf("Open with KEYWARD_VAULT=file = %v, %v", s, err)
	}
	_, _, err = Open(ctx, Options{Dir: dir, Getenv: envWith(map[string]string{BackendEnv: "pass"})})
	if err == nil || !strings.Contains(err.Error(), `KEYWARD_VAULT="pass" is not a vault backend`) {
		t.Fatalf("Open with KEYWARD_VAULT=pass: %v", err)
	}
}
