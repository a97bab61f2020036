package vault

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// keyringService is the service name every secret is filed under; the key
// is the item's user name.
const keyringService = "keyward"

// probeKey is looked up, never stored, to see whether a keyring answers.
const probeKey = "keyward-probe"

// probeTimeout bounds Open's probe: long enough to type the keyring's
// unlock password into a desktop prompt, short enough that a keyring whose
// prompt nobody can see (an SSH session into a locked desktop) falls back
// to the file instead of hanging.
const probeTimeout = 20 * time.Second

type keyringStore struct{}

func (keyringStore) Name() string { return "keyring" }

func (k keyringStore) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	var v string
	err := await(ctx, func() (err error) {
		v, err = keyring.Get(keyringService, key)
		return err
	})
	if err != nil {
		return nil, keyringError("read", key, err)
	}
	return []byte(v), nil
}

func (k keyringStore) Set(ctx context.Context, key string, v []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	err := await(ctx, func() error { return keyring.Set(keyringService, key, string(v)) })
	return keyringError("store", key, err)
}

func (k keyringStore) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	err := await(ctx, func() error { return keyring.Delete(keyringService, key) })
	return keyringError("delete", key, err)
}

// probe reports whether a keyring answers a harmless lookup.
func (keyringStore) probe(ctx context.Context) error {
	if err := sessionBusMissing(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeoutCause(ctx, probeTimeout, errProbeTimeout)
	defer cancel()
	err := await(ctx, func() error {
		_, err := keyring.Get(keyringService, probeKey)
		return err
	})
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	if err != nil && ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}

var errProbeTimeout = fmt.Errorf("the system keyring did not answer within %s", probeTimeout)

// await runs op, which cannot be cancelled, and stops waiting for it when
// ctx ends.
func await(ctx context.Context, op func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- op() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func keyringError(verb, key string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("the system keyring cannot hold %q: the value is larger than this keyring allows; set %s=file to keep secrets in an encrypted file instead", key, BackendEnv)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("the system keyring could not %s %q: %s", verb, key, describeKeyringError(err))
}

func checkKey(key string) error {
	if key == "" {
		return errors.New("vault: empty key")
	}
	return nil
}
