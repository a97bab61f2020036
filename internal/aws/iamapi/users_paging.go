package iamapi

import (
	"context"

	"github.com/keyward/keyward/internal/store"
)

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
