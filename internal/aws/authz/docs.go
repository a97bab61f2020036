package authz

import (
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
	parsed map[string]parsed
}

type parsed struct {
	doc iam.Document
	ok  bool
}

// add appends the parsed text to docs. Text that does not parse (a stored
// document keyward validated can only fail to parse if the parser grew
// stricter) is left out, so that it grants nothing.
func (c *docCache) add(docs []iam.Document, text string) []iam.Document {
	if text == "" {
		return docs
	}
	c.mu.Lock()
	p, hit := c.parsed[text]
	c.mu.Unlock()
	if !hit {
		doc, err := c.parse([]byte(text))
		p = parsed{doc: doc, ok: err == nil}
		c.mu.Lock()
		if c.parsed == nil || len(c.parsed) >= maxCachedDocs {
			c.parsed = map[string]parsed{}
		}
		c.parsed[text] = p
		c.mu.Unlock()
	}
	if !p.ok {
		return docs
	}
	return append(docs, p.doc)
}
