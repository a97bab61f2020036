// Package iamapi serves AWS IAM (awsQuery, signing name "iam", version
// 2010-05-08) on the gateway: each account's roles, policies, users, groups,
// access keys, SAML and OIDC identity providers and alias, and the policy
// simulator. Every call acts on the caller's own account, as in AWS. It owns
// IAM's wire shapes and validation; it does not own the policy language
// (package iam), storage (package store) or who may call it (the gateway's
// Authorizer).
package iamapi

import (
	"context"
	"io"
	"maps"
	"net/http"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
)

// Namespace is IAM's XML namespace.
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

// Codes are IAM's error names and statuses.
var Codes = protocol.Codes{
	ByKind: map[errs.Kind]string{
		errs.Invalid:         "ValidationError",
		errs.NotFound:        "NoSuchEntity",
		errs.Conflict:        "EntityAlreadyExists",
		errs.Unauthenticated: "InvalidClientTokenId",
		errs.Denied:          "AccessDenied",
		errs.Throttled:       "Throttling",
		errs.Internal:        "ServiceFailure",
	},
	Status: map[errs.Kind]int{
		errs.Unauthenticated: http.StatusForbidden,
		errs.Denied:          http.StatusForbidden,
		errs.NotFound:        http.StatusNotFound,
		errs.Conflict:        http.StatusConflict,
		errs.Internal:        http.StatusInternalServerError,
	},
	ByCode: map[string]int{
		"LimitExceeded":           http.StatusConflict,
		"DeleteConflict":          http.StatusConflict,
		"MalformedPolicyDocument": http.StatusBadRequest,
		"InvalidInput":            http.StatusBadRequest,
		"UnmodifiableEntity":      http.StatusBadRequest,
	},
	Fallback: "ServiceFailure",
}

// Store is what the service needs from storage; each group of operations
// declares its part beside them.
type Store interface {
	roleStore
	userStore
}

// Service implements the IAM operations.
type Service struct {
	store  Store
	clock  clock.Clock
	random io.Reader
	creds  Credentials // mints and seals users' keys and MFA seeds; see WithCredentials
	sim    Simulator   // see WithSimulator
}

// New returns the service.
func New(s Store, clk clock.Clock, random io.Reader) *Service {
	return &Service{store: s, clock: clk, random: random}
}

// QueryService describes IAM for the gateway.
func (s *Service) QueryService(authorize gateway.Authorizer) *gateway.QueryService {
	actions := map[string]gateway.QueryAction{}
	for _, group := range []map[string]gateway.QueryAction{s.roleActions(), s.userActions(), s.simulateActions()} {
		maps.Copy(actions, group)
	}
	return &gateway.QueryService{
		SigningName: "iam",
		Version:     "2010-05-08",
		Namespace:   Namespace,
		Codes:       Codes,
		Authorize:   authorize,
		Actions:     actions,
	}
}

// callerAccount is the account every call acts on: the caller's own.
func callerAccount(ctx context.Context) (string, error) {
	p, ok := awsauth.PrincipalFrom(ctx)
	if !ok || p.AccountID == "" {
		return "", errs.E(errs.Unauthenticated, "Request is missing Authentication Token").WithCode("MissingAuthenticationToken")
	}
	return p.AccountID, nil
}
