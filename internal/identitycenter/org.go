package identitycenter

import (
	"regexp"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// Organization is the single AWS organization a keyward deployment emulates.
type Organization struct {
	ID                  string
	ManagementAccountID string
	ManagementEmail     string
	CreatedAt           time.Time
}

// Account statuses and join methods.
const (
	AccountActive = "ACTIVE"
	JoinedCreated = "CREATED"
)

// Account is a member (or the management) account of the organization.
type Account struct {
	ID           string
	Name         string
	Email        string
	Status       string
	JoinedMethod string
	JoinedAt     time.Time
}

// State is the account's lifecycle state, as Organizations' State field
// reports it beside Status (which AWS retires on 9 September 2026). Each
// Status value (ACTIVE, SUSPENDED, PENDING_CLOSURE) names the same state;
// PENDING_ACTIVATION and CLOSED have no Status of their own, and keyward
// neither activates nor closes accounts, so it never reports them.
func (a Account) State() string { return a.Status }

// Request states shared by the asynchronous-looking AWS operations. keyward
// does the work at once, so stored requests are SUCCEEDED or FAILED.
const (
	StateInProgress = "IN_PROGRESS"
	StateSucceeded  = "SUCCEEDED"
	StateFailed     = "FAILED"
)

// CreateAccountStatus is the status object of an Organizations CreateAccount request.
type CreateAccountStatus struct {
	ID            string // "car-" + 32 hex
	AccountName   string
	State         string
	AccountID     string
	FailureReason string
	RequestedAt   time.Time
	CompletedAt   time.Time
}

// Instance is the Identity Center instance with its identity store.
type Instance struct {
	ID              string // ssoins-<16 hex>
	IdentityStoreID string // d-<10 hex>
	OwnerAccountID  string
	Name            string
	CreatedAt       time.Time
	Tags            []Tag
	// AccessControl is the attribute-based access control configuration;
	// nil until one is created.
	AccessControl *AccessControlConfig
}

// ARN returns the instance ARN.
func (i Instance) ARN() string { return "arn:aws:sso:::instance/" + i.ID }

// AccessKey is a long-term access key of an account's root user. The secret
// is sealed with the master key before it reaches the store, because SigV4
// verification needs it back (a hash would not do).
type AccessKey struct {
	ID           string // AKIA...
	AccountID    string
	SealedSecret []byte
	CreatedAt    time.Time
}

var emailRe = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)

// ValidAccountEmail reports whether email has the shape Organizations
// requires of an account's: an address of 6 to 64 characters.
func ValidAccountEmail(email string) bool {
	return len(email) >= 6 && len(email) <= 64 && emailRe.MatchString(email)
}

// ValidateNewAccount checks CreateAccount's inputs as Organizations does.
func ValidateNewAccount(name, email string) error {
	if l := len(name); l < 1 || l > 50 {
		return errs.E(errs.Invalid, "AccountName must be 1 to 50 characters")
	}
	if err := checkChars("AccountName", name, printableASCII); err != nil {
		return err.WithReason("INVALID_PATTERN")
	}
	if !ValidAccountEmail(email) {
		return errs.E(errs.Invalid, "Email must be a valid address of 6 to 64 characters")
	}
	return nil
}
