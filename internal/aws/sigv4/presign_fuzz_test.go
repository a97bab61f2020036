package sigv4

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

func presignSeeds(f *testing.F) {
	r := presignedGet("http://sts.keyward.test").presign(f, "900")
	f.Add(r.URL.RawQuery)
	f.Add(callerIdentityQuery + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20261122%2Fr%2Fs%2Faws4_request" +
		"&X-Amz-Date=20261122T024507Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=" + goodSig)
	f.Add("X-Amz-Expires=604801&X-Amz-Expires=1&X-Amz-Signature=&X-Amz-Date=2026")
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%2F%2F%2F%2F&X-Amz-SignedHeaders=%3B%3B&a=%zz")
	f.Add("")
}

func FuzzParsePresigned(f *testing.F) {
	presignSeeds(f)
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := ParsePresigned(raw)
		if err != nil {
			return
		}
		if !slices.IsSorted(p.SignedHeaders) || !p.Signs("host") || len(p.Signature) != 64 ||
			p.Validity() < time.Second || p.Validity() > MaxExpires || p.Expires < 0 {
			t.Fatalf("parsed %q into a Presigned that breaks its invariants: %+v", raw, p)
		}
		again, err := ParsePresigned(p.Values().Encode())
		if err != nil {
			t.Fatalf("re-parsing the values of %q: %v", raw, err)
		}
		if again.Credential() != p.Credential() || again.Signature != p.Signature || !again.SignedAt.Equal(p.SignedAt) ||
			again.Expires != p.Expires || again.SessionToken != p.SessionToken || !slices.Equal(again.SignedHeaders, p.SignedHeaders) {
			t.Fatalf("re-parsing changed %+v into %+v", p, again)
		}
	})
}

// FuzzVerifyPresigned: no query string verifies against a secret nobody
// signed with, and none makes VerifyPresigned panic.
func FuzzVerifyPresigned(f *testing.F) {
	presignSeeds(f)
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest(http.MethodGet, "http://sts.keyward.test/", nil)
		r.URL.RawQuery = raw
		v := newVerifier(signTime)
		v.Lookup = func(context.Context, string, string) (Key, error) { return Key{Secret: secretNobodyHas}, nil }
		if res, err := v.VerifyPresigned(r, nil); err == nil {
			t.Fatalf("a query signed by no one verified: %+v\n%q", res, raw)
		}
	})
}
