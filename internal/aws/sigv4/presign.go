package sigv4

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Query-string (presigned) SigV4 parameters.
const (
	QueryAlgorithm     = "X-Amz-Algorithm"
	QueryCredential    = "X-Amz-Credential"
	QueryDate          = "X-Amz-Date"
	QueryExpires       = "X-Amz-Expires"
	QuerySignedHeaders = "X-Amz-SignedHeaders"
	QuerySignature     = "X-Amz-Signature"
	QuerySecurityToken = "X-Amz-Security-Token"

	// MaxExpires is the longest validity a presigned request may claim: the
	// signing key is derived for one scope date and AWS caps it at 7 days.
	MaxExpires = 7 * 24 * time.Hour
	// DefaultExpires is the validity of a presigned request without
	// X-Amz-Expires. aws-sdk-go-v2's STS presigner sends none, and STS then
	// accepts the URL for 15 minutes.
	DefaultExpires = 15 * time.Minute

	maxPresignedQueryLen = 16 << 10
)

// requiredQuery are the parameters every presigned request carries;
// optionalQuery those it may.
var (
	requiredQuery = []string{QueryAlgorithm, QueryCredential, QuerySignature, QueryDate, QuerySignedHeaders}
	optionalQuery = []string{QueryExpires, QuerySecurityToken}
)

// Presigned is a parsed query-string signature, as in
//
//	/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256
//	&X-Amz-Credential=AKID%2F20261122%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261122T024507Z
//	&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=<64 hex digits>
type Presigned struct {
	Authorization               // algorithm, scope, signed headers and signature
	SignedAt      time.Time     // X-Amz-Date
	Expires       time.Duration // X-Amz-Expires, 1 s to MaxExpires; 0 if absent
	SessionToken  string        // X-Amz-Security-Token, "" if absent
}

// Validity is how long after SignedAt the request may be used.
func (p Presigned) Validity() time.Duration {
	if p.Expires == 0 {
		return DefaultExpires
	}
	return p.Expires
}

// IsPresigned reports whether r is signed in its query string rather than
// in an Authorization header.
func IsPresigned(r *http.Request) bool {
	return r.Header.Get("Authorization") == "" && r.URL.Query().Has(QuerySignature)
}

// ParsePresigned parses the SigV4 parameters of a raw query string strictly:
// each exactly once (the token at most once), in the forms the signers
// produce. Errors are *errs.Error with Code IncompleteSignatureException.
func ParsePresigned(rawQuery string) (Presigned, error) {
	if len(rawQuery) > maxPresignedQueryLen {
		return Presigned{}, incomplete("The query string is %d bytes long; the limit is %d.", len(rawQuery), maxPresignedQueryLen)
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return Presigned{}, incomplete("The query string is malformed: %s.", quote(err.Error()))
	}
	v, err := presignValues(q)
	if err != nil {
		return Presigned{}, err
	}
	if v[QueryAlgorithm] != Algorithm {
		return Presigned{}, incomplete("Unsupported AWS 'algorithm': %s. Sign requests with %s.", quote(v[QueryAlgorithm]), Algorithm)
	}
	p := Presigned{Authorization: Authorization{Algorithm: Algorithm}, SessionToken: v[QuerySecurityToken]}
	for _, set := range []func() error{
		func() error { return p.setCredential(v[QueryCredential]) },
		func() error { return p.setSignedHeaders(v[QuerySignedHeaders]) },
		func() error { return p.setSignature(v[QuerySignature]) },
		func() error { return p.setDate(v[QueryDate]) },
		func() error { return p.setExpires(v, QueryExpires) },
	} {
		if err := set(); err != nil {
			return Presigned{}, err
		}
	}
	return p, nil
}

// presignValues picks the SigV4 parameters out of q, refusing missing and
// repeated ones (the signer would keep only one of a repeated value, so a
// second could ride along unsigned).
func presignValues(q url.Values) (map[string]string, error) {
	v := make(map[string]string, len(requiredQuery)+len(optionalQuery))
	for i, name := range append(requiredQuery, optionalQuery...) {
		switch vals := q[name]; {
		case len(vals) > 1:
			return nil, incomplete("The query string has more than one '%s' parameter.", name)
		case len(vals) == 1:
			v[name] = vals[0]
		case i < len(requiredQuery):
			return nil, incomplete("AWS query-string parameters must include '%s', '%s', '%s', '%s' and '%s'. Re-examine the query-string parameters.",
				QueryAlgorithm, QueryCredential, QuerySignature, QueryDate, QuerySignedHeaders)
		}
	}
	return v, nil
}

func (p *Presigned) setDate(s string) error {
	t, err := time.Parse(amzDateFormat, s)
	if err != nil || t.Format(amzDateFormat) != s {
		return incomplete("X-Amz-Date must be in ISO-8601 basic format 'YYYYMMDDTHHMMSSZ'. Got %s.", quote(s))
	}
	p.SignedAt = t
	return nil
}

// setExpires accepts an absent X-Amz-Expires, or whole seconds from 1 to
// MaxExpires written in canonical decimal (the signer signs it as sent).
func (p *Presigned) setExpires(v map[string]string, name string) error {
	s, ok := v[name]
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s || n < 1 || n > int64(MaxExpires/time.Second) {
		return incomplete("X-Amz-Expires must be a whole number of seconds from 1 to %d (7 days); got %s.", int64(MaxExpires/time.Second), quote(s))
	}
	p.Expires = time.Duration(n) * time.Second
	return nil
}

// Values renders p as the query parameters a signer would add.
func (p Presigned) Values() url.Values {
	v := url.Values{
		QueryAlgorithm: {p.Algorithm}, QueryCredential: {p.Credential()}, QueryDate: {p.SignedAt.Format(amzDateFormat)},
		QuerySignedHeaders: {strings.Join(p.SignedHeaders, ";")}, QuerySignature: {p.Signature},
	}
	if p.Expires > 0 {
		v.Set(QueryExpires, strconv.FormatInt(int64(p.Expires/time.Second), 10))
	}
	if p.SessionToken != "" {
		v.Set(QuerySecurityToken, p.SessionToken)
	}
	return v
}
