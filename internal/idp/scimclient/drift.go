package scimclient

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// Drift problems.
const (
	DriftMissing       = "missing"        // should be at the target and is not
	DriftExtra         = "extra"          // is at the target and should not be
	DriftAttribute     = "attribute"      // at the target with a different value
	DriftMemberMissing = "member missing" // the user should be in the group at the target
	DriftMemberExtra   = "member extra"   // the user is in the group at the target and should not be
)

// Difference is one way an app's target differs from the identity
// provider.
type Difference struct {
	Kind     string // store.ProvisionUser or store.ProvisionGroup
	Problem  string // one of the Drift* problems
	ID       string // the identity provider's id; empty for an extra
	TargetID string // the target's id; empty for a missing one
	Name     string // login or group name (the target's for an extra)
	// Attribute, Want and Got say what differs (DriftAttribute).
	Attribute string
	Want      string
	Got       string
	// MemberID and MemberName name the user of a membership difference.
	MemberID   string
	MemberName string
}

// Drift lists every difference between what the identity provider says
// the app's target should hold and what it holds, changing nothing. It
// lists the target's users and groups, and asks about each membership
// that should exist or was pushed with a `members eq` filter.
func (e *Engine) Drift(ctx context.Context, appID string) ([]Difference, error) {
	app, err := e.c.Apps.App(ctx, appID)
	if err != nil {
		return nil, err
	}
	c, err := e.client(app)
	if err != nil {
		return nil, err
	}
	d := drift{e: e, c: c, appID: appID, idpIDs: map[string]string{}}
	for _, step := range []func(context.Context) error{d.users, d.groups} {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(d.out, func(a, b Difference) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.MemberName, b.MemberName),
			cmp.Compare(a.Problem, b.Problem), cmp.Compare(a.Attribute, b.Attribute))
	})
	return d.out, nil
}

type drift struct {
	e           *Engine
	c           *Client
	appID       string
	out         []Difference
	targetUsers []User            // every user at the target
	idpIDs      map[string]string // target id → IdP id, for users matched
}

func (d *drift) add(x Difference) { d.out = append(d.out, x) }

// wantUsers is what each user concerned should look like at the target:
// assigned and pushable as active, anything else already mapped as
// inactive.
func (d *drift) wantUsers(ctx context.Context) (map[string]User, map[string]string, error) {
	want := map[string]User{}
	mapped, err := d.mapped(ctx, store.ProvisionUser)
	if err != nil {
		return nil, nil, err
	}
	err = pages(func(p store.Page) ([]directory.AppUser, string, error) {
		return d.e.c.Apps.ListAppUsers(ctx, d.appID, p)
	},
		func(aus []directory.AppUser) error {
			for _, au := range aus {
				u, err := d.e.c.Directory.User(ctx, au.UserID)
				if isNotFound(err) {
					continue
				}
				if err != nil {
					return err
				}
				if _, ok := mapped[u.ID]; Pushable(u.Status) || ok {
					want[u.ID] = MapUser(u, Pushable(u.Status))
				}
			}
			return nil
		})
	if err != nil {
		return nil, nil, err
	}
	for id := range mapped {
		if _, ok := want[id]; ok {
			continue
		}
		u, err := d.e.c.Directory.User(ctx, id)
		if isNotFound(err) {
			continue // deleted: should not be at the target
		}
		if err != nil {
			return nil, nil, err
		}
		want[id] = MapUser(u, false)
	}
	return want, mapped, nil
}

// mapped is the app's mapping of kind: IdP id → target id.
func (d *drift) mapped(ctx context.Context, kind string) (map[string]string, error) {
	ts, err := d.e.c.State.ListProvisionTargets(ctx, d.appID, kind)
	out := make(map[string]string, len(ts))
	for _, t := range ts {
		out[t.ObjectID] = t.TargetID
	}
	return out, err
}

func (d *drift) users(ctx context.Context) error {
	want, mapped, err := d.wantUsers(ctx)
	if err != nil {
		return err
	}
	var have []User
	if err := d.c.ListUsers(ctx, func(us []User) error { have = append(have, us...); return nil }); err != nil {
		return err
	}
	d.targetUsers = have
	idx := newIndex(have, func(u User) (string, string, string) { return u.ID, u.ExternalID, u.UserName })
	for _, id := range sortedKeys(want) {
		w := want[id]
		got, ok := idx.match(mapped[id], id, w.UserName)
		if !ok {
			d.add(Difference{Kind: store.ProvisionUser, Problem: DriftMissing, ID: id, Name: w.UserName})
			continue
		}
		d.idpIDs[got.ID] = id
		for _, f := range userDiffs(w, got) {
			d.add(Difference{Kind: store.ProvisionUser, Problem: DriftAttribute, ID: id, TargetID: got.ID,
				Name: w.UserName, Attribute: f[0], Want: f[1], Got: f[2]})
		}
	}
	for _, u := range idx.unmatched() {
		d.add(Difference{Kind: store.ProvisionUser, Problem: DriftExtra, TargetID: u.ID, Name: u.UserName})
	}
	return nil
}

func (d *drift) groups(ctx context.Context) error {
	mapped, err := d.mapped(ctx, store.ProvisionGroup)
	if err != nil {
		return err
	}
	pushes, err := d.e.c.Apps.ListGroupPushes(ctx, d.appID)
	if err != nil {
		return err
	}
	var have []Group
	if err := d.c.ListGroups(ctx, func(gs []Group) error { have = append(have, gs...); return nil }); err != nil {
		return err
	}
	idx := newIndex(have, func(g Group) (string, string, string) { return g.ID, g.ExternalID, g.DisplayName })
	for _, push := range pushes {
		g, err := d.e.c.Directory.Group(ctx, push.GroupID)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		w := MapGroup(g)
		got, ok := idx.match(mapped[g.ID], g.ID, w.DisplayName)
		if !ok {
			d.add(Difference{Kind: store.ProvisionGroup, Problem: DriftMissing, ID: g.ID, Name: g.Name})
			continue
		}
		for _, f := range groupDiffs(w, got) {
			d.add(Difference{Kind: store.ProvisionGroup, Problem: DriftAttribute, ID: g.ID, TargetID: got.ID,
				Name: g.Name, Attribute: f[0], Want: f[1], Got: f[2]})
		}
		if err := d.members(ctx, g, got.ID); err != nil {
			return err
		}
	}
	for _, g := range idx.unmatched() {
		d.add(Difference{Kind: store.ProvisionGroup, Problem: DriftExtra, TargetID: g.ID, Name: g.DisplayName})
	}
	return nil
}

// members asks, with a `members eq` filter, whether each user at the
// target is in the group, and compares with the group's members assigned
// to the app (GET /Groups lists no members to compare with).
func (d *drift) members(ctx context.Context, g directory.Group, gtid string) error {
	want := map[string]bool{}
	err := pages(func(p store.Page) ([]directory.User, string, error) {
		return d.e.c.Directory.ListMembers(ctx, g.ID, store.UserQuery{}, p)
	}, func(us []directory.User) error {
		for _, u := range us {
			if _, err := d.e.c.Apps.AppUser(ctx, d.appID, u.ID); err == nil {
				want[u.ID] = true
			} else if !isNotFound(err) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	var mu sync.Mutex
	return parallelEach(d.e.c.Workers, d.targetUsers, func(u User) error {
		has, err := d.c.HasMember(ctx, gtid, u.ID)
		if err != nil {
			return err
		}
		id := d.idpIDs[u.ID]
		if has == (id != "" && want[id]) {
			return nil
		}
		problem := DriftMemberMissing
		if has {
			problem = DriftMemberExtra
		}
		mu.Lock()
		defer mu.Unlock()
		d.add(Difference{Kind: store.ProvisionGroup, Problem: problem, ID: g.ID, TargetID: gtid, Name: g.Name,
			MemberID: id, MemberName: u.UserName})
		return nil
	})
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// index finds target resources by id, externalId or name (names compared
// case-insensitively, as AWS does) and remembers which were matched.
type index[T any] struct {
	items   []T
	byID    map[string]int
	byExt   map[string]int
	byName  map[string]int
	matched map[int]bool
}

func newIndex[T any](items []T, keys func(T) (id, ext, name string)) *index[T] {
	x := &index[T]{items: items, byID: map[string]int{}, byExt: map[string]int{}, byName: map[string]int{}, matched: map[int]bool{}}
	for i, it := range items {
		id, ext, name := keys(it)
		x.byID[id] = i
		if ext != "" {
			x.byExt[ext] = i
		}
		x.byName[strings.ToLower(name)] = i
	}
	return x
}

func (x *index[T]) match(targetID, ext, name string) (T, bool) {
	for _, lookup := range []func() (int, bool){
		func() (int, bool) { i, ok := x.byID[targetID]; return i, ok && targetID != "" },
		func() (int, bool) { i, ok := x.byExt[ext]; return i, ok },
		func() (int, bool) { i, ok := x.byName[strings.ToLower(name)]; return i, ok },
	} {
		if i, ok := lookup(); ok && !x.matched[i] {
			x.matched[i] = true
			return x.items[i], true
		}
	}
	var zero T
	return zero, false
}

func (x *index[T]) unmatched() []T {
	var out []T
	for i, it := range x.items {
		if !x.matched[i] {
			out = append(out, it)
		}
	}
	return out
}
