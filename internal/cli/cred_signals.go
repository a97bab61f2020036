package cli

import (
	"os"
	"syscall"
)

// forwardedSignals reach a child run by exec and use: the child decides
// what an interrupt means (terraform finishes its step, a shell ignores it).
// An interrupt the terminal sent (Ctrl-C) reached the child already, when it
// shares keyward's process group (groupSignal).
var forwardedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
