package iam

import (
	"regexp"
	"time"
)

// VirtualMFADevice is a TOTP authenticator registered in an account, and
// once enabled, assigned to one user.
type VirtualMFADevice struct {
	AccountID string
	Path      string
	Name      string
	// SealedSeed is the TOTP secret, sealed before it reaches the store.
	SealedSeed []byte
	UserID     string // empty while unassigned
	EnableDate time.Time
	// LastStep is the last TOTP step accepted, so a code is used once.
	LastStep  int64
	CreatedAt time.Time
	Tags      []Tag
}

// SerialNumber is arn:aws:iam::ACCOUNT:mfa/PATH/NAME.
func (d VirtualMFADevice) SerialNumber() string { return entityARN(d.AccountID, "mfa", d.Path, d.Name) }

// Assigned reports whether the device is enabled for a user.
func (d VirtualMFADevice) Assigned() bool { return d.UserID != "" }

var mfaNameRe = regexp.MustCompile(`^[\w+=,.@-]+$`)

// ValidMFADeviceName checks a virtual MFA device's name.
func ValidMFADeviceName(name string) error {
	if name == "" || len(name) > 226 || !mfaNameRe.MatchString(name) {
		return Invalid("virtualMFADeviceName", name, `Member must satisfy regular expression pattern: [\w+=,.@-]+ and have length between 1 and 226`)
	}
	return nil
}
