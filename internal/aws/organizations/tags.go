package organizations

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

// tagTextRe is the model's TagKey and TagValue pattern.
var tagTextRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// validateTags checks tags as Organizations does: at most ic.MaxOrgTags,
// keys of 1 to 128 and values of at most 256 characters from the model's
// pattern, no reserved aws: keys, no key twice.
func validateTags(tags []ic.Tag) error {
	if len(tags) > ic.MaxOrgTags {
		return constraintViolation("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the number of tags allowed on this resource.")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if err := validateTagKey(t.Key); err != nil {
			return err
		}
		if utf8.RuneCountInString(t.Value) > 256 {
			return invalid("MAX_LENGTH_EXCEEDED", "tag value of %.64q must be at most 256 characters", t.Key)
		}
		if !tagTextRe.MatchString(t.Value) {
			return invalid("INVALID_PATTERN", "tag value of %.64q may hold only letters, digits, spaces and _.:/=+-@", t.Key)
		}
		if seen[t.Key] {
			return invalid("DUPLICATE_TAG_KEY", "Tag keys must be unique among the tags attached to the same entity; %.64q appears twice.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

func validateTagKey(k string) error {
	if n := utf8.RuneCountInString(k); n < 1 || n > 128 {
		return invalid("MAX_LENGTH_EXCEEDED", "tag key %.64q must be 1 to 128 characters", k)
	}
	if !tagTextRe.MatchString(k) {
		return invalid("INVALID_PATTERN", "tag key %.64q may hold only letters, digits, spaces and _.:/=+-@", k)
	}
	if strings.HasPrefix(strings.ToLower(k), "aws:") {
		return invalid("INVALID_SYSTEM_TAGS_PARAMETER", "tag key %.64q uses the prefix aws:, reserved for AWS use", k)
	}
	return nil
}

type tagResourceInput struct {
	ResourceID string `json:"ResourceId"`
	Tags       []ic.Tag
}

// checkTaggable refuses a malformed resource id and the AWS managed
// policy, which no organization can tag.
func checkTaggable(id string) error {
	if err := checkID("resourceId", id, validTaggable, "INVALID_PATTERN", tagResShape); err != nil {
		return err
	}
	if id == ic.FullAWSAccessID {
		return invalid("TARGET_NOT_SUPPORTED", "You can't perform the specified operation on that target entity: %s is managed by AWS.", id)
	}
	return nil
}

func (s *Service) tagResource(ctx context.Context, in *tagResourceInput) (*struct{}, error) {
	if err := checkTaggable(in.ResourceID); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, inputRequired(requiredList("tags"))
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	return done(s.store.TagOrgResource(ctx, in.ResourceID, in.Tags))
}

type untagResourceInput struct {
	ResourceID string `json:"ResourceId"`
	TagKeys    []string
}

func (s *Service) untagResource(ctx context.Context, in *untagResourceInput) (*struct{}, error) {
	if err := checkTaggable(in.ResourceID); err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, inputRequired(requiredList("tagKeys"))
	}
	if len(in.TagKeys) > ic.MaxOrgTags {
		return nil, invalid("INVALID_LIST_MEMBER", "TagKeys may list at most %d keys", ic.MaxOrgTags)
	}
	for _, k := range in.TagKeys {
		if err := validateTagKey(k); err != nil {
			return nil, err
		}
	}
	return done(s.store.UntagOrgResource(ctx, in.ResourceID, in.TagKeys))
}

type listTagsInput struct {
	ResourceID string `json:"ResourceId"`
	NextToken  string
}

type listTagsOutput struct {
	Tags      []ic.Tag
	NextToken string `json:",omitempty"`
}

// listTagsForResource returns every tag in one page: a resource carries at
// most ic.MaxOrgTags.
func (s *Service) listTagsForResource(ctx context.Context, in *listTagsInput) (*listTagsOutput, error) {
	if err := checkID("resourceId", in.ResourceID, validTaggable, "INVALID_PATTERN", tagResShape); err != nil {
		return nil, err
	}
	if in.NextToken != "" {
		return nil, invalid("INVALID_NEXT_TOKEN", "invalid NextToken")
	}
	tags, err := s.store.OrgResourceTags(ctx, in.ResourceID)
	if err != nil {
		return nil, err
	}
	if tags == nil {
		tags = []ic.Tag{}
	}
	return &listTagsOutput{Tags: tags}, nil
}
