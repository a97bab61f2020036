// Package sts serves AWS STS (awsQuery) on the gateway. For now it answers
// GetCallerIdentity for root keys and role sessions, signed in a header or
// presigned in the URL; the AssumeRole family arrives with IAM.
package sts

import (
	"context"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
)

// QueryService describes STS for the gateway. Any verified caller may ask
// who it is.
func QueryService() *gateway.QueryService {
	return &gateway.QueryService{
		SigningName: "sts",
		Version:     "2011-06-15",
		Namespace:   protocol.QueryNamespace,
		Codes:       protocol.QueryCodes,
		Actions: map[string]gateway.QueryAction{
			"GetCallerIdentity": gateway.QueryOp(getCallerIdentity),
		},
		// aws-iam-authenticator (EKS tokens) and the like hand a presigned
		// GetCallerIdentity to a server to prove who they are.
		Presignable: map[string]bool{"GetCallerIdentity": true},
	}
}

type callerIdentity struct {
	Arn     string
	UserID  string `xml:"UserId"`
	Account string
}

// getCallerIdentityInput is empty: GetCallerIdentity takes no parameters.
type getCallerIdentityInput struct{}

func getCallerIdentity(ctx context.Context, _ *getCallerIdentityInput) (*callerIdentity, error) {
	p, ok := awsauth.PrincipalFrom(ctx)
	if !ok {
		return nil, errs.E(errs.Unauthenticated, "Request is missing Authentication Token").WithCode("MissingAuthenticationToken")
	}
	return &callerIdentity{Arn: p.ARN, UserID: p.UserID, Account: p.AccountID}, nil
}
