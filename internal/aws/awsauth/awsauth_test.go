package awsauth

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// session is a role session of an Identity Center role, starting at the
// fake clock's time (see newAuthority) and lasting d.
func session(name string, d time.Duration) iam.Session {
	return iam.Session{Kind: iam.KindAssumedRole, AccountID: "111122223333", RoleID: "AROAABCDEFGHIJKLMNOPQ",
		RoleName: "AWSReservedSSO_DevOps_0123456789abcdef", RolePath: ic.RolePath, SessionName: name, Expires: start.Add(d)}
}

var start = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// issue issues s or fails the test.
func issue(t testing.TB, a *Authority, s iam.Session) Credentials {
	t.Helper()
	c, err := a.IssueSession(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newAuthority returns an authority on a real store holding one root key,
// and that key's id and secret.
func newAuthority(t testing.TB) (*Authority, *clock.Fake, string, string) {
	return newAuthorityWith(t, clock.Random)
}

// newAuthorityWith draws ids, secrets and nonces from random.
func newAuthorityWith(t testing.TB, random io.Reader) (*Authority, *clock.Fake, string, string) {
	t.Helper()
	clk := clock.NewFake(start)
	db := sqlitetest.Open(t, clk)
	a, err := New(bytes.Repeat([]byte{9}, 32), db, clk, random)
	if err != nil {
		t.Fatal(err)
	}
	key, secret := a.NewRootKey("111122223333")
	_, _, err = db.Bootstrap(context.Background(), store.Bootstrap{
		Organization:      ic.Organization{ID: "o-abcdefghij", ManagementAccountID: "111122223333"},
		ManagementAccount: ic.Account{ID: "111122223333", Name: "M", Email: "m@example.com", Status: ic.AccountActive},
		Instance:          ic.Instance{ID: "ssoins-0123456789abcdef", IdentityStoreID: "d-0123456789", OwnerAccountID: "111122223333"},
		RootKey:           key,
	})
	if err != nil {
		t.Fatal(err)
	}
	return a, clk, key.ID, secret
}

func wantUnauthenticated(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Unauthenticated || e.Code != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

func TestARootKeyResolvesToTheAccountRoot(t *testing.T) {
	a, _, id, secret := newAuthority(t)
	k, err := a.Lookup(context.Background(), id, "")
	if err != nil {
		t.Fatal(err)
	}
	p := k.Principal.(Principal)
	if k.Secret != secret || p.Type != Root || p.ARN != "arn:aws:iam::111122223333:root" || p.UserID != "111122223333" {
		t.Errorf("got %+v with secret match %v", p, k.Secret == secret)
	}
}

func TestASessionResolvesToItsAssumedRoleWithNoStoreRead(t *testing.T) {
	a, _, _, _ := newAuthority(t)
	c := issue(t, a, session("alice", 4*time.Hour))
	a.keys = nil // a session needs no database: any replica verifies it
	k, err := a.Lookup(context.Background(), c.AccessKeyID, c.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	p := k.Principal.(Principal)
	want := "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DevOps_0123456789abcdef/alice"
	if k.Secret != c.SecretAccessKey || p.ARN != want || p.UserID != "AROAABCDEFGHIJKLMNOPQ:alice" || p.Type != AssumedRole {
		t.Errorf("got %+v, want ARN %s", p, want)
	}
	if c.AccessKeyID[:4] != "ASIA" || len(c.AccessKeyID) != 20 {
		t.Errorf("access key id %q is not an ASIA id", c.AccessKeyID)
	}
}

func TestSessionCredentialsAreRefusedWhenMisused(t *testing.T) {
	a, clk, rootID, _ := newAuthority(t)
	c := issue(t, a, session("alice", time.Hour))
	other := issue(t, a, session("bob", time.Hour))
	raw, _ := base64.StdEncoding.DecodeString(c.SessionToken)
	raw[len(raw)-1] ^= 1
	tampered := base64.StdEncoding.EncodeToString(raw)
	cases := []struct {
		name, id, token, code string
	}{
		{"a token presented with another session's key id", other.AccessKeyID, c.SessionToken, "UnrecognizedClientException"},
		{"a tampered token", c.AccessKeyID, tampered, "UnrecognizedClientException"},
		{"a token that is not base64", c.AccessKeyID, "!!!", "UnrecognizedClientException"},
		{"an oversized token", c.AccessKeyID, string(bytes.Repeat([]byte("A"), maxTokenLen+4)), "UnrecognizedClientException"},
		{"a session key id without its token", c.AccessKeyID, "", "UnrecognizedClientException"},
		{"a root key id with a session token", rootID, c.SessionToken, "UnrecognizedClientException"},
		{"an unknown root key id", "AKIAAAAAAAAAAAAAAAAA", "", "UnrecognizedClientException"},
		{"a key id of neither kind", "XYZ", "", "UnrecognizedClientException"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := a.Lookup(context.Background(), tc.id, tc.token)
			wantUnauthenticated(t, err, tc.code)
		})
	}
	t.Run("an expired session is refused as expired", func(t *testing.T) {
		clk.Advance(time.Hour)
		_, err := a.Lookup(context.Background(), c.AccessKeyID, c.SessionToken)
		wantUnauthenticated(t, err, "ExpiredTokenException")
	})
}

func TestAnotherMasterKeyCannotOpenASession(t *testing.T) {
	a, clk, _, _ := newAuthority(t)
	c := issue(t, a, session("alice", time.Hour))
	b, err := New(bytes.Repeat([]byte{7}, 32), nil, clk, clock.Random)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Lookup(context.Background(), c.AccessKeyID, c.SessionToken)
	wantUnauthenticated(t, err, "UnrecognizedClientException")
}

func FuzzSessionLookup(f *testing.F) {
	// A seeded source makes every fuzz worker issue the same session, so
	// "accepted" can only mean that one.
	a, _, _, _ := newAuthorityWith(f, rand.NewChaCha8([32]byte{1}))
	c := issue(f, a, session("alice", time.Hour))
	f.Add(c.AccessKeyID, c.SessionToken)
	f.Add("ASIAAAAAAAAAAAAAAAAA", "AAAA")
	f.Fuzz(func(t *testing.T, id, token string) {
		if token == "" {
			return // root keys need the store; this target is about tokens
		}
		k, err := a.Lookup(context.Background(), id, token)
		if err == nil && (id != c.AccessKeyID || token != c.SessionToken) {
			t.Fatalf("a forged session (%q, %q) was accepted: %+v", id, token, k.Principal)
		}
	})
}

// countingKeys counts the store reads behind root-key lookups.
type countingKeys struct {
	KeyStore
	reads int
}

func (c *countingKeys) AccessKey(ctx context.Context, id string) (ic.AccessKey, error) {
	c.reads++
	return c.KeyStore.AccessKey(ctx, id)
}

func TestARootKeyIsReadOnceAndHeldForAShortTime(t *testing.T) {
	a, clk, id, secret := newAuthority(t)
	counted := &countingKeys{KeyStore: a.keys}
	a.keys = counted
	for range 5 {
		if k, err := a.Lookup(context.Background(), id, ""); err != nil || k.Secret != secret {
			t.Fatalf("lookup: %v", err)
		}
	}
	if counted.reads != 1 {
		t.Errorf("5 lookups read the store %d times, want 1", counted.reads)
	}
	clk.Advance(keyTTL)
	if _, err := a.Lookup(context.Background(), id, ""); err != nil || counted.reads != 2 {
		t.Errorf("after %v: err %v, %d reads, want the key read again", keyTTL, err, counted.reads)
	}
	for range 3 {
		a.Lookup(context.Background(), "AKIAAAAAAAAAAAAAAAAA", "")
	}
	if counted.reads != 5 {
		t.Errorf("unknown keys: %d reads in all, want every miss to ask the store", counted.reads)
	}
}
