package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/keyward/keyward/internal/aws/awsauth"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// BootstrapCredentialsFile is where the management account's root key is
// written, once, at first start.
const BootstrapCredentialsFile = "bootstrap-credentials"

// AdminProfile is the profile name in that file.
const AdminProfile = "keyward-admin"

// bootstrap creates the organization, its management account, the Identity
// Center instance and a root access key on first start. The key's secret is
// written to a 0600 credentials file before the store commits, so a crash
// cannot leave a key nobody can read; on a later start nothing is written,
// but the file a first start crashed before moving into place is moved.
func (m *Main) bootstrap(ctx context.Context, auth *awsauth.Authority) (store.Bootstrap, error) {
	key, secret := auth.NewRootKey(ic.NewAccountID(m.random))
	b := store.NewBootstrap(m.random, m.clock.Now(), m.Config.AWS.ManagementEmail, key)
	final := filepath.Join(m.Config.DataDir, BootstrapCredentialsFile)
	tmp := final + ".new"
	if _, err := m.Store.Organization(ctx); err == nil { // a later start
		got, _, err := m.Store.Bootstrap(ctx, b) // stores nothing: reads what is stored
		if err == nil && got.RootKey.ID != "" {
			m.placeLeftover(tmp, final, "aws_access_key_id = "+got.RootKey.ID+"\n")
		}
		return got, err
	}
	content := fmt.Sprintf("[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n", AdminProfile, key.ID, secret)
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return store.Bootstrap{}, fmt.Errorf("write bootstrap credentials: %w", err)
	}
	got, created, err := m.Store.Bootstrap(ctx, b)
	if err != nil || !created {
		os.Remove(tmp) // another replica bootstrapped first
		return got, err
	}
	if err := os.Rename(tmp, final); err != nil {
		return got, fmt.Errorf("write bootstrap credentials: %w", err)
	}
	m.Log.Info("bootstrapped a new organization; the management account's root key is in the credentials file",
		"organization", got.Organization.ID, "management_account", got.ManagementAccount.ID, "instance", got.Instance.ID,
		"credentials_file", final, "profile", AdminProfile)
	return got, nil
}

// placeLeftover moves tmp, a credentials file a first start wrote and then
// crashed before moving into place, over final when tmp holds stored (the
// line naming the credential the store kept) and final does not. Any other
// leftover is left alone: it may be all someone has.
func (m *Main) placeLeftover(tmp, final, stored string) {
	b, err := os.ReadFile(tmp)
	if err != nil || !strings.Contains(string(b), stored) {
		return
	}
	if cur, err := os.ReadFile(final); err == nil && strings.Contains(string(cur), stored) {
		return
	}
	if err := os.Rename(tmp, final); err != nil {
		m.Log.Warn("could not move the bootstrap credentials a crashed first start left into place", "file", tmp, "err", err)
		return
	}
	m.Log.Info("moved the bootstrap credentials a crashed first start left into place", "credentials_file", final)
}
