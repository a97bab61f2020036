package directory

import "github.com/keyward/keyward/internal/errs"

// Reasons on the errors this package returns, for a protocol package to
// pick its wire code.
const (
	ReasonValidation = "validation" // a profile failed the schema; the message lists the causes
	ReasonStatus     = "status"     // the operation is not allowed in the user's status
	ReasonActive     = "active"     // activating a user who is already active
	ReasonBuiltIn    = "built-in"   // a built-in group cannot be changed
)

func invalid(format string, args ...any) *errs.Error {
	return errs.E(errs.Invalid, format, args...)
}
