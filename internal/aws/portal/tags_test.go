package portal_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/portal"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
	"github.com/keyward/keyward/internal/store/sqlite/sqlitetest"
)

// abacFixture is a store with one member account, the user alice (of the
// engineering department) assigned the permission set Dev there, and the
// portal service over it.
type abacFixture struct {
	ctx     context.Context
	db      *sqlite.DB
	auth    *awsauth.Authority
	svc     *portal.Service
	user    ic.User
	account string
}

func newABACFixture(t *testing.T) *abacFixture {
	t.Helper()
	ctx, clk, now := t.Context(), clock.Real{}, time.Now().UTC()
	db := sqlitetest.Open(t, clk)
	auth, err := awsauth.New(clock.Bytes(clock.Random, 32), db, clk, clock.Random)
	must(t, err)
	f := &abacFixture{ctx: ctx, db: db, auth: auth, svc: portal.New(db, auth, clk), account: ic.NewAccountID(clock.Random)}
	mgmt := ic.NewAccountID(clock.Random)
	inst := ic.Instance{ID: ic.NewInstanceID(clock.Random), IdentityStoreID: ic.NewIdentityStoreID(clock.Random), OwnerAccountID: mgmt, CreatedAt: now}
	_, _, err = db.Bootstrap(ctx, store.Bootstrap{Instance: inst,
		Organization:      ic.Organization{ID: ic.NewOrgID(clock.Random), ManagementAccountID: mgmt, ManagementEmail: "root@example.com", CreatedAt: now},
		ManagementAccount: ic.Account{ID: mgmt, Name: "Management", Email: "root@example.com", Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now}})
	must(t, err)
	must(t, db.CreateAccount(ctx, ic.Account{ID: f.account, Name: "Dev", Email: "dev@example.com", Status: ic.AccountActive,
		JoinedMethod: ic.JoinedCreated, JoinedAt: now}, ic.CreateAccountStatus{ID: "car-" + clock.Hex(clock.Random, 16), State: ic.StateSucceeded,
		AccountID: f.account, RequestedAt: now, CompletedAt: now}))
	f.user = ic.User{ID: ic.NewPrincipalID(clock.Random, inst.IdentityStoreID), Status: ic.UserEnabled, CreatedAt: now, UpdatedAt: now,
		Profile: ic.Profile{UserName: "alice"}, Enterprise: ic.Enterprise{Department: "engineering"}}
	must(t, db.CreateUser(ctx, f.user))
	ps := ic.PermissionSet{ID: ic.NewPermissionSetID(clock.Random), InstanceID: inst.ID, Name: "Dev", SessionDuration: "PT1H", Version: 1, CreatedAt: now}
	must(t, db.CreatePermissionSet(ctx, ps))
	a := ic.Assignment{AccountID: f.account, PermissionSetID: ps.ID, PrincipalType: ic.PrincipalUser, PrincipalID: f.user.ID, CreatedAt: now}
	role := ic.Role{Name: ic.ReservedRoleName(ps.Name, ic.NewRoleSuffix(clock.Random)), ID: iam.NewRoleID(clock.Random), Path: ic.RolePath, CreatedAt: now}
	must(t, db.CreateAssignment(ctx, a, role, ic.Request{ID: ic.NewUUID(clock.Random), Kind: ic.RequestAssignmentCreate,
		Status: ic.StateSucceeded, AccountID: f.account, PermissionSetID: ps.ID, CreatedAt: now}))
	return f
}

// configure gives the instance an access control configuration mapping
// dept to the user's department.
func (f *abacFixture) configure(t *testing.T) {
	t.Helper()
	_, err := f.db.UpdateInstance(f.ctx, func(i ic.Instance) (ic.Instance, error) {
		i.AccessControl = &ic.AccessControlConfig{Attributes: []ic.AccessControlAttribute{{Key: "dept", Source: "${path:enterprise.department}"}}}
		return i, nil
	})
	must(t, err)
}

// sessionTags are the tags of the session the credentials are for, as the
// authority reads them back when they sign a call.
func (f *abacFixture) sessionTags(t *testing.T, c awsauth.Credentials) []iam.Tag {
	t.Helper()
	key, err := f.auth.Lookup(f.ctx, c.AccessKeyID, c.SessionToken)
	must(t, err)
	return key.Principal.(awsauth.Principal).Session.Tags
}

func TestRoleSessionsCarryTheUsersAttributesForAccessControlAsTags(t *testing.T) {
	f := newABACFixture(t)
	t.Run("without a configuration a session has no tags", func(t *testing.T) {
		c, err := f.svc.RoleCredentials(f.ctx, f.user, f.account, "Dev")
		must(t, err)
		if got := f.sessionTags(t, c); len(got) != 0 {
			t.Errorf("tags %v, want none", got)
		}
	})
	f.configure(t)
	t.Run("with one, the session is tagged with the user's department", func(t *testing.T) {
		c, err := f.svc.RoleCredentials(f.ctx, f.user, f.account, "Dev")
		must(t, err)
		if diff := cmp.Diff([]iam.Tag{{Key: "dept", Value: "engineering"}}, f.sessionTags(t, c)); diff != "" {
			t.Errorf("tags (-want +got):\n%s", diff)
		}
	})
	t.Run("attributes the sign-in asserted win over the store's", func(t *testing.T) {
		ctx := portal.WithAccessControl(f.ctx, map[string]string{"dept": "sales"})
		c, err := f.svc.RoleCredentials(ctx, f.user, f.account, "Dev")
		must(t, err)
		if diff := cmp.Diff([]iam.Tag{{Key: "dept", Value: "sales"}}, f.sessionTags(t, c)); diff != "" {
			t.Errorf("tags (-want +got):\n%s", diff)
		}
	})
}

func TestThePortalAPITagsASessionWithWhatItsSignInAsserted(t *testing.T) {
	f := newABACFixture(t)
	f.configure(t)
	now := time.Now().UTC()
	sess := ic.PortalSession{IDHash: keys.HashSecret("cookie"), UserID: f.user.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour),
		AccessControl: map[string]string{"dept": "research"}}
	must(t, f.db.CreatePortalSession(f.ctx, sess))
	must(t, f.db.CreateToken(f.ctx, ic.Token{AccessHash: keys.HashSecret("bearer"), RefreshHash: keys.HashSecret("refresh"),
		FamilyID: "family", SessionHash: sess.IDHash, UserID: f.user.ID, ClientID: "client", CreatedAt: now,
		ExpiresAt: now.Add(time.Hour), RefreshExpiresAt: now.Add(time.Hour)}))
	mux := http.NewServeMux()
	f.svc.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	req, err := http.NewRequestWithContext(f.ctx, http.MethodGet, srv.URL+"/federation/credentials?account_id="+f.account+"&role_name=Dev", nil)
	must(t, err)
	req.Header.Set("x-amz-sso_bearer_token", "bearer")
	resp, err := srv.Client().Do(req)
	must(t, err)
	defer resp.Body.Close()
	var out struct {
		RoleCredentials struct{ AccessKeyID, SecretAccessKey, SessionToken string } `json:"roleCredentials"`
	}
	must(t, json.NewDecoder(resp.Body).Decode(&out))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	c := awsauth.Credentials{AccessKeyID: out.RoleCredentials.AccessKeyID, SessionToken: out.RoleCredentials.SessionToken}
	if diff := cmp.Diff([]iam.Tag{{Key: "dept", Value: "research"}}, f.sessionTags(t, c)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
