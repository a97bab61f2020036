package storetest

import (
	"context"
	"fmt"
	"time"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// The scale world the issue sets as a target: one user in 100 groups with
// assignments of several permission sets spread over 1,000 accounts (a few
// direct, most through groups), plus groups and a user that have nothing to
// do with them. Benchmarks of any backend and of the APIs above it seed it
// with SeedScale.
const (
	ScaleAccounts    = 1000
	ScaleUserGroups  = 100
	scaleOtherGroups = 50
	scaleSets        = 6
)

// Scale names what SeedScale created.
type Scale struct {
	UserID    string
	UserName  string
	AccountID string // reached directly and through groups
	SetName   string // a permission set the user has on AccountID
}

// SeedScale fills s with the scale world. instanceID goes into the
// permission sets' ARNs.
func SeedScale(ctx context.Context, s store.AWS, instanceID string) (Scale, error) {
	sd := &seeder{ctx: ctx, db: s, instance: instanceID}
	accounts := sd.accounts()
	sets := sd.permissionSets()
	user := sd.user("bench.user")
	mine, others := sd.groups("mine", ScaleUserGroups), sd.groups("others", scaleOtherGroups)
	for _, g := range mine {
		sd.do(s.CreateMembership(ctx, ic.Membership{ID: sd.id(), GroupID: g, UserID: user}))
	}
	stranger := sd.user("stranger")
	for _, g := range others {
		sd.do(s.CreateMembership(ctx, ic.Membership{ID: sd.id(), GroupID: g, UserID: stranger}))
	}
	for i, acct := range accounts {
		sd.assign(acct, sets[i%scaleSets], ic.PrincipalGroup, mine[i%ScaleUserGroups])
		sd.assign(acct, sets[(i+1)%scaleSets], ic.PrincipalGroup, mine[(i*7)%ScaleUserGroups])
		sd.assign(acct, sets[(i+2)%scaleSets], ic.PrincipalGroup, others[i%scaleOtherGroups])
		if i%10 == 0 {
			sd.assign(acct, sets[(i+3)%scaleSets], ic.PrincipalUser, user)
		}
	}
	return Scale{UserID: user, UserName: "bench.user", AccountID: accounts[0], SetName: sets[0].Name}, sd.err
}

// seeder creates fixtures, keeping the first error.
type seeder struct {
	ctx      context.Context
	db       store.AWS
	instance string
	n        int
	err      error
}

var seedTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (s *seeder) id() string {
	s.n++
	return fmt.Sprintf("0123456789-%08x-0000-4000-8000-%012x", s.n, s.n)
}

func (s *seeder) do(err error) {
	if s.err == nil {
		s.err = err
	}
}

func (s *seeder) accounts() []string {
	var out []string
	for i := range ScaleAccounts {
		a := ic.Account{ID: fmt.Sprintf("%012d", 100000000000+i*7919), Name: fmt.Sprintf("acct-%d", i),
			Email: fmt.Sprintf("acct-%d@example.com", i), Status: ic.AccountActive, JoinedAt: seedTime}
		s.do(s.db.CreateAccount(s.ctx, a, ic.CreateAccountStatus{ID: fmt.Sprintf("car-%d", i), AccountID: a.ID}))
		out = append(out, a.ID)
	}
	return out
}

func (s *seeder) permissionSets() []ic.PermissionSet {
	var out []ic.PermissionSet
	for i := range scaleSets {
		ps := ic.PermissionSet{ID: fmt.Sprintf("ps-%016x", i), InstanceID: s.instance, SessionDuration: "PT1H",
			Name: fmt.Sprintf("Set%d", i), ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
			InlinePolicy: `{"Version":"2012-10-17","Statement":[]}`, Version: 1}
		s.do(s.db.CreatePermissionSet(s.ctx, ps))
		out = append(out, ps)
	}
	return out
}

func (s *seeder) user(name string) string {
	u := ic.User{ID: s.id(), Profile: ic.Profile{UserName: name}, Status: ic.UserEnabled}
	s.do(s.db.CreateUser(s.ctx, u))
	return u.ID
}

func (s *seeder) groups(prefix string, n int) []string {
	var out []string
	for i := range n {
		g := ic.Group{ID: s.id(), DisplayName: fmt.Sprintf("%s-%d", prefix, i)}
		s.do(s.db.CreateGroup(s.ctx, g))
		out = append(out, g.ID)
	}
	return out
}

func (s *seeder) assign(account string, ps ic.PermissionSet, principalType, principalID string) {
	a := ic.Assignment{AccountID: account, PermissionSetID: ps.ID, PrincipalType: principalType, PrincipalID: principalID}
	role := ic.Role{Name: ic.ReservedRoleName(ps.Name, "0123456789abcdef"), ID: "AROA" + s.id()[:17], Path: ic.RolePath}
	s.do(s.db.CreateAssignment(s.ctx, a, role, ic.Request{ID: s.id(), Kind: ic.RequestAssignmentCreate}))
}
