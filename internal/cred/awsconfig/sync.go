package awsconfig

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// MarkerKey marks a profile written by `profiles sync`; its value is the
// Source's Name. Sync updates and prunes only profiles whose marker is
// that of the source being synced.
const MarkerKey = "keyward_source"

// Source is where the synced roles come from.
type Source struct {
	Name          string // the marker value, e.g. "sso-session corp"
	SessionName   string // written as sso_session unless a role's Keys set it
	DefaultRegion string // written as region when a role has none
}

// Role is one account and role to write a profile for.
type Role struct {
	AccountID, AccountName, RoleName, Region string
	Keys                                     []KV // the profile's settings, as the command decides them
}

// SyncOptions tune PlanSync.
type SyncOptions struct {
	Template string // a Namer template; "" is DefaultTemplate
	Prune    bool   // remove this source's profiles whose role is gone
}

// Change is one profile to add, update or remove.
type Change struct {
	Name string
	Role Role // zero for a removal
	Keys []KV // the settings after the change; nil for a removal
	Old  []KV // the settings before it; nil for an addition
}

// Conflict is a role whose profile name is taken by a profile that is
// not this source's: the person's own (Owner "") or another source's.
// It is left exactly as it is.
type Conflict struct {
	Name  string
	Role  Role
	Owner string
}

// Plan is what a sync would change, each list sorted by name.
type Plan struct {
	Add, Update, Remove []Change
	Conflicts           []Conflict
}

type wanted struct {
	name string
	role Role
	keys []KV
}

// PlanSync works out how to make cfg hold one profile per role for src.
// It changes nothing: Apply does.
func PlanSync(cfg *File, src Source, roles []Role, o SyncOptions) (*Plan, error) {
	if src.Name == "" || strings.ContainsFunc(src.Name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return nil, errors.New("the sync source needs a name without control characters")
	}
	namer, err := NewNamer(o.Template)
	if err != nil {
		return nil, err
	}
	want, err := wantedProfiles(namer, src, roles)
	if err != nil {
		return nil, err
	}
	p := &Plan{}
	for _, w := range want {
		p.plan(cfg, src, w)
	}
	if o.Prune {
		p.prune(cfg, src, want)
	}
	return p, nil
}

func (p *Plan) plan(cfg *File, src Source, w wanted) {
	start, ok := cfg.find(cfg.Profile(w.name))
	if !ok {
		p.Add = append(p.Add, Change{Name: w.name, Role: w.role, Keys: w.keys})
		return
	}
	old := cfg.kvs(start)
	if owner := lookup(old, MarkerKey); owner != src.Name {
		p.Conflicts = append(p.Conflicts, Conflict{Name: w.name, Role: w.role, Owner: owner})
		return
	}
	if !sameKVs(old, w.keys) {
		p.Update = append(p.Update, Change{Name: w.name, Role: w.role, Keys: w.keys, Old: old})
	}
}

func (p *Plan) prune(cfg *File, src Source, want []wanted) {
	keep := map[string]bool{}
	for _, w := range want {
		keep[w.name] = true
	}
	for _, name := range cfg.Profiles() {
		start, ok := cfg.find(cfg.Profile(name))
		if !ok || keep[name] {
			continue
		}
		if old := cfg.kvs(start); lookup(old, MarkerKey) == src.Name {
			p.Remove = append(p.Remove, Change{Name: name, Old: old})
		}
	}
	slices.SortFunc(p.Remove, func(a, b Change) int { return cmp.Compare(a.Name, b.Name) })
}

// wantedProfiles names every role and builds its settings, sorted by name.
func wantedProfiles(namer *Namer, src Source, roles []Role) ([]wanted, error) {
	roles = slices.Clone(roles)
	slices.SortFunc(roles, func(a, b Role) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.RoleName, b.RoleName))
	})
	roles = slices.CompactFunc(roles, func(a, b Role) bool { return a.AccountID == b.AccountID && a.RoleName == b.RoleName })
	want := make([]wanted, 0, len(roles))
	for _, r := range roles {
		name, err := namer.Name(r)
		if err != nil {
			return nil, err
		}
		keys, err := profileKeys(src, r)
		if err != nil {
			return nil, err
		}
		want = append(want, wanted{name: name, role: r, keys: keys})
	}
	unique(want)
	slices.SortFunc(want, func(a, b wanted) int { return cmp.Compare(a.name, b.name) })
	return want, nil
}

// unique gives roles that share a name the account ID as a suffix, and a
// number after that if they still clash.
func unique(want []wanted) {
	count := map[string]int{}
	for _, w := range want {
		count[w.name]++
	}
	taken := map[string]bool{}
	for i := range want {
		if count[want[i].name] > 1 {
			want[i].name += "-" + sanitize(want[i].role.AccountID)
		}
	}
	for i := range want {
		base, name := want[i].name, want[i].name
		for n := 2; taken[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		want[i].name, taken[name] = name, true
	}
}

// profileKeys is the role's settings plus sso_session and region when the
// role leaves them out, and the marker last.
func profileKeys(src Source, r Role) ([]KV, error) {
	var keys []KV
	if src.SessionName != "" && lookup(r.Keys, "sso_session") == "" {
		keys = append(keys, KV{"sso_session", src.SessionName})
	}
	for _, kv := range r.Keys {
		k := strings.ToLower(kv.Key)
		if k == MarkerKey || slices.ContainsFunc(keys, func(o KV) bool { return o.Key == k }) {
			continue
		}
		kv = KV{k, strings.TrimSpace(kv.Value)}
		if err := checkKV(kv); err != nil {
			return nil, fmt.Errorf("role %s in account %s: %w", r.RoleName, r.AccountID, err)
		}
		keys = append(keys, kv)
	}
	if region := cmp.Or(r.Region, src.DefaultRegion); region != "" && lookup(keys, "region") == "" {
		kv := KV{"region", strings.TrimSpace(region)}
		if err := checkKV(kv); err != nil {
			return nil, fmt.Errorf("role %s in account %s: %w", r.RoleName, r.AccountID, err)
		}
		keys = append(keys, kv)
	}
	return append(keys, KV{MarkerKey, src.Name}), nil
}

func lookup(kvs []KV, key string) string {
	for _, kv := range kvs {
		if strings.EqualFold(kv.Key, key) {
			return kv.Value
		}
	}
	return ""
}

func sameKVs(a, b []KV) bool {
	m := func(kvs []KV) map[string]string {
		out := map[string]string{}
		for _, kv := range kvs {
			out[strings.ToLower(kv.Key)] = kv.Value
		}
		return out
	}
	return maps.Equal(m(a), m(b))
}

// Empty reports whether applying the plan would change nothing.
// Conflicts never change anything.
func (p *Plan) Empty() bool { return len(p.Add)+len(p.Update)+len(p.Remove) == 0 }

// Apply makes the planned changes to cfg; the caller then saves it.
func (p *Plan) Apply(cfg *File) {
	for _, c := range p.Remove {
		cfg.DeleteSection(cfg.Profile(c.Name))
	}
	for _, c := range slices.Concat(p.Update, p.Add) {
		cfg.PutSection(cfg.Profile(c.Name), c.Keys)
	}
}

// Diff shows the plan for --dry-run: "+ [profile x]" and its settings for
// an addition, "~ [profile x]" and the settings that change for an
// update, "- [profile x]" and its settings for a removal, and "! " for a
// profile left alone because of a conflict.
func (p *Plan) Diff() string {
	var b strings.Builder
	for _, c := range p.Add {
		fmt.Fprintf(&b, "+ %s\n", ProfileSection(c.Name))
		writeKVs(&b, "+", c.Keys)
	}
	for _, c := range p.Update {
		fmt.Fprintf(&b, "~ %s\n", ProfileSection(c.Name))
		writeUpdate(&b, c)
	}
	for _, c := range p.Remove {
		fmt.Fprintf(&b, "- %s\n", ProfileSection(c.Name))
		writeKVs(&b, "-", c.Old)
	}
	for _, c := range p.Conflicts {
		owner := "is not one keyward wrote"
		if c.Owner != "" {
			owner = fmt.Sprintf("belongs to %q", c.Owner)
		}
		fmt.Fprintf(&b, "! %s (%s in %s) left alone: the profile %s\n",
			ProfileSection(c.Name), c.Role.RoleName, c.Role.AccountID, owner)
	}
	return b.String()
}

func writeKVs(b *strings.Builder, sign string, kvs []KV) {
	for _, kv := range kvs {
		fmt.Fprintf(b, "%s   %s = %s\n", sign, kv.Key, strings.ReplaceAll(kv.Value, "\n", "\n"+sign+"     "))
	}
}

func writeUpdate(b *strings.Builder, c Change) {
	for _, o := range c.Old {
		if v := lookup(c.Keys, o.Key); v != o.Value || !hasKey(c.Keys, o.Key) {
			writeKVs(b, "-", []KV{o})
		}
	}
	for _, n := range c.Keys {
		if lookup(c.Old, n.Key) != n.Value || !hasKey(c.Old, n.Key) {
			writeKVs(b, "+", []KV{n})
		}
	}
}

func hasKey(kvs []KV, key string) bool {
	return slices.ContainsFunc(kvs, func(kv KV) bool { return strings.EqualFold(kv.Key, key) })
}
