package protocol

import (
	"testing"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

func TestStoreErrorsAreWordedInAWSTerms(t *testing.T) {
	cases := []struct {
		name            string
		in              *errs.Error
		wantMsg, wantRT string
	}{
		{"a missing user", errs.E(errs.NotFound, "user u1 not found").WithResource(store.ResourceUser, "u1"), "USER not found.", "USER"},
		{"a missing account names it", errs.E(errs.NotFound, "x").WithResource(store.ResourceAccount, "111122223333"), "ACCOUNT 111122223333 not found.", "ACCOUNT"},
		{"a taken id", errs.E(errs.Conflict, "x").WithResource(store.ResourceGroup, "").WithField(store.FieldID), "GROUP already exists.", "GROUP"},
		{"a store name AWS has no word for is not shown", errs.E(errs.NotFound, "token not found").WithResource(store.ResourceToken, ""), "token not found", ""},
		{"a service's own wording passes", errs.E(errs.NotFound, "IDENTITY_STORE not found.").WithResource("IDENTITY_STORE", "d-1"), "IDENTITY_STORE not found.", "IDENTITY_STORE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, _ := errs.As(WordStoreError(c.in))
			if e.Message != c.wantMsg || e.ResourceType != c.wantRT || e.Kind != c.in.Kind || e.Field != "" {
				t.Errorf("got %q %q %s field %q, want %q %q %s", e.Message, e.ResourceType, e.Kind, e.Field, c.wantMsg, c.wantRT, c.in.Kind)
			}
		})
	}
}
