//go:build !unix

package cli

import "os"

// groupSignal: elsewhere every signal keyward gets is passed on.
func groupSignal(os.Signal, int) bool { return false }
