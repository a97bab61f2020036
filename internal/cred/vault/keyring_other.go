//go:build !unix || darwin

package vault

// sessionBusMissing is a Linux concern: macOS and Windows keyrings need no
// bus.
func sessionBusMissing() error { return nil }

func describeKeyringError(err error) string { return err.Error() }
