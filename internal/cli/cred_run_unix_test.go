//go:build unix

package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary, run again, act as keyward running a
// child (runChild), or as that child, which counts the interrupts it gets.
const helperEnv = "KEYWARD_TEST_RUNCHILD"

func TestRunChildHelper(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "parent":
		err := runChild(context.Background(), IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr},
			[]string{os.Args[0], "-test.run=^TestRunChildHelper$"}, append(os.Environ(), helperEnv+"=child"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "child":
		sigs := make(chan os.Signal, 64)
		signal.Notify(sigs, os.Interrupt)
		fmt.Println("ready")
		n := 0
		for deadline := time.After(2 * time.Second); ; n++ {
			select {
			case <-sigs:
				continue
			case <-deadline:
			}
			break
		}
		fmt.Printf("interrupts: %d\n", n)
		os.Exit(0)
	}
	t.Skip("a helper process for TestCtrlCReachesTheChildOnce")
}

// TestCtrlCReachesTheChildOnce: Ctrl-C in a terminal interrupts the
// whole foreground process group, keyward exec and its child alike. The
// child must see one interrupt per Ctrl-C, not a second one forwarded by
// keyward: terraform takes two as "exit immediately, data loss may have
// occurred", a REPL quits.
func TestCtrlCReachesTheChildOnce(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunChildHelper$")
	cmd.Env = append(os.Environ(), helperEnv+"=parent")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a job of its own, as a shell starts it
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("the child did not start: %q", lines.Text())
	}
	// What the terminal does on Ctrl-C: SIGINT to the foreground group.
	// Several, apart: a child may fold two interrupts that arrive together
	// into one, which would hide a forwarded one now and then.
	const presses = 6
	for range presses {
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond)
	}
	var got string
	for lines.Scan() {
		if s, ok := strings.CutPrefix(lines.Text(), "interrupts: "); ok {
			got = s
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("keyward exec: %v", err)
	}
	if got != fmt.Sprint(presses) {
		t.Errorf("the child saw %s interrupts for %d Ctrl-C, want %d", got, presses, presses)
	}
}
