package ssoadmin

import (
	"encoding/base64"
	"slices"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

func TestPolicyPageWalksThePoliciesInAttachmentOrder(t *testing.T) {
	arns := []string{"c", "a", "b", "e", "d"}
	var got []string
	token, pages := "", 0
	for {
		start, end, next, err := policyPage(arns, 2, token)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		got, token, pages = append(got, arns[start:end]...), next, pages+1
		if token == "" {
			break
		}
	}
	if !slices.Equal(got, arns) || pages != 3 {
		t.Errorf("walked %v in %d pages, want %v in 3", got, pages, arns)
	}
}

func TestPolicyPageRefusesATokenThatNamesNoAttachedPolicy(t *testing.T) {
	for name, token := range map[string]string{
		"not base64":                "!!",
		"a policy that is detached": base64.RawURLEncoding.EncodeToString([]byte("z")),
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, _, err := policyPage([]string{"a", "b"}, 1, token); !errs.Is(err, errs.Invalid) {
				t.Errorf("err = %v, want Invalid", err)
			}
		})
	}
}

func TestPolicyPageOfAnEmptyListIsEmptyWithoutAToken(t *testing.T) {
	start, end, next, err := policyPage(nil, 100, "")
	if err != nil || start != 0 || end != 0 || next != "" {
		t.Errorf("policyPage(nil) = %d, %d, %q, %v", start, end, next, err)
	}
}
