package webidentity

import (
	"encoding/json"
	"testing"
)

// FuzzSessionTags: the tags claim never panics, and what it accepts has
// one value per key and at most 50 tags.
func FuzzSessionTags(f *testing.F) {
	f.Add([]byte(`{"principal_tags":{"team":["infra"]},"transitive_tag_keys":["team"]}`))
	f.Add([]byte(`{"principal_tags":{"a":["1","2"]}}`))
	f.Add([]byte(`"x"`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return // the claim arrives inside JSON the token parser accepted
		}
		tags, _, err := sessionTags(raw)
		if err == nil && len(tags) > maxTags {
			t.Fatalf("accepted %d tags", len(tags))
		}
	})
}
