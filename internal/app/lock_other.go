//go:build !unix

package app

import "os"

// lockDataDir is a no-op where flock(2) is missing.
func lockDataDir(string) (*os.File, error) { return nil, nil }
