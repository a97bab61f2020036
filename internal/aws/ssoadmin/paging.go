package ssoadmin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// A list's NextToken is the store's token bound to the list's parameters
// (its operation, account, permission set, principal or filter), so that
// a token sent with other parameters is invalid, as in AWS, rather than
// silently starting the other list part-way through: the store's own
// token only says which table it pages.

// page builds a store page from MaxResults (1-100) and a NextToken that
// nextToken issued for the same scope.
func page(maxResults *int, token string, scope ...string) (store.Page, error) {
	limit, err := protocol.Limit(maxResults, 100, 100)
	if err != nil || token == "" {
		return store.Page{Limit: limit}, err
	}
	sum := scopeSum(scope) // fixed length; "." and "_" are outside the model's token pattern
	inner, ok := strings.CutPrefix(token, sum)
	if !ok {
		return store.Page{}, errs.E(errs.Invalid, "invalid NextToken: it continues another list")
	}
	return store.Page{Limit: limit, Token: inner}, nil
}

// nextToken is the NextToken of a page: the store's token bound to scope.
func nextToken(next string, scope ...string) string {
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
