package authz

import (
	"log/slog"
	"sync"

	"github.com/keyward/keyward/internal/iam"
)

// maxCachedDocs bounds the parsed-document cache; past it the cache starts
// over, which costs a re-parse and nothing else.
const maxCachedDocs = 4096

// docCache keeps policy documents of one kind parsed, by their text, so
// that a policy is parsed once, not on every call.
type docCache struct {
	parse  func([]byte) (iam.Document, error)
	mu     sync.Mutex
	parsed map[string]iam.Document
}

// denyAll stands in for a stored document that no longer parses: one
// keyward validated can only fail to if the parser grew stricter since
// (an upgrade). Leaving it out would drop any Deny it holds, so it
// denies everything instead, until an administrator replaces it; the log
// names the failure.
var denyAll = iam.Document{Version: "2012-10-17", Statement: []iam.Statement{{Effect: "Deny",
	Principal: map[string][]string{"*": {"*"}}, Action: []string{"*"}, Resource: []string{"*"}}}}

// add appends the parsed text to docs, or denyAll for text that does not
// parse.
func (c *docCache) add(docs []iam.Document, text string) []iam.Document {
	if text == "" {
		return docs
	}
	c.mu.Lock()
	doc, hit := c.parsed[text]
	c.mu.Unlock()
	if !hit {
		var err error
		if doc, err = c.parse([]byte(text)); err != nil {
			slog.Error("a stored policy document no longer parses; it denies everything until it is replaced",
				"error", err, "document", text)
			doc = denyAll
		}
		c.mu.Lock()
		if c.parsed == nil || len(c.parsed) >= maxCachedDocs {
			c.parsed = map[string]iam.Document{}
		}
		c.parsed[text] = doc
		c.mu.Unlock()
	}
	return append(docs, doc)
}
