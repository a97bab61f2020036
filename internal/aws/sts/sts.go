// Package sts serves AWS STS (awsQuery) on the gateway: GetCallerIdentity
// for every principal (signed in a header or presigned in the URL);
// AssumeRole, whose trust policy the gateway's authorizer evaluates with
// the caller's own policies; AssumeRoleWithSAML and
// AssumeRoleWithWebIdentity, unsigned, which check their assertion or
// token and the role's trust policy themselves; GetSessionToken and
// GetFederationToken for long-term keys; GetAccessKeyInfo and
// DecodeAuthorizationMessage. It owns STS's inputs, limits and answers; it
// does not own policy evaluation (packages iam and authz), the session
// token's format (awsauth) or the roles and providers (the store, iamapi).
package sts

import (
	"context"
	"io"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/webidentity"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// Store is what STS reads and records.
type Store interface {
	IAMRole(ctx context.Context, accountID, name string) (iam.Role, error)
	TouchIAMRole(ctx context.Context, accountID, name string, at time.Time, region string) error
	AppendEvent(ctx context.Context, e audit.Event) error
}

// Issuer mints session credentials; it records nothing, so credentials
// minted for a call that then fails are simply dropped.
type Issuer interface {
	IssueSession(s iam.Session) (awsauth.Credentials, error)
}

// Service implements the STS actions.
type Service struct {
	store  Store
	issuer Issuer
	clock  clock.Clock
	random io.Reader
	region string
	// federation is set by WithFederation, web by New (WithWebIdentity).
	federation Federation
	web        *webidentity.Verifier
	messages   *Messages   // set by WithMessages
	saml       *SAMLConfig // nil: AssumeRoleWithSAML is not enabled (see WithSAML)
}

// New returns the service; region is where role use is recorded.
func New(s Store, issuer Issuer, clk clock.Clock, random io.Reader, region string) *Service {
	web := &webidentity.Verifier{Keys: &webidentity.Fetcher{Clock: clk}, Clock: clk}
	return &Service{store: s, issuer: issuer, clock: clk, random: random, region: region, web: web}
}

// QueryService describes STS for the gateway. Any verified caller may ask
// who it is; every other action is authorized by authorize.
func (s *Service) QueryService(authorize gateway.Authorizer) *gateway.QueryService {
	return &gateway.QueryService{
		SigningName: "sts",
		Version:     "2011-06-15",
		Namespace:   protocol.QueryNamespace,
		Codes:       protocol.QueryCodes,
		Authorize:   noPermissionFor("sts:GetSessionToken", authorize),
		Actions: map[string]gateway.QueryAction{
			"GetCallerIdentity": gateway.QueryOp(getCallerIdentity),
			"AssumeRole":        gateway.QueryOp(s.assumeRole),
			// Session tokens, federation tokens and key ids (tokens.go, keyinfo.go).
			"GetSessionToken":            gateway.QueryOp(s.getSessionToken),
			"GetFederationToken":         gateway.QueryOp(s.getFederationToken),
			"GetAccessKeyInfo":           gateway.QueryOp(s.getAccessKeyInfo),
			"DecodeAuthorizationMessage": gateway.QueryOp(s.decodeAuthorizationMessage),
			// Web identity federation (webidentity.go), unsigned.
			"AssumeRoleWithWebIdentity": gateway.QueryOp(s.assumeRoleWithWebIdentity),
			// SAML federation (saml*.go), unsigned.
			"AssumeRoleWithSAML": gateway.QueryOp(s.assumeRoleWithSAML),
		},
		// aws-iam-authenticator (EKS tokens) and the like hand a presigned
		// GetCallerIdentity to a server to prove who they are.
		Presignable: map[string]bool{"GetCallerIdentity": true},
		// The token (or assertion) is the proof: clients send these unsigned.
		Unsigned: map[string]bool{"AssumeRoleWithWebIdentity": true, "AssumeRoleWithSAML": true},
	}
}

// noPermissionFor lets action through without asking authorize (nil
// allows everything): AWS requires no permission for it.
func noPermissionFor(action string, authorize gateway.Authorizer) gateway.Authorizer {
	if authorize == nil {
		return nil
	}
	return func(ctx context.Context, p awsauth.Principal, req gateway.Request) error {
		if req.Action == action {
			return nil
		}
		return authorize(ctx, p, req)
	}
}

type callerIdentity struct {
	Arn     string
	UserID  string `xml:"UserId"`
	Account string
}

// getCallerIdentityInput is empty: GetCallerIdentity takes no parameters.
// No policy can deny it, as in AWS.
type getCallerIdentityInput struct{}

func getCallerIdentity(ctx context.Context, _ *getCallerIdentityInput) (*callerIdentity, error) {
	p, ok := awsauth.PrincipalFrom(ctx)
	if !ok {
		return nil, errs.E(errs.Unauthenticated, "Request is missing Authentication Token").WithCode("MissingAuthenticationToken")
	}
	return &callerIdentity{Arn: p.ARN, UserID: p.UserID, Account: p.AccountID}, nil
}
