package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
)

// The benchmark world: one user in 100 groups, with assignments of several
// permission sets spread over 1,000 accounts (a few direct, most through
// groups), plus groups and users the user has nothing to do with.
const (
	benchAccounts    = 1000
	benchUserGroups  = 100
	benchOtherGroups = 50
	benchSets        = 6
)

type benchWorld struct {
	path    string
	user    string
	account string // an account the user reaches directly and through groups
	setName string // a permission set the user has on account
	err     error
}

var (
	worldOnce sync.Once
	world     benchWorld
)

// seededWorld builds the world once per process and returns it; every
// benchmark opens its own handle on the file.
func seededWorld(b *testing.B) benchWorld {
	b.Helper()
	worldOnce.Do(func() {
		dir, err := os.MkdirTemp("", "keyward-bench-")
		if err != nil {
			world.err = err
			return
		}
		world.path = filepath.Join(dir, "bench.db")
		world.err = seed(context.Background(), &world)
	})
	if world.err != nil {
		b.Fatal(world.err)
	}
	return world
}

// seeder creates fixtures, stopping at the first error.
type seeder struct {
	ctx context.Context
	db  *sqlite.DB
	clk *clock.Fake
	n   int
	err error
}

func (s *seeder) id() string {
	s.n++
	return fmt.Sprintf("0123456789-%08x-0000-4000-8000-%012x", s.n, s.n)
}

func (s *seeder) do(err error) {
	if s.err == nil {
		s.err = err
	}
}

func seed(ctx context.Context, w *benchWorld) error {
	clk := clock.NewFake(start)
	db, err := sqlite.Open(ctx, w.path, clk)
	if err != nil {
		return err
	}
	defer db.Close()
	s := &seeder{ctx: ctx, db: db, clk: clk}
	accounts := s.accounts()
	sets := s.permissionSets()
	user := s.user("bench.user")
	mine, others := s.groups("mine", benchUserGroups), s.groups("others", benchOtherGroups)
	for _, g := range mine {
		s.do(db.CreateMembership(ctx, ic.Membership{ID: s.id(), GroupID: g, UserID: user}))
	}
	stranger := s.user("stranger")
	for _, g := range others {
		s.do(db.CreateMembership(ctx, ic.Membership{ID: s.id(), GroupID: g, UserID: stranger}))
	}
	for i, acct := range accounts {
		s.assign(acct, sets[i%benchSets], ic.PrincipalGroup, mine[i%benchUserGroups])
		s.assign(acct, sets[(i+1)%benchSets], ic.PrincipalGroup, mine[(i*7)%benchUserGroups])
		s.assign(acct, sets[(i+2)%benchSets], ic.PrincipalGroup, others[i%benchOtherGroups])
		if i%10 == 0 {
			s.assign(acct, sets[(i+3)%benchSets], ic.PrincipalUser, user)
		}
	}
	w.user, w.account, w.setName = user, accounts[0], sets[0].Name
	return s.err
}

func (s *seeder) accounts() []string {
	var out []string
	for i := range benchAccounts {
		a := ic.Account{ID: fmt.Sprintf("%012d", 100000000000+i*7919), Name: fmt.Sprintf("acct-%d", i),
			Email: fmt.Sprintf("acct-%d@example.com", i), Status: ic.AccountActive, JoinedAt: start}
		s.do(s.db.CreateAccount(s.ctx, a, ic.CreateAccountStatus{ID: fmt.Sprintf("car-%d", i), AccountID: a.ID}))
		out = append(out, a.ID)
	}
	return out
}

func (s *seeder) permissionSets() []ic.PermissionSet {
	var out []ic.PermissionSet
	for i := range benchSets {
		ps := ic.PermissionSet{ID: fmt.Sprintf("ps-%016x", i), InstanceID: "ssoins-0123456789abcdef",
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

func benchDB(b *testing.B) (*sqlite.DB, benchWorld) {
	w := seededWorld(b)
	db, err := sqlite.Open(b.Context(), w.path, clock.NewFake(start))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db, w
}

// BenchmarkUserAccounts walks every page (Limit 100) of the user's accounts.
func BenchmarkUserAccounts(b *testing.B) {
	db, w := benchDB(b)
	pages, accounts := 0, 0
	for b.Loop() {
		p := store.Page{Limit: 100}
		for {
			got, next, err := db.UserAccounts(b.Context(), w.user, p)
			if err != nil {
				b.Fatal(err)
			}
			pages, accounts = pages+1, accounts+len(got)
			if next == "" {
				break
			}
			p.Token = next
		}
	}
	b.ReportMetric(float64(accounts)/float64(b.N), "accounts/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(pages), "ns/page")
}

// BenchmarkUserRoles lists the user's roles on one account.
func BenchmarkUserRoles(b *testing.B) {
	db, w := benchDB(b)
	roles := 0
	for b.Loop() {
		got, _, err := db.UserRoles(b.Context(), w.user, w.account, store.Page{Limit: 100})
		if err != nil {
			b.Fatal(err)
		}
		roles += len(got)
	}
	b.ReportMetric(float64(roles)/float64(b.N), "roles/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/call")
}

// BenchmarkUserRole checks one entitlement, as GetRoleCredentials does.
func BenchmarkUserRole(b *testing.B) {
	db, w := benchDB(b)
	for b.Loop() {
		if _, err := db.UserRole(b.Context(), w.user, w.account, w.setName); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/call")
}
