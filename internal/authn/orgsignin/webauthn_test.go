package orgsignin

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

const testOrigin = "http://localhost:8443"

// fixture is a sign-in service on a real SQLite store with two people.
type fixture struct {
	ctx        context.Context
	clk        *clock.Fake
	db         store.IdP
	s          *Service
	alice, bob directory.User
}

func newFixture(t *testing.T, orgURL string) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	sq := sqlitetest.Open(t, clk)
	var err error
	f := &fixture{ctx: ctx, clk: clk, db: sq.IdP()}
	f.s, err = New(Config{Store: f.db, Hasher: password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, 1, rand.Reader),
		Clock: clk, Random: rand.Reader, Master: make([]byte, 32), Issuer: "keyward test", OrgURL: orgURL})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		u    *directory.User
		name string
	}{{&f.alice, "alice"}, {&f.bob, "bob"}} {
		login := p.name + "@example.com"
		*p.u, err = f.db.CreateUser(ctx, directory.User{Status: directory.Active, Profile: directory.Profile{
			"login": login, "email": login, "firstName": p.name, "lastName": "Example"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// register enrols a new software key for u and returns it with its factor.
func (f *fixture) register(t *testing.T, u directory.User) (*softKey, directory.Factor) {
	t.Helper()
	opts, session, err := f.s.BeginWebAuthn(f.ctx, u)
	if err != nil {
		t.Fatalf("BeginWebAuthn: %v", err)
	}
	k := newSoftKey(t)
	factor, err := f.s.FinishWebAuthn(f.ctx, u, session, k.create(t, opts), "My key")
	if err != nil {
		t.Fatalf("FinishWebAuthn: %v", err)
	}
	return k, factor
}

// login begins a security-key check for u and answers it with k at counter.
func (f *fixture) login(t *testing.T, u directory.User, k *softKey, counter uint32) error {
	t.Helper()
	opts, session, err := f.s.BeginWebAuthnLogin(f.ctx, u.ID)
	if err != nil {
		t.Fatalf("BeginWebAuthnLogin: %v", err)
	}
	return f.s.VerifyWebAuthn(f.ctx, u.ID, session, k.get(t, opts, counter))
}

func wantKind(t *testing.T, what string, err error, kind errs.Kind) {
	t.Helper()
	if !errs.Is(err, kind) {
		t.Fatalf("%s: got %v (%s), want %s", what, err, errs.KindOf(err), kind)
	}
}

func TestSecurityKeyRegistersAndVerifiesWithACounterThatMustMoveForward(t *testing.T) {
	f := newFixture(t, testOrigin)
	k, factor := f.register(t, f.alice)
	if factor.Status != directory.FactorActive || factor.Type != directory.FactorWebAuthn || factor.Provider != "FIDO" ||
		factor.Name != "My key" || factor.CredentialID != base64.RawURLEncoding.EncodeToString(k.id) {
		t.Fatalf("factor: %+v", factor)
	}
	if !strings.Contains(string(factor.Credential), `"publicKey"`) || !strings.Contains(string(factor.Credential), `"backupEligible"`) {
		t.Fatalf("stored credential lacks the public key or flags: %s", factor.Credential)
	}
	if err := f.login(t, f.alice, k, 1); err != nil {
		t.Fatalf("first use: %v", err)
	}
	t.Run("a counter that did not move forward is refused and not stored", func(t *testing.T) {
		wantKind(t, "same counter", f.login(t, f.alice, k, 1), errs.Unauthenticated)
		stored, err := f.db.Factor(f.ctx, f.alice.ID, factor.ID)
		if err != nil || !strings.Contains(string(stored.Credential), `"signCount":1}`) {
			t.Fatalf("stored after a regression: %s (%v)", stored.Credential, err)
		}
	})
	t.Run("a counter that moves forward is accepted", func(t *testing.T) {
		if err := f.login(t, f.alice, k, 5); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the same key cannot be registered twice", func(t *testing.T) {
		opts, session, err := f.s.BeginWebAuthn(f.ctx, f.alice)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(opts), `"excludeCredentials":[{"type":"public-key","id":"`+factor.CredentialID+`"`) {
			t.Fatalf("options do not exclude the registered key: %s", opts)
		}
		_, err = f.s.FinishWebAuthn(f.ctx, f.alice, session, k.create(t, opts), "")
		wantKind(t, "again", err, errs.Conflict)
	})
	t.Run("another person's key is not accepted for alice", func(t *testing.T) {
		bobKey, _ := f.register(t, f.bob)
		wantKind(t, "bob's key", f.login(t, f.alice, bobKey, 1), errs.Unauthenticated)
	})
}

func TestSecurityKeySessionsAreSealedBoundAndExpire(t *testing.T) {
	f := newFixture(t, testOrigin)
	k, _ := f.register(t, f.alice)
	opts, session, err := f.s.BeginWebAuthnLogin(f.ctx, f.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	answer := k.get(t, opts, 1)
	raw, _ := base64.RawURLEncoding.DecodeString(session)
	raw[len(raw)/2] ^= 1
	regOpts, regSession, err := f.s.BeginWebAuthn(f.ctx, f.alice)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, user, session string
	}{
		{"a tampered session", f.alice.ID, base64.RawURLEncoding.EncodeToString(raw)},
		{"another person's session", f.bob.ID, session},
		{"a registration's session", f.alice.ID, regSession},
		{"no session", f.alice.ID, ""},
		{"an oversize session", f.alice.ID, strings.Repeat("A", maxWebAuthnSession+1)},
	} {
		t.Run(c.name+" is refused", func(t *testing.T) {
			wantKind(t, c.name, f.s.VerifyWebAuthn(f.ctx, c.user, c.session, answer), errs.Unauthenticated)
		})
	}
	t.Run("a registration session for another person is refused", func(t *testing.T) {
		_, err := f.s.FinishWebAuthn(f.ctx, f.bob, regSession, newSoftKey(t).create(t, regOpts), "")
		wantKind(t, "bob", err, errs.Unauthenticated)
	})
	t.Run("an expired session is refused", func(t *testing.T) {
		f.clk.Advance(StateLifetime + time.Second)
		wantKind(t, "expired", f.s.VerifyWebAuthn(f.ctx, f.alice.ID, session, answer), errs.Unauthenticated)
	})
}

func TestSecurityKeyResponsesAreBoundedAndMalformedOnesInvalid(t *testing.T) {
	f := newFixture(t, testOrigin)
	f.register(t, f.alice)
	_, session, err := f.s.BeginWebAuthnLogin(f.ctx, f.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, regSession, err := f.s.BeginWebAuthn(f.ctx, f.alice)
	if err != nil {
		t.Fatal(err)
	}
	for name, response := range map[string]string{
		"empty":         "",
		"oversize":      `{"id":"` + strings.Repeat("A", maxWebAuthnResponse) + `"}`,
		"not JSON":      "{",
		"no id":         `{"type":"public-key","response":{}}`,
		"bad base64 id": `{"id":"!!","rawId":"!!","type":"public-key","response":{"clientDataJSON":"e30"}}`,
		"wrong shape":   `[1,2,3]`,
	} {
		t.Run("a "+name+" assertion is invalid", func(t *testing.T) {
			err := f.s.VerifyWebAuthn(f.ctx, f.alice.ID, session, response)
			wantKind(t, name, err, errs.Invalid)
			if m, _ := errs.As(err); !strings.Contains(m.Message, "could not be read") {
				t.Errorf("message: %q", m.Message)
			}
		})
		t.Run("a "+name+" registration is invalid", func(t *testing.T) {
			_, err := f.s.FinishWebAuthn(f.ctx, f.alice, regSession, response, "")
			wantKind(t, name, err, errs.Invalid)
		})
	}
	t.Run("a name longer than 50 characters is invalid", func(t *testing.T) {
		_, err := f.s.FinishWebAuthn(f.ctx, f.alice, regSession, "{}", strings.Repeat("k", 51))
		wantKind(t, "long name", err, errs.Invalid)
	})
}

func TestSecurityKeysNeedAHostNameNotAnIPAddress(t *testing.T) {
	f := newFixture(t, "http://127.0.0.1:8443")
	if f.s.SecurityKeys() {
		t.Fatal("security keys offered at an IP address")
	}
	_, _, err := f.s.BeginWebAuthn(f.ctx, f.alice)
	wantKind(t, "begin", err, errs.Invalid)
}

// softKey is a software authenticator: a P-256 key answering with the
// "none" attestation, as a security key would.
type softKey struct {
	id  []byte
	key *ecdsa.PrivateKey
}

func newSoftKey(t *testing.T) *softKey {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	return &softKey{id: id, key: key}
}

var b64 = base64.RawURLEncoding.EncodeToString

type keyOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RPID      string `json:"rpId"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
	} `json:"publicKey"`
}

func readOptions(t *testing.T, opts []byte) keyOptions {
	t.Helper()
	var o keyOptions
	if err := json.Unmarshal(opts, &o); err != nil {
		t.Fatalf("options: %v", err)
	}
	return o
}

func clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": testOrigin, "crossOrigin": false})
	return b
}

// authData is the authenticator data: RP ID hash, flags (user present
// and verified, plus attested data when att is set), counter, att.
func authData(rpID string, counter uint32, att []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	flags := byte(0x05)
	if att != nil {
		flags |= 0x40
	}
	b := append(h[:], flags)
	b = binary.BigEndian.AppendUint32(b, counter)
	return append(b, att...)
}

// create answers navigator.credentials.create's options.
func (k *softKey) create(t *testing.T, opts []byte) string {
	o := readOptions(t, opts)
	pub, err := k.key.PublicKey.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	xy := pub.Bytes()[1:]
	cose, err := webauthncbor.Marshal(webauthncose.EC2PublicKeyData{
		PublicKeyData: webauthncose.PublicKeyData{KeyType: int64(webauthncose.EllipticKey), Algorithm: int64(webauthncose.AlgES256)},
		Curve:         1, XCoord: xy[:32], YCoord: xy[32:]})
	if err != nil {
		t.Fatal(err)
	}
	att := append(make([]byte, 16), byte(len(k.id)>>8), byte(len(k.id)))
	att = append(append(att, k.id...), cose...)
	obj, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{},
		"authData": authData(o.PublicKey.RP.ID, 0, att)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"id": b64(k.id), "rawId": b64(k.id), "type": "public-key",
		"response": map[string]string{"clientDataJSON": b64(clientData("webauthn.create", o.PublicKey.Challenge)),
			"attestationObject": b64(obj)}})
	return string(b)
}

// get answers navigator.credentials.get's options with counter.
func (k *softKey) get(t *testing.T, opts []byte, counter uint32) string {
	o := readOptions(t, opts)
	cd := clientData("webauthn.get", o.PublicKey.Challenge)
	ad := authData(o.PublicKey.RPID, counter, nil)
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"id": b64(k.id), "rawId": b64(k.id), "type": "public-key",
		"response": map[string]string{"clientDataJSON": b64(cd), "authenticatorData": b64(ad), "signature": b64(sig)}})
	return string(b)
}

// A security-key check is good for one answer. Many passkeys never move
// their signature counter off 0, so the counter cannot catch a captured
// answer sent again with its sealed session; the ceremony itself must be
// spent, on every replica, whether its first answer passed or not.
func TestASecurityKeyCeremonyVerifiesOnce(t *testing.T) {
	f := newFixture(t, testOrigin)
	k, _ := f.register(t, f.alice)
	replica, err := New(f.s.cfg) // another replica: the same store and master key
	if err != nil {
		t.Fatal(err)
	}
	t.Run("an accepted answer cannot be sent again", func(t *testing.T) {
		opts, session, err := f.s.BeginWebAuthnLogin(f.ctx, f.alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		answer := k.get(t, opts, 0)
		if err := f.s.VerifyWebAuthn(f.ctx, f.alice.ID, session, answer); err != nil {
			t.Fatalf("first answer: %v", err)
		}
		wantKind(t, "the same answer again", f.s.VerifyWebAuthn(f.ctx, f.alice.ID, session, answer), errs.Unauthenticated)
		wantKind(t, "the same answer at another replica", replica.VerifyWebAuthn(f.ctx, f.alice.ID, session, answer), errs.Unauthenticated)
	})
	t.Run("a refused answer spends the ceremony too", func(t *testing.T) {
		opts, session, err := f.s.BeginWebAuthnLogin(f.ctx, f.alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantKind(t, "another key's answer", f.s.VerifyWebAuthn(f.ctx, f.alice.ID, session, newSoftKey(t).get(t, opts, 0)), errs.Unauthenticated)
		wantKind(t, "the right key after a refusal", replica.VerifyWebAuthn(f.ctx, f.alice.ID, session, k.get(t, opts, 0)), errs.Unauthenticated)
	})
	t.Run("a fresh ceremony still verifies", func(t *testing.T) {
		if err := f.login(t, f.alice, k, 0); err != nil {
			t.Fatal(err)
		}
	})
}

// Registering a key is one ceremony too: once a person has removed a key,
// its registration answer sent again must not bring it back.
func TestASecurityKeyRegistrationCeremonyRegistersOnce(t *testing.T) {
	f := newFixture(t, testOrigin)
	opts, session, err := f.s.BeginWebAuthn(f.ctx, f.alice)
	if err != nil {
		t.Fatal(err)
	}
	answer := newSoftKey(t).create(t, opts)
	factor, err := f.s.FinishWebAuthn(f.ctx, f.alice, session, answer, "Lost key")
	if err != nil {
		t.Fatalf("registering: %v", err)
	}
	if err := f.db.DeleteFactor(f.ctx, f.alice.ID, factor.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.s.FinishWebAuthn(f.ctx, f.alice, session, answer, "Lost key")
	wantKind(t, "the removed key's registration sent again", err, errs.Unauthenticated)
	if fs, _ := f.db.Factors(f.ctx, f.alice.ID); len(fs) != 0 {
		t.Fatalf("the removed key came back: %+v", fs)
	}
}
