package sigv4

import (
	"strings"
)

const (
	// Algorithm is the only signing algorithm accepted (SigV4a is not).
	Algorithm = "AWS4-HMAC-SHA256"
	// Terminator ends every SigV4 credential scope.
	Terminator = "aws4_request"

	maxAuthorizationLen = 8 << 10
	shortDateFormat     = "20060102"
)

// Authorization is a parsed SigV4 Authorization header:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/sts/aws4_request,
//	SignedHeaders=host;x-amz-date, Signature=<64 hex digits>
type Authorization struct {
	Algorithm string
	// The credential scope, in order.
	AccessKeyID, Date, Region, Service, Terminator string
	// SignedHeaders are lowercase, sorted, unique and include "host".
	SignedHeaders []string
	Signature     string // 64 lowercase hex digits
}

// String renders a in the form the AWS SDKs send.
func (a Authorization) String() string {
	return a.Algorithm + " Credential=" + a.Credential() +
		", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") +
		", Signature=" + a.Signature
}

// Credential is the Credential component: the access key id and the scope.
func (a Authorization) Credential() string {
	return strings.Join([]string{a.AccessKeyID, a.Date, a.Region, a.Service, a.Terminator}, "/")
}

// Signs reports whether name (lowercase) is one of the signed headers.
func (a Authorization) Signs(name string) bool {
	for _, h := range a.SignedHeaders {
		if h == name {
			return true
		}
	}
	return false
}

// ParseAuthorization parses a SigV4 Authorization header strictly. Errors are
// *errs.Error with Code IncompleteSignatureException.
func ParseAuthorization(h string) (Authorization, error) {
	if len(h) > maxAuthorizationLen {
		return Authorization{}, incomplete("The Authorization header is %d bytes long; the limit is %d.", len(h), maxAuthorizationLen)
	}
	alg, rest, ok := strings.Cut(h, " ")
	if alg != Algorithm {
		return Authorization{}, incomplete("Unsupported AWS 'algorithm': %s. Sign requests with %s.", quote(alg), Algorithm)
	}
	if !ok {
		return Authorization{}, incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.")
	}
	parts, err := components(rest)
	if err != nil {
		return Authorization{}, err
	}
	a := Authorization{Algorithm: alg}
	if err := a.setCredential(parts["Credential"]); err != nil {
		return Authorization{}, err
	}
	if err := a.setSignedHeaders(parts["SignedHeaders"]); err != nil {
		return Authorization{}, err
	}
	if err := a.setSignature(parts["Signature"]); err != nil {
		return Authorization{}, err
	}
	return a, nil
}
