package vault

import (
	"bytes"
	"errors"
	"maps"
	"testing"
)

var fuzzKey = [32]byte{1, 2, 3}

func sealedSeed(t testing.TB, m map[string][]byte) []byte {
	h := header{version: fileVersion, kdf: cheapKDF, salt: [saltLen]byte{9}}
	data, err := seal(h, &fuzzKey, m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// FuzzFileDecode feeds arbitrary files to the header parser and the
// decryption: every input is either opened or refused with an error,
// never a panic or an unbounded allocation.
func FuzzFileDecode(f *testing.F) {
	good := sealedSeed(f, map[string][]byte{"sso/token": []byte(`{"accessToken":"x"}`)})
	f.Add(good)
	f.Add(sealedSeed(f, map[string][]byte{}))
	f.Add(good[:headerLen])
	f.Add(good[:len(good)-1])
	f.Add([]byte(fileMagic))
	f.Add([]byte(fileMagic + "\x01"))
	f.Add([]byte("KWVAULT\x02garbage"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := parseHeader(data)
		if err != nil {
			var d *damagedError
			if !errors.As(err, &d) {
				t.Fatalf("parseHeader error %T is not a damagedError: %v", err, err)
			}
			return
		}
		if err := h.kdf.check(); err != nil {
			t.Fatalf("parseHeader accepted costs it should refuse: %v", err)
		}
		m, err := openPayload(h, data, &fuzzKey)
		if err != nil {
			return
		}
		again, err := seal(h, &fuzzKey, m)
		if err != nil {
			t.Fatal(err)
		}
		h2, err := parseHeader(again)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := openPayload(h2, again, &fuzzKey)
		if err != nil || !maps.EqualFunc(m, m2, bytes.Equal) {
			t.Fatalf("re-sealed vault does not open to the same entries: %v", err)
		}
	})
}

// FuzzEntries feeds arbitrary decrypted contents to the entry decoder.
func FuzzEntries(f *testing.F) {
	f.Add([]byte(`{"a":"dg=="}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"a":"not base64!"}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, pt []byte) {
		m, err := decodeEntries(pt)
		if err != nil {
			var d *damagedError
			if !errors.As(err, &d) {
				t.Fatalf("decodeEntries error %T is not a damagedError: %v", err, err)
			}
			return
		}
		if m == nil {
			t.Fatal("decodeEntries returned a nil map without an error")
		}
	})
}
