package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// newSigningKey returns an unsaved key of use activating at at. Its
// "sealed" bytes are opaque to the store.
func (h *idpHarness) newSigningKey(use string, at time.Time) directory.SigningKey {
	n := h.next()
	return directory.SigningKey{ID: fmt.Sprintf("kwkKey%03d", n), Use: use, Algorithm: directory.KeyAlgRS256,
		SealedPrivateKey: []byte{0, 1, 2, byte(n)}, Certificate: []byte{0x30, byte(n)},
		Created: h.clk.Now(), ActivatesAt: at}
}

var idpSigningKeyTests = []idpTest{
	{"the first key of a use is stored once, with its event, and a second first key is not", func(t *testing.T, h *idpHarness) {
		k := h.newSigningKey(directory.KeyUseSAML, h.clk.Now())
		stored, err := h.s.CreateFirstSigningKey(h.ctx, k)
		ok(t, err)
		equal(t, "stored", true, stored)
		e := h.lastEvent(t)
		equal(t, "event", [2]string{"system.signing_key.create", k.ID}, [2]string{e.Action, e.TargetID})
		h.nothingWritten(t, func() {
			stored, err = h.s.CreateFirstSigningKey(h.ctx, h.newSigningKey(directory.KeyUseSAML, h.clk.Now()))
			ok(t, err)
			equal(t, "second stored", false, stored)
		})
		got, err := h.s.SigningKeys(h.ctx, directory.KeyUseSAML)
		ok(t, err)
		equal(t, "keys", []directory.SigningKey{k}, got)
	}},
	{"replicas racing to create the first key store exactly one", func(t *testing.T, h *idpHarness) {
		var wg sync.WaitGroup
		wins := make(chan bool, 8)
		for range 8 {
			k := h.newSigningKey(directory.KeyUseSAML, h.clk.Now())
			wg.Go(func() {
				stored, err := h.s.CreateFirstSigningKey(h.ctx, k)
				if err != nil {
					t.Errorf("create first key: %v", err)
				}
				wins <- stored
			})
		}
		wg.Wait()
		close(wins)
		n := 0
		for w := range wins {
			if w {
				n++
			}
		}
		equal(t, "keys stored", 1, n)
		got, err := h.s.SigningKeys(h.ctx, directory.KeyUseSAML)
		ok(t, err)
		equal(t, "keys listed", 1, len(got))
	}},
	{"a rotation stores the next key and retires the current one when the next activates", func(t *testing.T, h *idpHarness) {
		first := h.newSigningKey(directory.KeyUseSAML, h.clk.Now())
		_, err := h.s.CreateFirstSigningKey(h.ctx, first)
		ok(t, err)
		other := h.newSigningKey(directory.KeyUseOIDC, h.clk.Now())
		_, err = h.s.CreateFirstSigningKey(h.ctx, other)
		ok(t, err)
		next := h.newSigningKey(directory.KeyUseSAML, h.clk.Now().Add(48*time.Hour))
		ok(t, h.s.RotateSigningKey(h.ctx, next))
		equal(t, "event", "system.signing_key.rotate", h.lastEvent(t).Action)
		got, err := h.s.SigningKeys(h.ctx, directory.KeyUseSAML)
		ok(t, err)
		first.RetiresAt = next.ActivatesAt
		equal(t, "saml keys", []directory.SigningKey{first, next}, got)
		gotOIDC, err := h.s.SigningKeys(h.ctx, directory.KeyUseOIDC)
		ok(t, err)
		equal(t, "the other use's keys", []directory.SigningKey{other}, gotOIDC)
	}},
	{"rotating a use with no key is not found and writes nothing", func(t *testing.T, h *idpHarness) {
		h.nothingWritten(t, func() {
			err := h.s.RotateSigningKey(h.ctx, h.newSigningKey(directory.KeyUseSAML, h.clk.Now()))
			notFound(t, err, store.ResourceSigningKey)
		})
	}},
	{"a key without its sealed private key is refused", func(t *testing.T, h *idpHarness) {
		k := h.newSigningKey(directory.KeyUseSAML, h.clk.Now())
		k.SealedPrivateKey = nil
		h.nothingWritten(t, func() {
			_, err := h.s.CreateFirstSigningKey(h.ctx, k)
			isKind(t, err, errs.Invalid)
		})
	}},
}
