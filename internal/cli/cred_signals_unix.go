//go:build unix

package cli

import (
	"os"
	"syscall"
)

// groupSignal says whether s reached the child pid without keyward: Ctrl-C
// interrupts the terminal's whole foreground process group, which the
// child shares with keyward unless it left it. Forwarding it again makes
// two interrupts of one Ctrl-C (terraform: "Two interrupts received.
// Exiting immediately").
func groupSignal(s os.Signal, pid int) bool {
	if s != os.Interrupt {
		return false
	}
	pgid, err := syscall.Getpgid(pid)
	return err == nil && pgid == syscall.Getpgrp()
}
