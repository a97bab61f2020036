package vault

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNotFound is what a Store's Get (and Delete) returns for a key it does
// not hold.
var ErrNotFound = errors.New("vault: not found")

// Store keeps secrets by key.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Set(ctx context.Context, key string, v []byte) error
	Delete(ctx context.Context, key string) error
	// Name is "keyring" or "file".
	Name() string
}

// PromptFunc asks the person for the file's passphrase; prompt is the
// question to show.
type PromptFunc func(prompt string) (string, error)

// KDFParams are argon2id's costs for turning the passphrase into the
// file's key.
type KDFParams struct {
	Time      uint32
	MemoryKiB uint32
	Threads   uint8
}

// DefaultKDF is RFC 9106's second recommended option (64 MiB, 3 passes,
// 4 lanes). It is paid once per process.
var DefaultKDF = KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// PassphraseEnv names the environment variable that holds the file's
// passphrase, for scripts and CI where nobody can be asked.
const PassphraseEnv = "KEYWARD_VAULT_PASSPHRASE"

// BackendEnv overrides Options.Backend "" with "keyring" or "file".
const BackendEnv = "KEYWARD_VAULT"

// Options choose and configure the store.
type Options struct {
	// Backend is "keyring", "file" or "" (the keyring when one answers,
	// else the file; KEYWARD_VAULT overrides "").
	Backend string
	// Dir holds the file, its locks and Refresh's locks, e.g.
	// ~/.config/keyward.
	Dir    string
	Prompt PromptFunc
	// KDF is the cost of a new file; DefaultKDF when zero.
	KDF KDFParams
	// Getenv reads the environment; nil is os.Getenv.
	Getenv func(string) string
}

// Open returns the store o asks for. When it chose the file because no
// keyring answered, why says so in one line; otherwise why is "". The
// choice is made afresh on every run (a probe is one lookup); KEYWARD_VAULT
// pins it.
func Open(ctx context.Context, o Options) (s Store, why string, err error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	backend := o.Backend
	if backend == "" {
		backend = getenv(BackendEnv)
	}
	switch backend {
	case "keyring":
		k := keyringStore{}
		if err := k.probe(ctx); err != nil {
			return nil, "", fmt.Errorf("the system keyring is not available: %s; set %s=file to keep secrets in an encrypted file instead", describeKeyringError(err), BackendEnv)
		}
		return k, "", nil
	case "file":
		s, err := NewFile(o.Dir, o.KDF, getenv, o.Prompt)
		return s, "", err
	case "":
	default:
		return nil, "", fmt.Errorf("%s=%q is not a vault backend: use keyring or file", BackendEnv, backend)
	}
	k := keyringStore{}
	perr := k.probe(ctx)
	if perr == nil {
		return k, "", nil
	}
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	f, err := NewFile(o.Dir, o.KDF, getenv, o.Prompt)
	if err != nil {
		return nil, "", err
	}
	why = fmt.Sprintf("%s; keeping secrets in an encrypted file at %s (set %s=file to skip this check)",
		describeKeyringError(perr), filepath.Join(o.Dir, fileName), BackendEnv)
	return f, why, nil
}
