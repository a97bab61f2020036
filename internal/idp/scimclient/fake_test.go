package scimclient

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fakeSCIM is a deliberately hostile SCIM target that otherwise behaves
// like AWS IAM Identity Center (§9): unique userName and displayName
// (409), one value per multi-valued attribute, GET /Groups with
// "members": [] always, membership only through `members eq` filters,
// at most 100 member changes per PATCH, no replacing or removing all
// members in one request, an added member that is not a user refused
// with 400 (all or nothing), PatchGroup answering 204, lists of at most 50
// paged by startIndex.
type fakeSCIM struct {
	mu      sync.Mutex
	token   string
	users   map[string]User
	groups  map[string]Group
	members map[string]map[string]bool // group id → user ids
	seq     int

	// Hostility: with chaos, each request may meet a fault drawn from rnd.
	chaos bool
	rnd   *rand.Rand
	slow  time.Duration // how long a slow answer takes
	// hook, when set, may answer a request itself (status > 0) before the
	// fake does; after runs once a request was handled.
	hook  func(r *http.Request, body []byte) (int, string)
	after func(r *http.Request)
	// retryAfter is the Retry-After of the hook's 429s ("7" when empty).
	retryAfter string

	faults  map[fault]int
	creates map[string]int // per resource path
	patches []groupPatch
	writes  int // mutating requests that reached the store
}

// groupPatch is one accepted or refused PATCH of a group's members.
type groupPatch struct {
	group   string
	adds    int
	removes int
	ops     []string
}

func newFakeSCIM(token string) *fakeSCIM {
	return &fakeSCIM{token: token, users: map[string]User{}, groups: map[string]Group{},
		members: map[string]map[string]bool{}, rnd: rand.New(rand.NewPCG(1, 2)), slow: 300 * time.Millisecond,
		creates: map[string]int{}, faults: map[fault]int{}}
}

type fault int

const (
	noFault fault = iota
	throttle
	serverError
	dropBefore
	dropAfter
	slowAfter
)

func (f *fakeSCIM) pickFault() fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.chaos {
		return noFault
	}
	fl := noFault
	switch n := f.rnd.IntN(100); {
	case n < 8:
		fl = throttle
	case n < 16:
		fl = serverError
	case n < 22:
		fl = dropBefore
	case n < 30:
		fl = dropAfter
	case n < 34:
		fl = slowAfter
	}
	f.faults[fl]++
	return fl
}

func (f *fakeSCIM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	fl := f.pickFault()
	switch fl {
	case throttle:
		w.Header().Set("Retry-After", "1")
		writeErr(w, 429, "Rate exceeded")
		return
	case serverError:
		writeErr(w, 500, "Internal failure")
		return
	case dropBefore:
		drop(w)
		return
	}
	rec := httptest.NewRecorder()
	f.serve(rec, r, body)
	f.mu.Lock()
	after := f.after
	f.mu.Unlock()
	if after != nil {
		after(r)
	}
	switch fl {
	case dropAfter:
		drop(w)
		return
	case slowAfter:
		time.Sleep(f.slow)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func writeErr(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"schema":[%q],"schemas":[%q],"detail":%q,"status":"%d","exceptionRequestId":"r-1"}`,
		SchemaError, SchemaError, detail, status)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSCIM) serve(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		writeErr(w, 401, "Unauthorized")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hook != nil {
		if status, detail := f.hook(r, body); status > 0 {
			if status == 429 {
				w.Header().Set("Retry-After", cmpOr(f.retryAfter, "7"))
			}
			writeErr(w, status, detail)
			return
		}
	}
	path := strings.TrimPrefix(r.URL.Path, "/scim/v2")
	kind, id, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if r.Method != http.MethodGet {
		f.writes++
	}
	switch {
	case kind == "Users" && id == "":
		f.usersRoot(w, r, body)
	case kind == "Users":
		f.user(w, r, id, body)
	case kind == "Groups" && id == "":
		f.groupsRoot(w, r, body)
	case kind == "Groups":
		f.group(w, r, id, body)
	default:
		writeErr(w, 404, "no such path")
	}
}

func (f *fakeSCIM) newID() string {
	f.seq++
	return fmt.Sprintf("9067%06d-fake", f.seq)
}

var (
	eqFilter     = regexp.MustCompile(`^(\w+) eq ("(?:[^"\\]|\\.)*")$`)
	memberFilter = regexp.MustCompile(`^id eq ("(?:[^"\\]|\\.)*") and members eq ("(?:[^"\\]|\\.)*")$`)
)

func unquote(s string) string { v, _ := strconv.Unquote(s); return v }

func validUser(u User) string {
	switch {
	case u.UserName == "" || u.DisplayName == "" || u.Name.GivenName == "" || u.Name.FamilyName == "":
		return "userName, displayName, name.givenName and name.familyName are required"
	case len(u.Emails) > 1 || len(u.PhoneNumbers) > 1 || len(u.Addresses) > 1:
		return "multi-valued attributes accept only a single value"
	case len(u.Emails) == 1 && !u.Emails[0].Primary:
		return "the email must be primary"
	}
	return ""
}

func (f *fakeSCIM) userNameTaken(name, except string) bool {
	for id, u := range f.users {
		if id != except && strings.EqualFold(u.UserName, name) {
			return true
		}
	}
	return false
}

func (f *fakeSCIM) usersRoot(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method == http.MethodGet {
		var all []User
		for _, u := range f.users {
			all = append(all, u)
		}
		f.list(w, r, all, func(u User, attr, v string) bool {
			return (attr == "userName" && strings.EqualFold(u.UserName, v)) || (attr == "externalId" && u.ExternalID == v)
		})
		return
	}
	var u User
	if err := json.Unmarshal(body, &u); err != nil {
		writeErr(w, 400, "malformed body")
		return
	}
	if msg := validUser(u); msg != "" {
		writeErr(w, 400, msg)
		return
	}
	if f.userNameTaken(u.UserName, "") {
		writeErr(w, 409, "Refused to create a new, duplicate resource.")
		return
	}
	u.ID = f.newID()
	u.Meta = &Meta{ResourceType: "User"}
	f.users[u.ID] = u
	f.creates["Users"]++
	writeJSON(w, 201, u)
}

func (f *fakeSCIM) user(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	old, ok := f.users[id]
	if !ok {
		writeErr(w, 404, "User not found")
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, 200, old)
	case http.MethodDelete:
		delete(f.users, id)
		for _, m := range f.members {
			delete(m, id)
		}
		w.WriteHeader(204)
	case http.MethodPut:
		var u User
		if err := json.Unmarshal(body, &u); err != nil {
			writeErr(w, 400, "malformed body")
			return
		}
		if msg := validUser(u); msg != "" {
			writeErr(w, 400, msg)
			return
		}
		if f.userNameTaken(u.UserName, id) {
			writeErr(w, 409, "Duplicate userName")
			return
		}
		u.ID, u.Meta = id, old.Meta
		f.users[id] = u
		writeJSON(w, 200, u)
	case http.MethodPatch:
		var p PatchOp
		if err := json.Unmarshal(body, &p); err != nil || len(p.Operations) == 0 {
			writeErr(w, 400, "malformed patch")
			return
		}
		for _, op := range p.Operations {
			if op.Op != "replace" || op.Path != "active" {
				writeErr(w, 400, "fake supports only replace active")
				return
			}
			old.Active = op.Value == true
		}
		f.users[id] = old
		writeJSON(w, 200, old)
	}
}

// list answers a list, filtered by `attr eq "v"` when asked.
func (f *fakeSCIM) list(w http.ResponseWriter, r *http.Request, all any, match any) {
	switch items := all.(type) {
	case []User:
		f.page(w, r, filterItems(r, items, match.(func(User, string, string) bool)))
	case []Group:
		gs := filterItems(r, items, match.(func(Group, string, string) bool))
		f.page(w, r, gs)
	}
}

func filterItems[T any](r *http.Request, items []T, match func(T, string, string) bool) []T {
	q := r.URL.Query().Get("filter")
	if q == "" {
		return items
	}
	m := eqFilter.FindStringSubmatch(q)
	if m == nil {
		return nil
	}
	var out []T
	for _, it := range items {
		if match(it, m[1], unquote(m[2])) {
			out = append(out, it)
		}
	}
	return out
}

// page answers one page of at most 50 in id order, by startIndex.
func (f *fakeSCIM) page(w http.ResponseWriter, r *http.Request, items any) {
	var res []any
	switch xs := items.(type) {
	case []User:
		slices.SortFunc(xs, func(a, b User) int { return strings.Compare(a.ID, b.ID) })
		for _, x := range xs {
			res = append(res, x)
		}
	case []Group:
		slices.SortFunc(xs, func(a, b Group) int { return strings.Compare(a.ID, b.ID) })
		for _, x := range xs {
			res = append(res, withNoMembers(x))
		}
	}
	start, _ := strconv.Atoi(r.URL.Query().Get("startIndex"))
	start = max(start, 1)
	total := len(res)
	res = res[min(start-1, total):]
	res = res[:min(50, len(res))]
	if res == nil {
		res = []any{}
	}
	writeJSON(w, 200, map[string]any{"schemas": []string{SchemaList}, "totalResults": total,
		"itemsPerPage": len(res), "startIndex": start, "Resources": res})
}

// snapshot helpers for assertions.

func (f *fakeSCIM) userNames() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for _, u := range f.users {
		out[strings.ToLower(u.UserName)]++
	}
	return out
}

func (f *fakeSCIM) userByName(name string) (User, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.users {
		if strings.EqualFold(u.UserName, name) {
			return u, true
		}
	}
	return User{}, false
}

func (f *fakeSCIM) groupByName(name string) (Group, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, g := range f.groups {
		if strings.EqualFold(g.DisplayName, name) {
			return g, true
		}
	}
	return Group{}, false
}

// memberNames lists the userNames of the group's members, sorted.
func (f *fakeSCIM) memberNames(groupID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for u := range f.members[groupID] {
		out = append(out, strings.ToLower(f.users[u].UserName))
	}
	slices.Sort(out)
	return out
}

func (f *fakeSCIM) set(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
}
