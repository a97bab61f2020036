package webidentity

import (
	"encoding/json"
	"sort"

	"github.com/keyward/keyward/internal/iam"
)

// awsTags is the "https://aws.amazon.com/tags" claim: session tags (one
// value each) and which of them are transitive.
type awsTags struct {
	PrincipalTags     map[string][]string `json:"principal_tags"`
	TransitiveTagKeys []string            `json:"transitive_tag_keys"`
}

// maxTags is how many session tags a token may carry, as STS allows.
const maxTags = 50

// sessionTags reads the tags claim, when present: sorted by key, each
// with exactly one value. STS checks the keys and values as it checks any
// session tag.
func sessionTags(raw json.RawMessage) ([]iam.Tag, []string, error) {
	if len(raw) == 0 {
		return nil, nil, nil
	}
	var t awsTags
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, nil, Invalid("The https://aws.amazon.com/tags claim must be an object with principal_tags and transitive_tag_keys.")
	}
	if len(t.PrincipalTags) > maxTags {
		return nil, nil, Invalid("The token carries more than 50 session tags.")
	}
	tags := make([]iam.Tag, 0, len(t.PrincipalTags))
	for k, v := range t.PrincipalTags {
		if len(v) != 1 {
			return nil, nil, Invalid("Each principal tag in the token must have exactly one value.")
		}
		tags = append(tags, iam.Tag{Key: k, Value: v[0]})
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	return tags, t.TransitiveTagKeys, nil
}
