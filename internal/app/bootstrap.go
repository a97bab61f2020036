package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

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
// cannot leave a key nobody can read; on a later start nothing is written.
func (m *Main) bootstrap(ctx context.Context, auth *awsauth.Authority) (store.Bootstrap, error) {
	now := m.clock.Now()
	mgmt := ic.NewAccountID(m.random)
	key, secret := auth.NewRootKey(mgmt)
	b := store.Bootstrap{
		Organization: ic.Organization{ID: ic.NewOrgID(m.random), ManagementAccountID: mgmt,
			ManagementEmail: m.Config.AWS.ManagementEmail, CreatedAt: now},
		ManagementAccount: ic.Account{ID: mgmt, Name: "Management", Email: m.Config.AWS.ManagementEmail,
			Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now},
		Instance: ic.Instance{ID: ic.NewInstanceID(m.random), IdentityStoreID: ic.NewIdentityStoreID(m.random),
			OwnerAccountID: mgmt, Name: "keyward", CreatedAt: now},
		RootKey: key,
	}
	final := filepath.Join(m.Config.DataDir, BootstrapCredentialsFile)
	tmp := final + ".new"
	content := fmt.Sprintf("[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n", AdminProfile, key.ID, secret)
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return store.Bootstrap{}, fmt.Errorf("write bootstrap credentials: %w", err)
	}
	got, created, err := m.Store.Bootstrap(ctx, b)
	if err != nil || !created {
		os.Remove(tmp)
		return got, err
	}
	if err := os.Rename(tmp, final); err != nil {
		return got, fmt.Errorf("write bootstrap credentials: %w", err)
	}
	m.Log.Info("bootstrapped a new organization; the management account's root key is in the credentials file",
		"organization", got.Organization.ID, "management_account", mgmt, "instance", got.Instance.ID,
		"credentials_file", final, "profile", AdminProfile)
	return got, nil
}
