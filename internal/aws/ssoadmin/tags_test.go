package ssoadmin

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	ic "github.com/keyward/keyward/internal/identitycenter"
)

func TestTaggingRequestsCarryTheirTagsAsConditionKeys(t *testing.T) {
	tags := []ic.Tag{{Key: "team", Value: "a"}, {Key: "env", Value: "dev"}}
	want := map[string][]string{"aws:RequestTag/team": {"a"}, "aws:RequestTag/env": {"dev"}, "aws:TagKeys": {"team", "env"}}
	for name, in := range map[string]interface{ ConditionKeys() map[string][]string }{
		"TagResource":         &tagResourceInput{Tags: tags},
		"CreatePermissionSet": &createPermissionSetInput{Tags: tags},
	} {
		t.Run(name+" carries aws:RequestTag and aws:TagKeys", func(t *testing.T) {
			if diff := cmp.Diff(want, in.ConditionKeys()); diff != "" {
				t.Errorf("condition keys (-want +got):\n%s", diff)
			}
		})
	}
	got := (&untagResourceInput{TagKeys: []string{"env"}}).ConditionKeys()
	if diff := cmp.Diff(map[string][]string{"aws:TagKeys": {"env"}}, got); diff != "" {
		t.Errorf("UntagResource's condition keys (-want +got):\n%s", diff)
	}
}
