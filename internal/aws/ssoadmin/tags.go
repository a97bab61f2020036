package ssoadmin

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// Tags on the instance and on permission sets. keyward has no applications
// or trusted token issuers, so their ARNs name nothing.

// maxTagKeys is the service model's bound on UntagResource's TagKeys.
const maxTagKeys = 75

type tagResourceInput struct {
	InstanceArn string
	ResourceArn string
	Tags        []ic.Tag
}

// ConditionKeys are the request's tags, for policies that limit them.
func (in *tagResourceInput) ConditionKeys() map[string][]string { return requestTagKeys(in.Tags) }

// ConditionKeys are the tags the permission set is created with.
func (in *createPermissionSetInput) ConditionKeys() map[string][]string {
	return requestTagKeys(in.Tags)
}

// requestTagKeys are aws:RequestTag/<key> for each tag and aws:TagKeys.
func requestTagKeys(tags []ic.Tag) map[string][]string {
	keys := map[string][]string{}
	for _, t := range tags {
		keys["aws:RequestTag/"+t.Key] = []string{t.Value}
		keys["aws:TagKeys"] = append(keys["aws:TagKeys"], t.Key)
	}
	return keys
}

type untagResourceInput struct {
	InstanceArn string
	ResourceArn string
	TagKeys     []string
}

// ConditionKeys are the keys the request removes.
func (in *untagResourceInput) ConditionKeys() map[string][]string {
	return map[string][]string{"aws:TagKeys": in.TagKeys}
}

func (s *Service) tagResource(ctx context.Context, in *tagResourceInput) (*struct{}, error) {
	if in.Tags == nil {
		return nil, errs.E(errs.Invalid, "tags is required")
	}
	if err := ic.ValidateTags(in.Tags); err != nil {
		return nil, err
	}
	return &struct{}{}, s.retag(ctx, in.InstanceArn, in.ResourceArn, func(tags []ic.Tag) []ic.Tag {
		for _, t := range in.Tags {
			tags = slices.DeleteFunc(tags, func(old ic.Tag) bool { return old.Key == t.Key })
			tags = append(tags, t)
		}
		return tags
	})
}

func (s *Service) untagResource(ctx context.Context, in *untagResourceInput) (*struct{}, error) {
	if len(in.TagKeys) == 0 || len(in.TagKeys) > maxTagKeys {
		return nil, errs.E(errs.Invalid, "TagKeys must hold 1 to %d keys", maxTagKeys)
	}
	for _, k := range in.TagKeys {
		if !ic.ValidTagKey(k) {
			return nil, errs.E(errs.Invalid, "tag keys must be 1 to 128 characters of letters, digits, spaces and _.:/=+-@")
		}
	}
	return &struct{}{}, s.retag(ctx, in.InstanceArn, in.ResourceArn, func(tags []ic.Tag) []ic.Tag {
		return slices.DeleteFunc(tags, func(t ic.Tag) bool { return slices.Contains(in.TagKeys, t.Key) })
	})
}

// retag replaces the tags of the resource arn names with fn's, refusing
// more than ValidateTags allows.
func (s *Service) retag(ctx context.Context, instanceARN, arn string, fn func([]ic.Tag) []ic.Tag) error {
	if err := protocol.Required("resourceArn", arn); err != nil {
		return err
	}
	res, err := ic.ParseTaggableARN(arn)
	if err != nil {
		return err
	}
	switch res.Kind {
	case ic.ResourcePermissionSet:
		return s.update(ctx, instanceARN, arn, func(ps *ic.PermissionSet) error {
			ps.Tags = fn(slices.Clone(ps.Tags))
			return ic.ValidateTags(ps.Tags)
		})
	case ic.ResourceInstance:
		if _, err := s.checkInstance(ctx, arn); err != nil {
			return err
		}
		_, err := s.store.UpdateInstance(ctx, func(i ic.Instance) (ic.Instance, error) {
			i.Tags = fn(slices.Clone(i.Tags))
			return i, ic.ValidateTags(i.Tags)
		})
		return err
	}
	return errs.E(errs.NotFound, "%s %s not found", res.Kind, arn)
}
