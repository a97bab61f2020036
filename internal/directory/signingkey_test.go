package directory_test

import (
	"slices"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
)

func TestSigningKeyRotationWindows(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	const overlap = 24 * time.Hour
	// prev was rotated out at t0: next is published at once and signs
	// from t0+overlap, when prev retires.
	prev := directory.SigningKey{ID: "prev", ActivatesAt: t0.Add(-90 * 24 * time.Hour), RetiresAt: t0.Add(overlap)}
	next := directory.SigningKey{ID: "next", ActivatesAt: t0.Add(overlap)}
	keys := []directory.SigningKey{prev, next}
	tests := []struct {
		name      string
		at        time.Time
		signer    string
		published []string
	}{
		{"during the overlap before the switch the previous key signs and both are published", t0, "prev", []string{"prev", "next"}},
		{"at the switch the next key signs and both are published", t0.Add(overlap), "next", []string{"prev", "next"}},
		{"an overlap after the switch only the next key is published", t0.Add(2 * overlap), "next", []string{"next"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, ok := directory.ActiveSigningKey(keys, tc.at)
			if !ok || k.ID != tc.signer {
				t.Errorf("signer %q (%v), want %q", k.ID, ok, tc.signer)
			}
			var got []string
			for _, p := range directory.PublishedSigningKeys(keys, tc.at, overlap) {
				got = append(got, p.ID)
			}
			if !slices.Equal(got, tc.published) {
				t.Errorf("published %v, want %v", got, tc.published)
			}
		})
	}
	t.Run("no key signs before the first activates", func(t *testing.T) {
		if _, ok := directory.ActiveSigningKey([]directory.SigningKey{next}, t0); ok {
			t.Error("a key signed before it activated")
		}
	})
}
