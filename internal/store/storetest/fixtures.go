package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// Fixture builders: each returns a valid value with unique ids and names;
// the create* variants also store it and fail the case on error.

func (h *harness) newAccount() ic.Account {
	n := h.next()
	return ic.Account{
		ID: ic.NewAccountID(clock.Random), Name: fmt.Sprintf("Account %d", n),
		Email:  fmt.Sprintf("Account-%d@Example.com", n),
		Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: h.clk.Now(),
	}
}

func (h *harness) accountStatus(a ic.Account) ic.CreateAccountStatus {
	return ic.CreateAccountStatus{
		ID: "car-" + clock.Hex(clock.Random, 16), AccountName: a.Name, State: ic.StateSucceeded,
		AccountID: a.ID, RequestedAt: h.clk.Now(), CompletedAt: h.clk.Now().Add(time.Second),
	}
}

func (h *harness) createAccount(t *testing.T) ic.Account {
	t.Helper()
	a := h.newAccount()
	ok(t, h.s.CreateAccount(h.ctx, a, h.accountStatus(a)))
	return a
}

func (h *harness) newUser(name string) ic.User {
	now := h.clk.Now()
	return ic.User{
		ID: ic.NewPrincipalID(clock.Random, identityStoreID),
		Profile: ic.Profile{
			UserName: name, DisplayName: "Display " + name,
			Name:   ic.Name{GivenName: "Given", FamilyName: name},
			Emails: []ic.Email{{Value: name + "@Example.com", Type: "work", Primary: true}},
		},
		ExternalIDs: []ic.ExternalID{{Issuer: "https://idp.example.com", ID: "ext-" + name}},
		Status:      ic.UserEnabled, CreatedAt: now, UpdatedAt: now,
		CreatedBy: "admin", UpdatedBy: "admin",
	}
}

func (h *harness) createUser(t *testing.T) ic.User {
	t.Helper()
	u := h.newUser(h.name("user"))
	ok(t, h.s.CreateUser(h.ctx, u))
	return u
}

func (h *harness) newGroup(name string) ic.Group {
	now := h.clk.Now()
	return ic.Group{
		ID: ic.NewPrincipalID(clock.Random, identityStoreID), DisplayName: name,
		Description: "Group " + name,
		ExternalIDs: []ic.ExternalID{{Issuer: "https://idp.example.com", ID: "ext-" + name}},
		CreatedAt:   now, UpdatedAt: now, CreatedBy: "admin", UpdatedBy: "admin",
	}
}

func (h *harness) createGroup(t *testing.T) ic.Group {
	t.Helper()
	g := h.newGroup(h.name("group"))
	ok(t, h.s.CreateGroup(h.ctx, g))
	return g
}

func (h *harness) newMembership(g ic.Group, u ic.User) ic.Membership {
	return ic.Membership{
		ID: ic.NewPrincipalID(clock.Random, identityStoreID), GroupID: g.ID, UserID: u.ID,
		CreatedAt: h.clk.Now(), CreatedBy: "admin",
	}
}

func (h *harness) addMember(t *testing.T, g ic.Group, u ic.User) ic.Membership {
	t.Helper()
	m := h.newMembership(g, u)
	ok(t, h.s.CreateMembership(h.ctx, m))
	return m
}

func (h *harness) newPermissionSet(name string) ic.PermissionSet {
	return ic.PermissionSet{
		ID: ic.NewPermissionSetID(clock.Random), InstanceID: instanceID, Name: name,
		Description: "Permission set " + name, SessionDuration: "PT4H",
		RelayState:      "https://console.aws.amazon.com/",
		Tags:            []ic.Tag{{Key: "team", Value: "platform"}},
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
		InlinePolicy:    `{"Version":"2012-10-17","Statement":[]}`,
		Version:         1, CreatedAt: h.clk.Now(),
	}
}

func (h *harness) createPermissionSet(t *testing.T) ic.PermissionSet {
	t.Helper()
	ps := h.newPermissionSet(h.name("ps"))
	ok(t, h.s.CreatePermissionSet(h.ctx, ps))
	return ps
}

// role is the role CreateAssignment would provision for ps on account.
func (h *harness) role(ps ic.PermissionSet, account string) ic.Role {
	return ic.Role{
		AccountID: account, PermissionSetID: ps.ID,
		Name: ic.ReservedRoleName(ps.Name, ic.NewRoleSuffix(clock.Random)),
		ID:   iam.NewRoleID(clock.Random), Path: ic.RolePath, Version: ps.Version,
		CreatedAt: h.clk.Now(),
	}
}

func (h *harness) request(kind string, a ic.Assignment) ic.Request {
	return ic.Request{
		ID: ic.NewUUID(clock.Random), Kind: kind, Status: ic.StateSucceeded,
		AccountID: a.AccountID, PermissionSetID: a.PermissionSetID,
		PrincipalType: a.PrincipalType, PrincipalID: a.PrincipalID, CreatedAt: h.clk.Now(),
	}
}

func assignment(account string, ps ic.PermissionSet, principalType, principalID string, at time.Time) ic.Assignment {
	return ic.Assignment{AccountID: account, PermissionSetID: ps.ID,
		PrincipalType: principalType, PrincipalID: principalID, CreatedAt: at}
}

// assign stores an assignment with a fresh role and request, and returns it.
func (h *harness) assign(t *testing.T, account string, ps ic.PermissionSet, principalType, principalID string) ic.Assignment {
	t.Helper()
	a := assignment(account, ps, principalType, principalID, h.clk.Now())
	ok(t, h.s.CreateAssignment(h.ctx, a, h.role(ps, account), h.request(ic.RequestAssignmentCreate, a)))
	return a
}

// unassign deletes an assignment, recording a request.
func (h *harness) unassign(t *testing.T, a ic.Assignment) {
	t.Helper()
	ok(t, h.s.DeleteAssignment(h.ctx, a, h.request(ic.RequestAssignmentDelete, a)))
}

func (h *harness) newBootstrap() store.Bootstrap {
	now := h.clk.Now()
	acct := h.newAccount()
	return store.Bootstrap{
		Organization: ic.Organization{ID: ic.NewOrgID(clock.Random), ManagementAccountID: acct.ID,
			ManagementEmail: acct.Email, CreatedAt: now},
		ManagementAccount: acct,
		Instance: ic.Instance{ID: instanceID, IdentityStoreID: identityStoreID,
			OwnerAccountID: acct.ID, Name: "keyward", CreatedAt: now},
		RootKey: ic.AccessKey{ID: iam.NewAccessKeyID(clock.Random), AccountID: acct.ID,
			SealedSecret: clock.Bytes(clock.Random, 48), CreatedAt: now},
	}
}

// asAdmin makes the case's context carry an operator actor and a client,
// and returns them.
func (h *harness) asAdmin() (audit.Actor, audit.Client) {
	actor := audit.Actor{Type: "operator", ID: "op-1", Name: "alice"}
	client := audit.Client{IP: "192.0.2.10", UserAgent: "storetest/1.0"}
	h.ctx = audit.WithClient(audit.WithActor(h.ctx, actor), client)
	return actor, client
}
