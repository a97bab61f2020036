package awsauth

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// newUserKey stores an IAM user "alice" under /eng/ with one key and
// returns the store, the key and its secret.
func newUserKey(t *testing.T, a *Authority) (store.IAMUsers, iam.AccessKey, string) {
	t.Helper()
	db := a.keys.(store.IAMUsers)
	u := iam.User{AccountID: "111122223333", ID: "AIDAEXAMPLEEXAMPLE01", Name: "alice", Path: "/eng/", CreatedAt: start}
	if err := db.CreateIAMUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	k, secret := a.NewUserKey(u.AccountID, u.ID)
	if err := db.CreateIAMAccessKey(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	return db, k, secret
}

func TestAnIAMUsersKeyResolvesToTheUser(t *testing.T) {
	a, _, _, _ := newAuthority(t)
	_, k, secret := newUserKey(t, a)
	got, err := a.Lookup(context.Background(), k.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	want := sigv4.Key{Secret: secret, Principal: Principal{Type: User, AccountID: "111122223333",
		ARN: "arn:aws:iam::111122223333:user/eng/alice", UserID: "AIDAEXAMPLEEXAMPLE01", AccessKeyID: k.ID}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lookup (-want +got):\n%s", diff)
	}
}

func TestADeactivatedOrDeletedUserKeyStopsWorking(t *testing.T) {
	tests := []struct {
		name   string
		change func(db store.IAMUsers, k iam.AccessKey) error
	}{
		{"a deactivated key", func(db store.IAMUsers, k iam.AccessKey) error {
			return db.SetIAMAccessKeyStatus(context.Background(), k.UserID, k.ID, iam.KeyInactive)
		}},
		{"a deleted key", func(db store.IAMUsers, k iam.AccessKey) error {
			return db.DeleteIAMAccessKey(context.Background(), k.UserID, k.ID)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is refused at once where forgotten and within the cache bound elsewhere", func(t *testing.T) {
			a, clk, _, _ := newAuthority(t)
			db, k, _ := newUserKey(t, a)
			if _, err := a.Lookup(context.Background(), k.ID, ""); err != nil {
				t.Fatal(err)
			}
			if err := tc.change(db, k); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Lookup(context.Background(), k.ID, ""); err != nil {
				t.Fatalf("still held before the bound: %v", err) // the cache is the documented bound
			}
			clk.Advance(userKeyTTL)
			_, err := a.Lookup(context.Background(), k.ID, "")
			wantUnauthenticated(t, err, "UnrecognizedClientException")
			a.Forget(k.ID)
			_, err = a.Lookup(context.Background(), k.ID, "")
			wantUnauthenticated(t, err, "UnrecognizedClientException")
		})
	}
}

func TestAForgottenKeyIsReadAgainAtOnce(t *testing.T) {
	a, _, _, _ := newAuthority(t)
	db, k, _ := newUserKey(t, a)
	if _, err := a.Lookup(context.Background(), k.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.SetIAMAccessKeyStatus(context.Background(), k.UserID, k.ID, iam.KeyInactive); err != nil {
		t.Fatal(err)
	}
	a.Forget(k.ID)
	_, err := a.Lookup(context.Background(), k.ID, "")
	wantUnauthenticated(t, err, "UnrecognizedClientException")
}

func TestAKeysLastUseIsWrittenAtMostOnceAMinute(t *testing.T) {
	a, clk, _, _ := newAuthority(t)
	db, k, _ := newUserKey(t, a)
	key, err := a.Lookup(context.Background(), k.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	use := func(service string) iam.KeyUse {
		a.Verified(context.Background(), sigv4.Result{Principal: key.Principal, Service: service, Region: "eu-west-1"})
		keys, err := db.ListIAMAccessKeys(context.Background(), k.UserID)
		if err != nil {
			t.Fatal(err)
		}
		return keys[0].LastUsed
	}
	first := use("iam")
	clk.Advance(30 * time.Second)
	if got := use("sts"); got != first {
		t.Errorf("a use 30s later wrote %+v; want the first use %+v kept", got, first)
	}
	clk.Advance(31 * time.Second)
	want := iam.KeyUse{At: clk.Now(), Service: "sts", Region: "eu-west-1"}
	if got := use("sts"); !got.At.Equal(want.At) || got.Service != "sts" {
		t.Errorf("a use a minute later = %+v, want %+v", got, want)
	}
}
