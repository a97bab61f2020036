package samlsp_test

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/aws/samlsp/samltest"
)

// pysaml2Response has pysaml2, loading keyward's SP metadata, sign a
// Response for nameID with idp's key, and returns the ACS form.
func pysaml2Response(t *testing.T, f *fixture, idp *testIdP, nameID, inResponseTo string) url.Values {
	t.Helper()
	return url.Values{"SAMLResponse": {idp.st.PySAML2Response(t, f.sp.Metadata(), nameID, or(inResponseTo, "-"))}}
}

func or(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

func TestPySAML2AsAnIdentityProviderSignsPeopleIn(t *testing.T) {
	samltest.NeedPySAML2(t)
	f := newFixture(t)
	// pysaml2 stamps the response with the real time.
	now := time.Now().UTC()
	f.clk.Advance(now.Sub(f.clk.Now()))
	idp := newIdP(t, 1, "https://pysaml2.idp.test", now.Add(-time.Hour), now.Add(time.Hour))
	f.trust(t, idp)

	req, err := f.sp.AuthnRequest(f.ctx, "/start")
	if err != nil {
		t.Fatal(err)
	}
	post := pysaml2Response(t, f, idp, "Alice@Example.com", req.ID)
	post.Set("RelayState", "/start")
	got, err := f.sp.Consume(f.ctx, post)
	if err != nil {
		t.Fatalf("keyward refused pysaml2's response: %v", err)
	}
	if got.User.ID != f.alice.ID || !got.SPInitiated || got.AccessControl["Department"] != "Engineering" {
		t.Errorf("result %+v, want alice, SP-initiated, Department Engineering", got)
	}

	t.Run("a tampered copy is refused", func(t *testing.T) {
		post := pysaml2Response(t, f, idp, "mallory@example.com", "")
		doc, err := base64.StdEncoding.DecodeString(post.Get("SAMLResponse"))
		if err != nil {
			t.Fatal(err)
		}
		tampered := bytes.Replace(doc, []byte("mallory@example.com"), []byte("alice@example.com"), 1)
		if bytes.Equal(tampered, doc) {
			t.Fatal("the response does not name mallory")
		}
		_, err = f.sp.Consume(f.ctx, formOf(tampered, ""))
		refused(t, err, samlsp.ReasonSignature)
	})
}
