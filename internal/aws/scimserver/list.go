package scimserver

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// listQuery is a list request: its filter and page. Cursor reports that
// the client sent `cursor` (empty for the first page), which switches the
// answer to the cursor form.
type listQuery struct {
	filter []cond
	page   store.Page
	cursor bool
}

// readList reads filter, count (1-100, default 100) and cursor. AWS does
// not support startIndex (only 1, the default, is accepted) or sorting.
// Nor does it support attributes and excludedAttributes, but it ignores
// them, answering whole resources: Microsoft Entra ID, a client AWS
// supports, sends excludedAttributes=members with its group look-ups.
func readList(r *http.Request) (listQuery, error) {
	q := r.URL.Query()
	for _, k := range []string{"sortBy", "sortOrder"} {
		if q.Has(k) {
			return listQuery{}, invalid("%s is not supported", k)
		}
	}
	if v := q.Get("startIndex"); v != "" && v != "1" {
		return listQuery{}, invalid("startIndex is not supported; page with count and cursor")
	}
	lq := listQuery{page: store.Page{Limit: 100, Token: q.Get("cursor")}, cursor: q.Has("cursor")}
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return listQuery{}, invalid("count must be a number from 1 to 100")
		}
		lq.page.Limit = n
	}
	if f := q.Get("filter"); f != "" {
		fs, err := parseFilter(f)
		if err != nil {
			return listQuery{}, err
		}
		lq.filter = fs
	}
	return lq, nil
}

// attrs is the filter's attributes in order, with .value of a reference
// attribute dropped (manager.value is manager).
func (lq listQuery) attrs() []string {
	out := make([]string, len(lq.filter))
	for i, c := range lq.filter {
		out[i] = c.Attr
		if c.Attr == "manager.value" || c.Attr == "members.value" {
			out[i] = c.Attr[:len(c.Attr)-len(".value")]
		}
	}
	return out
}

// value returns the filter's value for attr.
func (lq listQuery) value(attr string) string {
	i := slices.Index(lq.attrs(), attr)
	return lq.filter[i].Value
}

// is reports whether the filter compares exactly attrs, in any order.
func (lq listQuery) is(attrs ...string) bool {
	got := slices.Clone(lq.attrs())
	slices.Sort(got)
	want := slices.Clone(attrs)
	slices.Sort(want)
	return slices.Equal(got, want)
}

type listResponse struct {
	TotalResults *int     `json:"totalResults,omitempty"`
	ItemsPerPage int      `json:"itemsPerPage"`
	StartIndex   *int     `json:"startIndex,omitempty"`
	NextCursor   string   `json:"nextCursor,omitempty"`
	Schemas      []string `json:"schemas"`
	Resources    []any    `json:"Resources"`
}

// writeList answers a page in the form the request asked for. Without a
// cursor there is no way to the next page (AWS has no startIndex), so
// totalResults counts the page.
func writeList(w http.ResponseWriter, lq listQuery, items []any, next string) {
	if items == nil {
		items = []any{}
	}
	out := listResponse{ItemsPerPage: len(items), Schemas: []string{urnList}, Resources: items}
	if lq.cursor {
		out.NextCursor = next
	} else {
		total, one := len(items), 1
		out.TotalResults, out.StartIndex = &total, &one
	}
	writeJSON(w, http.StatusOK, out)
}

// found turns a single lookup into a list of zero or one.
func found[T any](v T, err error) ([]T, error) {
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []T{v}, nil
}

func unsupportedCombination(resource string) error {
	return invalid("this filter is not supported on %s; see the supported attributes in ServiceProviderConfig's documentation", resource)
}
