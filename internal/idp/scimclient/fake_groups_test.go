package scimclient

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// The fake target's groups: created without members, read with
// "members": [], patched by AWS's rules.

func (f *fakeSCIM) groupsRoot(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method == http.MethodGet {
		if m := memberFilter.FindStringSubmatch(r.URL.Query().Get("filter")); m != nil {
			gid, uid := unquote(m[1]), unquote(m[2])
			var out []Group
			if g, ok := f.groups[gid]; ok && f.members[gid][uid] {
				out = append(out, g)
			}
			f.page(w, r, out)
			return
		}
		var all []Group
		for _, g := range f.groups {
			all = append(all, g)
		}
		f.list(w, r, all, func(g Group, attr, v string) bool {
			return (attr == "displayName" && strings.EqualFold(g.DisplayName, v)) || (attr == "externalId" && g.ExternalID == v)
		})
		return
	}
	var g Group
	if err := json.Unmarshal(body, &g); err != nil || g.DisplayName == "" {
		writeErr(w, 400, "displayName is required")
		return
	}
	if len(g.Members) > 100 {
		writeErr(w, 400, "at most 100 members")
		return
	}
	for _, o := range f.groups {
		if strings.EqualFold(o.DisplayName, g.DisplayName) {
			writeErr(w, 409, "Group already exists")
			return
		}
	}
	g.ID, g.Meta = f.newID(), &Meta{ResourceType: "Group"}
	f.members[g.ID] = map[string]bool{}
	for _, m := range g.Members {
		f.members[g.ID][m.Value] = true
	}
	g.Members = nil
	f.groups[g.ID] = g
	f.creates["Groups"]++
	writeJSON(w, 201, withNoMembers(g))
}

// withNoMembers is a group as AWS returns it: "members": [].
func withNoMembers(g Group) map[string]any {
	return map[string]any{"id": g.ID, "externalId": g.ExternalID, "displayName": g.DisplayName,
		"schemas": []string{SchemaGroup}, "members": []any{}, "meta": g.Meta}
}

func (f *fakeSCIM) group(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	g, ok := f.groups[id]
	if !ok {
		writeErr(w, 404, "Group not found")
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, 200, withNoMembers(g))
	case http.MethodDelete:
		delete(f.groups, id)
		delete(f.members, id)
		w.WriteHeader(204)
	case http.MethodPatch:
		var p PatchOp
		if err := json.Unmarshal(body, &p); err != nil || len(p.Operations) == 0 {
			writeErr(w, 400, "malformed patch")
			return
		}
		if status, msg := f.patchGroup(id, g, p); status != 204 {
			writeErr(w, status, msg)
			return
		}
		w.WriteHeader(204)
	}
}

var memberPath = regexp.MustCompile(`^members\[value eq ("(?:[^"\\]|\\.)*")\]$`)

// patchGroup applies p all or nothing, as AWS's rules allow.
func (f *fakeSCIM) patchGroup(id string, g Group, p PatchOp) (int, string) {
	rec := groupPatch{group: id}
	next := map[string]bool{}
	for u := range f.members[id] {
		next[u] = true
	}
	for _, op := range p.Operations {
		rec.ops = append(rec.ops, op.Op+" "+op.Path)
		switch {
		case op.Op == "add" && op.Path == "members":
			raw, _ := json.Marshal(op.Value)
			var ms []Member
			json.Unmarshal(raw, &ms)
			for _, m := range ms {
				if _, ok := f.users[m.Value]; !ok { // keyward's AWS side's answer
					f.patches = append(f.patches, rec)
					return 400, fmt.Sprintf("member %q is not a user", m.Value)
				}
				next[m.Value] = true
			}
			rec.adds += len(ms)
		case op.Op == "remove" && memberPath.MatchString(op.Path):
			delete(next, unquote(memberPath.FindStringSubmatch(op.Path)[1]))
			rec.removes++
		case op.Op == "replace" && op.Path == "displayName":
			g.DisplayName, _ = op.Value.(string)
		case op.Op == "replace" && op.Path == "externalId":
			g.ExternalID, _ = op.Value.(string)
		default:
			f.patches = append(f.patches, rec)
			return 400, "unsupported operation " + op.Op + " " + op.Path
		}
	}
	f.patches = append(f.patches, rec)
	if rec.adds+rec.removes > 100 {
		return 400, "at most 100 membership changes per request"
	}
	if rec.removes > 1 && len(next) == 0 {
		return 400, "removing all members in one request is not allowed"
	}
	for _, o := range f.groups {
		if o.ID != id && strings.EqualFold(o.DisplayName, g.DisplayName) {
			return 409, "Group already exists"
		}
	}
	f.groups[id], f.members[id] = g, next
	return 204, ""
}
