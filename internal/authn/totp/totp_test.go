package totp

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/errs"
)

func TestGenerate(t *testing.T) {
	t.Run("a key has a 20-byte secret read from random and its URI", func(t *testing.T) {
		seed := bytes.Repeat([]byte{7}, SecretSize)
		k, err := Generate(bytes.NewReader(seed), "Keyward", "alice")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(k.Secret, seed) {
			t.Errorf("secret = %x, want %x", k.Secret, seed)
		}
		if want := URI(seed, "Keyward", "alice"); k.URI != want {
			t.Errorf("URI = %s, want %s", k.URI, want)
		}
	})
	t.Run("two keys from a real source differ", func(t *testing.T) {
		a, _ := Generate(rand.Reader, "Keyward", "alice")
		b, _ := Generate(rand.Reader, "Keyward", "alice")
		if bytes.Equal(a.Secret, b.Secret) {
			t.Error("same secret twice")
		}
	})
	t.Run("a short random source is an error", func(t *testing.T) {
		_, err := Generate(bytes.NewReader(make([]byte, 5)), "Keyward", "alice")
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("err = %v, want io.ErrUnexpectedEOF", err)
		}
	})
	t.Run("an issuer with a colon or an empty account is invalid", func(t *testing.T) {
		for _, c := range [][2]string{{"Key:ward", "alice"}, {"Keyward", ""}} {
			if _, err := Generate(rand.Reader, c[0], c[1]); !errs.Is(err, errs.Invalid) {
				t.Errorf("Generate(%q, %q) err = %v, want Invalid", c[0], c[1], err)
			}
		}
	})
}

func TestURI(t *testing.T) {
	secret := []byte("12345678901234567890")
	t.Run("the URI parses back to its secret, issuer, account and parameters", func(t *testing.T) {
		const issuer, account = "Key Ward & Co", "a b@c:d?e"
		u, err := url.Parse(URI(secret, issuer, account))
		if err != nil {
			t.Fatal(err)
		}
		if u.Scheme != "otpauth" || u.Host != "totp" {
			t.Errorf("scheme, host = %q, %q", u.Scheme, u.Host)
		}
		if want := "/" + issuer + ":" + account; u.Path != want {
			t.Errorf("label = %q, want %q", u.Path, want)
		}
		q := u.Query()
		got, err := noPad.DecodeString(q.Get("secret"))
		if err != nil || !bytes.Equal(got, secret) {
			t.Errorf("secret decodes to %q, %v", got, err)
		}
		want := url.Values{"secret": {Base32(secret)}, "issuer": {issuer},
			"algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
		if d := cmp.Diff(want, q); d != "" {
			t.Errorf("query (-want +got):\n%s", d)
		}
	})
	t.Run("spaces, colons and question marks in the label are escaped", func(t *testing.T) {
		got := URI(secret, "Key Ward", "a b@c:d?e")
		label := strings.TrimPrefix(got[:strings.IndexByte(got, '?')], "otpauth://totp/")
		if want := "Key%20Ward:a%20b@c%3Ad%3Fe"; label != want {
			t.Errorf("label = %s, want %s", label, want)
		}
		if !strings.Contains(got, "&issuer=Key%20Ward&") {
			t.Errorf("issuer parameter not escaped with %%20: %s", got)
		}
	})
	t.Run("the exact URI for a plain issuer and account", func(t *testing.T) {
		want := "otpauth://totp/Keyward:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" +
			"&issuer=Keyward&algorithm=SHA1&digits=6&period=30"
		if got := URI(secret, "Keyward", "alice@example.com"); got != want {
			t.Errorf("URI =\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("an empty issuer leaves out the prefix and the parameter", func(t *testing.T) {
		got := URI(secret, "", "alice")
		if want := "otpauth://totp/alice?secret=" + Base32(secret) + "&algorithm=SHA1&digits=6&period=30"; got != want {
			t.Errorf("URI = %s, want %s", got, want)
		}
	})
}

func TestBase32(t *testing.T) {
	secret := []byte("12345678901234567890")
	t.Run("the secret is upper-case base32 with no padding", func(t *testing.T) {
		if got, want := Base32(secret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; got != want {
			t.Errorf("Base32 = %s, want %s", got, want)
		}
		if got := Base32([]byte{1}); strings.Contains(got, "=") {
			t.Errorf("Base32 padded: %s", got)
		}
	})
	t.Run("the grouped form has groups of four and a shorter last group", func(t *testing.T) {
		if got, want := Base32Grouped(secret), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"; got != want {
			t.Errorf("Base32Grouped = %s, want %s", got, want)
		}
		if got, want := Base32Grouped([]byte{0xff, 0xff}), "777Q"; got != want {
			t.Errorf("Base32Grouped = %s, want %s", got, want)
		}
		if got, want := Base32Grouped([]byte("hello")), "NBSW Y3DP"; got != want {
			t.Errorf("Base32Grouped = %s, want %s", got, want)
		}
		if got, want := Base32Grouped([]byte("hello!")), "NBSW Y3DP EE"; got != want {
			t.Errorf("Base32Grouped = %s, want %s", got, want)
		}
	})
}
