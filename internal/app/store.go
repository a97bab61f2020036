package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/postgres"
	"github.com/keyward/keyward/internal/store/sqlite"
)

// DatabaseFile is the SQLite database's name in the data directory.
const DatabaseFile = "keyward.db"

// OpenStore opens the store cfg names: PostgreSQL at its store URL, or
// else SQLite in its data directory. serve and every admin command open the
// store through here.
func OpenStore(ctx context.Context, cfg config.Config, clk clock.Clock) (store.AWS, error) {
	if cfg.Store.IsPostgres() {
		return postgres.Open(ctx, cfg.Store.URL, clk)
	}
	return sqlite.Open(ctx, filepath.Join(cfg.DataDir, DatabaseFile), clk)
}

// OpenExistingStore opens the store of an existing keyward and refuses,
// having created nothing, when cfg points at none: an admin command with a
// mistyped --data-dir must not leave a new database behind.
func OpenExistingStore(ctx context.Context, cfg config.Config, clk clock.Clock) (store.AWS, error) {
	if !cfg.Store.IsPostgres() {
		path := filepath.Join(cfg.DataDir, DatabaseFile)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no keyward database at %s: is --data-dir (or KEYWARD_DATA_DIR, or data-dir in the config file) the one keyward serve uses?", path)
		}
	}
	s, err := OpenStore(ctx, cfg, clk)
	if err != nil {
		return nil, err
	}
	if _, err := s.Organization(ctx); err != nil {
		s.Close()
		if errs.Is(err, errs.NotFound) {
			return nil, errors.New("the database holds no keyward organization yet: start keyward serve on it first")
		}
		return nil, err
	}
	return s, nil
}

// masterKey reads the master key, creating it only while the store holds
// nothing sealed with one: keyward never serves a bootstrapped database
// with a freshly made key, under which every sealed secret would fail.
func masterKey(ctx context.Context, cfg config.Config, s store.AWS, random io.Reader) ([]byte, error) {
	path := cfg.MasterKeyPath()
	_, err := s.Organization(ctx)
	switch {
	case errs.Is(err, errs.NotFound):
		return keys.LoadOrCreate(path, random)
	case err != nil:
		return nil, err
	}
	key, err := keys.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("the database is set up but its master key %s is missing: restore that file "+
			"from your backup (or point --master-key-file at it); every secret in the database is sealed with it, "+
			"so a new key cannot be made in its place", path)
	}
	return key, err
}

// checkMasterKey refuses a master key that does not open the root key's
// sealed secret: the key belongs to another database (a copied data
// directory, a replica with its own key file).
func checkMasterKey(ctx context.Context, auth *awsauth.Authority, b store.Bootstrap, path string) error {
	if b.RootKey.ID == "" {
		return nil
	}
	_, err := auth.Lookup(ctx, b.RootKey.ID, "")
	if errors.Is(err, keys.ErrUnseal) {
		return fmt.Errorf("the master key %s is not the key this database's secrets are sealed with: "+
			"use the key file the database was created with (every replica must share one)", path)
	}
	return err
}

// warnIfOthersRead warns when users other than the owner may read the
// master key file: whoever reads it opens every sealed secret. (A copy
// made for replicas, or a mounted secret, easily ends up 0644.)
func (m *Main) warnIfOthersRead(path string) {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return
	}
	m.Log.Warn("the master key file can be read by other users; it opens every secret keyward keeps: chmod 0600 it",
		"file", path, "mode", fmt.Sprintf("%04o", fi.Mode().Perm()))
}
