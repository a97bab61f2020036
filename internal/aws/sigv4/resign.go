package sigv4

import (
	"context"
	"crypto/hmac"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// signed is what the client's signature must match: the scope and signed
// header list it sent, the looked-up secret and the hashes we computed.
type signed struct {
	auth        Authorization
	secret      string
	token       string
	payloadHash string
	at          time.Time
	presigned   bool // signed in the query string, not the Authorization header
}

// check recomputes the signature over r and compares it in constant time.
func (s signed) check(r *http.Request, h headers) error {
	clone, err := s.rebuild(r, h)
	if err != nil {
		return err
	}
	want, err := s.sign(r.Context(), clone)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(want), []byte(s.auth.Signature)) {
		return mismatch(errSignatureMismatch)
	}
	return nil
}

// rebuild makes a request holding only what the client signed. The signer
// signs every header it finds, so proxy-added headers must not reach it.
func (s signed) rebuild(r *http.Request, h headers) (*http.Request, error) {
	if r.Host == "" {
		return nil, incomplete("The request has no Host header.")
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, incomplete("The query string is malformed: %s.", quote(err.Error()))
	}
	rawQuery := r.URL.RawQuery
	if s.presigned {
		// The signature is not part of what it signs; the presigner adds
		// the other X-Amz-* parameters back exactly as the client had them.
		query.Del(QuerySignature)
		rawQuery = query.Encode()
	}
	clone := &http.Request{
		Method: r.Method,
		// No Scheme: the signer strips a default port only for http and
		// https, and the client signed the Host header exactly as it sent it.
		URL:    &url.URL{Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: rawQuery},
		Host:   r.Host,
		Header: make(http.Header, len(s.auth.SignedHeaders)),
	}
	addLength(h, r)
	for _, name := range s.auth.SignedHeaders {
		if err := copySigned(clone, h, name); err != nil {
			return nil, err
		}
	}
	return clone, nil
}

// addLength gives a request built in code (not read off the wire), which
// keeps its length only in the field, the header net/http would send.
func addLength(h headers, r *http.Request) {
	if _, ok := h["content-length"]; !ok && r.ContentLength > 0 {
		h["content-length"] = []string{strconv.FormatInt(r.ContentLength, 10)}
	}
}

// unsignable are headers aws-sdk-go-v2's signer always skips, so a
// signature that covers them cannot be recomputed.
var unsignable = map[string]bool{
	"authorization": true, "user-agent": true, "x-amzn-trace-id": true,
	"expect": true, "transfer-encoding": true,
}

func copySigned(clone *http.Request, h headers, name string) error {
	if name == "host" {
		return nil // the signer reads clone.Host
	}
	if unsignable[name] {
		return incomplete("SignedHeaders includes %s, which cannot be part of a signature here.", quote(name))
	}
	vals, ok := h[name]
	if !ok {
		return mismatch("SignedHeaders lists %s, but the request has no such header.", quote(name))
	}
	if name == "content-length" {
		n, err := contentLength(vals)
		clone.ContentLength = n // the signer signs content-length from this field only
		return err
	}
	clone.Header[http.CanonicalHeaderKey(name)] = vals
	return nil
}

// contentLength parses a signed Content-Length. The signer writes the field
// back in canonical decimal and only when it is positive, so anything else
// ("007", "0") could not be reproduced.
func contentLength(vals []string) (int64, error) {
	if len(vals) == 1 {
		n, err := strconv.ParseInt(vals[0], 10, 64)
		if err == nil && n > 0 && strconv.FormatInt(n, 10) == vals[0] {
			return n, nil
		}
	}
	return 0, mismatch("A signed content-length must be one positive decimal number; got %s.", quote(strings.Join(vals, ",")))
}

// sign signs clone as the client should have and returns the hex signature.
func (s signed) sign(ctx context.Context, clone *http.Request) (string, error) {
	creds := aws.Credentials{AccessKeyID: s.auth.AccessKeyID, SecretAccessKey: s.secret, SessionToken: s.token}
	// A Signer per call: its derived-key cache is keyed by access key id,
	// region, service and day but not by secret, so a shared one would keep
	// honouring a replaced secret, and it would grow with every region sent.
	signer := v4.NewSigner()
	if s.presigned {
		// No hoisting: a client that hoisted X-Amz-* headers sent them in
		// the query already; the ones still in SignedHeaders stay headers.
		uri, _, err := signer.PresignHTTP(ctx, creds, clone, s.payloadHash, s.auth.Service, s.auth.Region, s.at,
			func(o *v4.SignerOptions) { o.DisableHeaderHoisting = true })
		return signatureAfter(uri, "&"+QuerySignature+"=", err)
	}
	err := signer.SignHTTP(ctx, creds, clone, s.payloadHash, s.auth.Service, s.auth.Region, s.at)
	return signatureAfter(clone.Header.Get("Authorization"), "Signature=", err)
}

// signatureAfter returns what follows the last marker in signed, the
// signer's output.
func signatureAfter(signed, marker string, err error) (string, error) {
	if err != nil {
		return "", fmt.Errorf("sigv4: signing: %w", err)
	}
	i := strings.LastIndex(signed, marker)
	if i < 0 {
		return "", fmt.Errorf("sigv4: signer produced no signature")
	}
	return signed[i+len(marker):], nil
}
