// Package organizations serves the slice of AWS Organizations keyward
// emulates: the organization, CreateAccount and its status, and account
// lookups. Accounts created here are where permission sets get provisioned.
package organizations

import (
	"context"
	"io"
	"net/http"

	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// Store is what the service needs from storage.
type Store interface {
	Organization(ctx context.Context) (ic.Organization, error)
	store.Accounts
}

// Service implements the Organizations operations.
type Service struct {
	store  Store
	clock  clock.Clock
	random io.Reader
}

// New returns the service.
func New(s Store, clk clock.Clock, random io.Reader) *Service {
	return &Service{store: s, clock: clk, random: random}
}

// Codes are Organizations' error names.
var Codes = protocol.Codes{
	ByKind: map[errs.Kind]string{
		errs.Invalid:         "InvalidInputException",
		errs.NotFound:        "AccountNotFoundException",
		errs.Conflict:        "DuplicateAccountException",
		errs.Unauthenticated: "UnrecognizedClientException",
		errs.Denied:          "AccessDeniedException",
		errs.Throttled:       "TooManyRequestsException",
		errs.Internal:        "ServiceException",
	},
	Status:   map[errs.Kind]int{errs.Internal: http.StatusInternalServerError},
	Fallback: "ServiceException",
}

// JSONService describes the service for the gateway.
func (s *Service) JSONService(authorize gateway.Authorizer) *gateway.JSONService {
	return &gateway.JSONService{
		TargetPrefix: "AWSOrganizationsV20161128",
		SigningName:  "organizations",
		Codes:        Codes,
		Authorize:    authorize,
		Operations: map[string]gateway.Operation{
			"DescribeOrganization":        gateway.Op(s.describeOrganization),
			"CreateAccount":               gateway.Op(s.createAccount),
			"DescribeCreateAccountStatus": gateway.Op(s.describeCreateAccountStatus),
			"DescribeAccount":             gateway.Op(s.describeAccount),
			"ListAccounts":                gateway.Op(s.listAccounts),
		},
	}
}
