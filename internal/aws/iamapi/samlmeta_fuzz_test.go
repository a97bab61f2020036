package iamapi

import (
	"os"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
)

// FuzzSAMLMetadata: parseSAMLMetadata never panics; what it refuses is
// InvalidInput, and what it accepts names an entity and holds at least one
// signing certificate.
func FuzzSAMLMetadata(f *testing.F) {
	good, err := os.ReadFile("testdata/idp-metadata.xml")
	if err != nil {
		f.Fatal(err)
	}
	md := string(good)
	for _, seed := range []string{
		md,
		`<!DOCTYPE x [<!ENTITY a "aaaa">]>` + md[strings.Index(md, "<md:"):],
		strings.Replace(md, `use="signing"`, "", 1),
		strings.Replace(md, `validUntil="2046-01-01T00:00:00Z"`, `validUntil="tomorrow"`, 1),
		strings.Repeat("<a>", 100) + strings.Repeat(" ", 1000),
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		m, err := parseSAMLMetadata(doc)
		if err != nil {
			if e, ok := errs.As(err); !ok || e.Code != "InvalidInput" {
				t.Fatalf("refusal %v is not InvalidInput", err)
			}
			return
		}
		if m.EntityID == "" || len(m.Certificates) == 0 {
			t.Fatalf("accepted metadata with entity %q and %d certificates", m.EntityID, len(m.Certificates))
		}
	})
}
