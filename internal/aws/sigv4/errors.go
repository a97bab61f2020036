package sigv4

import (
	"fmt"

	"github.com/keyward/keyward/internal/errs"
)

// JSON-protocol error codes. QueryCode gives their awsQuery (STS, IAM) names.
const (
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	CodeIncompleteSignature        = "IncompleteSignatureException"
	CodeUnrecognizedClient         = "UnrecognizedClientException"
	CodeExpiredToken               = "ExpiredTokenException"
	CodeInvalidSignature           = "InvalidSignatureException"
)

var queryCodes = map[string]string{
	CodeMissingAuthenticationToken: "MissingAuthenticationToken",
	CodeIncompleteSignature:        "IncompleteSignature",
	CodeUnrecognizedClient:         "InvalidClientTokenId",
	CodeExpiredToken:               "ExpiredToken",
	CodeInvalidSignature:           "SignatureDoesNotMatch",
}

// QueryCode returns the awsQuery (STS, IAM) name of a JSON-protocol error
// code returned by this package. Any other code is returned unchanged.
func QueryCode(code string) string {
	if q, ok := queryCodes[code]; ok {
		return q
	}
	return code
}

// UnrecognizedClient is the error a Lookup returns for an unknown access key.
func UnrecognizedClient() *errs.Error {
	return coded(errs.Unauthenticated, CodeUnrecognizedClient,
		"The security token included in the request is invalid.")
}

// ExpiredToken is the error a Lookup returns for an expired session.
func ExpiredToken() *errs.Error {
	return coded(errs.Unauthenticated, CodeExpiredToken,
		"The security token included in the request is expired")
}

func missingToken() *errs.Error {
	return coded(errs.Unauthenticated, CodeMissingAuthenticationToken,
		"Request is missing Authentication Token")
}

func incomplete(format string, args ...any) *errs.Error {
	return coded(errs.Invalid, CodeIncompleteSignature, fmt.Sprintf(format, args...))
}

func mismatch(format string, args ...any) *errs.Error {
	return coded(errs.Unauthenticated, CodeInvalidSignature, fmt.Sprintf(format, args...))
}

// errSignatureMismatch is AWS's wording for a signature that does not verify.
const errSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method."

func coded(kind errs.Kind, code, msg string) *errs.Error {
	return &errs.Error{Kind: kind, Code: code, Message: msg}
}

// quote renders client input for an error message, truncated so a hostile
// header cannot inflate the response.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return fmt.Sprintf("%q...", s[:max])
	}
	return fmt.Sprintf("%q", s)
}
