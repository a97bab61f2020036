package iamapi

import (
	"context"
	"net/url"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// Defaults and bounds of MaxItems, as IAM has them.
const (
	defaultMaxItems = 100
	maxMaxItems     = 1000
	maxMarkerLen    = 320
)

// page turns IAM's Marker and MaxItems into a store page. (Each input
// declares both itself: DecodeQuery does not follow embedded structs.)
func page(marker string, maxItems *int) (store.Page, error) {
	limit := defaultMaxItems
	if maxItems != nil {
		limit = *maxItems
	}
	if limit < 1 || limit > maxMaxItems {
		return store.Page{}, errs.E(errs.Invalid, "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: "+
			"Member must have value between 1 and %d", limit, maxMaxItems)
	}
	if len(marker) > maxMarkerLen {
		return store.Page{}, errs.E(errs.Invalid, "The marker is longer than %d characters; pass the Marker a previous response returned", maxMarkerLen)
	}
	return store.Page{Limit: limit, Token: marker}, nil
}

// truncation is the IsTruncated and Marker of a paged result.
type truncation struct {
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func truncated(next string) truncation { return truncation{IsTruncated: next != "", Marker: next} }

// badMarker words the store's refusal of a token as IAM does.
func badMarker(err error) error {
	if errs.Is(err, errs.Invalid) {
		return errs.E(errs.Invalid, "Invalid Marker: pass the Marker a previous response returned")
	}
	return err
}

// encodePolicy is a policy document as IAM returns it: URL-encoded (RFC
// 3986), which the AWS CLI and boto3 decode for the caller.
func encodePolicy(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

// pathPrefix checks a PathPrefix ("/" when absent).
func pathPrefix(p string) (string, error) {
	if p == "" {
		return "/", nil
	}
	if len(p) > 512 || !strings.HasPrefix(p, "/") || strings.ContainsFunc(p, func(r rune) bool { return r < 0x21 || r > 0x7f }) {
		return "", errs.E(errs.Invalid, "1 validation error detected: Value '%.512s' at 'pathPrefix' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*", p)
	}
	return p, nil
}

// prefixedPage checks a list's PathPrefix, Marker and MaxItems.
func prefixedPage(prefix, marker string, maxItems *int) (string, store.Page, error) {
	prefix, err := pathPrefix(prefix)
	if err != nil {
		return "", store.Page{}, err
	}
	p, err := page(marker, maxItems)
	return prefix, p, err
}

// listScope is what listing the caller's users or groups needs: the
// account, the path prefix and the page.
func listScope(ctx context.Context, prefix, marker string, maxItems *int) (string, string, store.Page, error) {
	acct, err := callerAccount(ctx)
	if err != nil {
		return "", "", store.Page{}, err
	}
	prefix, p, err := prefixedPage(prefix, marker, maxItems)
	return acct, prefix, p, err
}
