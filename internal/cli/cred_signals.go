package cli

import (
	"os"
	"syscall"
)

// forwardedSignals reach a child run by exec and use: the child decides
// what an interrupt means (terraform finishes its step, a shell ignores it).
var forwardedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
