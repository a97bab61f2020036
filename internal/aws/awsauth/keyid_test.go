package awsauth

import (
	"testing"

	"github.com/keyward/keyward/internal/clock"
)

func TestATemporaryKeyIDCarriesItsAccount(t *testing.T) {
	for _, account := range []string{"000000000001", "111122223333", "999999999999", "222222222222"} {
		t.Run(account, func(t *testing.T) {
			for range 50 {
				id := newTemporaryKeyID(clock.Random, account)
				got, err := AccountOfKeyID(id)
				if err != nil || got != account || len(id) != 20 || id[:4] != "ASIA" {
					t.Fatalf("%s decodes to %q, %v; want %s", id, got, err, account)
				}
			}
		})
	}
}

func TestAccountOfKeyIDReadsAWSKeys(t *testing.T) {
	// AWS's documentation example key id; its published decoding names this account.
	got, err := AccountOfKeyID("ASIAY34FZKBOKMUTVV7A")
	if err != nil || got != "609629065308" {
		t.Errorf("AccountOfKeyID = %q, %v; want 609629065308", got, err)
	}
	for _, bad := range []string{"", "ASIA", "ASIAY34FZKBOKMUTVV7!", "ASIAY34FZKBOKMUTVV7AA"} {
		if _, err := AccountOfKeyID(bad); err == nil {
			t.Errorf("AccountOfKeyID(%q) succeeded", bad)
		}
	}
}
