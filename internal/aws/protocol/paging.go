package protocol

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// A list's NextToken is the store's token bound to the list's parameters
// (its operation and what it lists: an account, a permission set, a
// principal, a group, a filter), so that a token sent with other
// parameters is invalid, as in AWS, rather than silently starting the
// other list part-way through: the store's own token only says which
// table it pages.

// ScopedPage builds a store page from MaxResults (1-100, default 100) and
// a NextToken that ScopedToken issued for the same scope.
func ScopedPage(maxResults *int, token string, scope ...string) (store.Page, error) {
	limit, err := Limit(maxResults, 100, 100)
	if err != nil || token == "" {
		return store.Page{Limit: limit}, err
	}
	sum := scopeSum(scope) // fixed length; "." and "_" are outside the models' token patterns
	inner, ok := strings.CutPrefix(token, sum)
	if !ok {
		return store.Page{}, errs.E(errs.Invalid, "invalid NextToken: it continues another list")
	}
	return store.Page{Limit: limit, Token: inner}, nil
}

// ScopedToken is the NextToken of a page: the store's token next bound to
// scope ("" when there is no next page).
func ScopedToken(next string, scope ...string) string {
	if next == "" {
		return ""
	}
	return scopeSum(scope) + next
}

// scopeSum identifies a list's parameters in its tokens.
func scopeSum(scope []string) string {
	h := sha256.New()
	for _, s := range scope {
		fmt.Fprintf(h, "%d:%s,", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
