package cli

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: what is written to master is typed at
// slave, and what the terminal echoes is read back from master.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	// In CI a missing pseudo-terminal is a failure, not a skip.
	unavailable := t.Skipf
	if os.Getenv("CI") == "true" {
		unavailable = t.Fatalf
	}
	// Non-blocking, so that reading the echo honours a deadline (Fd()
	// would make it blocking again: the ioctls use fd).
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		unavailable("no pseudo-terminals here: %v", err)
	}
	m := os.NewFile(uintptr(fd), "/dev/ptmx")
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		unavailable("cannot unlock a pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		unavailable("no pseudo-terminal number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		unavailable("cannot open the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

func TestATokenTypedAtATerminalIsNotEchoed(t *testing.T) {
	master, slave := openPTY(t)
	type result struct {
		token []byte
		err   error
	}
	done := make(chan result, 1)
	var prompt strings.Builder
	go func() {
		b, err := readToken(IO{In: slave, Out: &strings.Builder{}, Err: &prompt}, "-")
		done <- result{b, err}
	}()
	// Type only once the command has had its chance to turn echo off.
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS); err == nil && tio.Lflag&unix.ECHO == 0 {
			break
		}
	}
	if _, err := master.WriteString("s3cret-scim-token\n\x04"); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the token was not read")
	}
	if r.err != nil || string(r.token) != "s3cret-scim-token" {
		t.Fatalf("read %q, %v; want the typed token", r.token, r.err)
	}
	_ = master.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	echoed := make([]byte, 4096)
	n, _ := master.Read(echoed)
	if strings.Contains(string(echoed[:n]), "s3cret") {
		t.Errorf("the terminal showed the token as it was typed: %q", echoed[:n])
	}
}
