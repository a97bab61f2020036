package directory

import (
	"slices"
	"strings"
)

// The grammars of Okta's search and filter parameters (okta-api.md §11). Each
// call returns a fresh Grammar, so a caller may adjust its copy.

var (
	rangeOps  = []Op{OpEq, OpGt, OpGe, OpLt, OpLe}
	searchOps = []Op{OpEq, OpSw, OpCo, OpGt, OpGe, OpLt, OpLe, OpPr}
)

// UserFilter is the grammar of GET /api/v1/users?filter=: status, id,
// lastUpdated and profile.login, email, firstName and lastName, with eq only,
// plus gt, ge, lt and le on lastUpdated.
func UserFilter() Grammar {
	return Grammar{
		Attr: fixedAttrs(map[string]Kind{
			"status": KindString, "id": KindString, "lastUpdated": KindTime,
			"profile.login": KindString, "profile.email": KindString,
			"profile.firstName": KindString, "profile.lastName": KindString,
		}),
		Ops: map[Kind][]Op{KindString: {OpEq}, KindTime: ops(rangeOps)},
	}
}

// UserSearch is the grammar of GET /api/v1/users?search=: any profile.<name>,
// id, status, type.id and the user's times, with eq, sw, gt, ge, lt, le and pr
// (sw only on text). co is allowed only on profile.firstName, lastName, email
// and login; ne is refused, as Okta does.
func UserSearch() Grammar {
	attrs := fixedAttrs(map[string]Kind{
		"id": KindString, "status": KindString, "type.id": KindString,
		"created": KindTime, "activated": KindTime, "statusChanged": KindTime,
		"lastUpdated": KindTime, "passwordChanged": KindTime, "lastLogin": KindTime,
	})
	return Grammar{
		Attr:     withProfile(attrs),
		Ops:      map[Kind][]Op{KindString: ops(searchOps), KindTime: ops(rangeOps, OpPr)},
		Contains: oneOf("profile.firstName", "profile.lastName", "profile.email", "profile.login"),
	}
}

// GroupFilter is the grammar of GET /api/v1/groups?filter=: id and type with
// eq; lastUpdated and lastMembershipUpdated with eq, gt, ge, lt and le.
func GroupFilter() Grammar {
	return Grammar{
		Attr: fixedAttrs(map[string]Kind{
			"id": KindString, "type": KindString,
			"lastUpdated": KindTime, "lastMembershipUpdated": KindTime,
		}),
		Ops: map[Kind][]Op{KindString: {OpEq}, KindTime: ops(rangeOps)},
	}
}

// GroupSearch is the grammar of GET /api/v1/groups?search=: any
// profile.<name>, id, type, source.id with eq, sw, co and pr (co only on
// profile.name and profile.description); created, lastUpdated and
// lastMembershipUpdated with eq, gt, ge, lt, le and pr.
func GroupSearch() Grammar {
	attrs := fixedAttrs(map[string]Kind{
		"id": KindString, "type": KindString, "source.id": KindString,
		"created": KindTime, "lastUpdated": KindTime, "lastMembershipUpdated": KindTime,
	})
	return Grammar{
		Attr:     withProfile(attrs),
		Ops:      map[Kind][]Op{KindString: {OpEq, OpSw, OpCo, OpPr}, KindTime: ops(rangeOps, OpPr)},
		Contains: oneOf("profile.name", "profile.description"),
	}
}

// LogFilter is the grammar of GET /api/v1/logs?filter=: any attribute path of
// a log event, with every operator; published is a time (and so takes no sw
// or co).
func LogFilter() Grammar {
	return Grammar{
		Attr: func(path string) (Kind, bool) {
			if path == "published" {
				return KindTime, true
			}
			return KindString, true
		},
		Ops: map[Kind][]Op{KindString: ops(allOps), KindTime: ops(rangeOps, OpNe, OpPr)},
	}
}

// fixedAttrs accepts exactly the paths in kinds.
func fixedAttrs(kinds map[string]Kind) func(string) (Kind, bool) {
	return func(path string) (Kind, bool) {
		k, ok := kinds[path]
		return k, ok
	}
}

// withProfile accepts profile.<name> as text as well as what attrs accepts.
func withProfile(attrs func(string) (Kind, bool)) func(string) (Kind, bool) {
	return func(path string) (Kind, bool) {
		if name, ok := strings.CutPrefix(path, "profile."); ok && name != "" && !strings.Contains(name, ".") {
			return KindString, true
		}
		return attrs(path)
	}
}

func oneOf(paths ...string) func(string) bool {
	return func(path string) bool { return slices.Contains(paths, path) }
}

// ops returns a new list of the operators in list and more.
func ops(list []Op, more ...Op) []Op { return slices.Concat(list, more) }
