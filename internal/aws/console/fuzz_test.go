package console_test

import (
	"context"
	"testing"
)

// FuzzLoginAndOpen: no input a browser can send opens a console session
// that keyward did not seal.
func FuzzLoginAndOpen(f *testing.F) {
	fx := newFixture(f)
	tok, _ := fx.svc.SigninToken(fx.creds, 0)
	for _, s := range []string{"", "AAAA", tok, tok[:len(tok)-1], "%%%", "eyJhbGciOiJub25lIn0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == tok {
			return
		}
		if _, _, err := fx.svc.Login(context.Background(), v, ""); err == nil {
			t.Fatalf("Login(%q) signed in", v)
		}
		if _, ok := fx.svc.Open(v); ok {
			t.Fatalf("Open(%q) opened a session", v)
		}
	})
}
