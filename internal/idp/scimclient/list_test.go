package scimclient

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// awsPaging answers ListUsers as AWS does: the cursor form only when the
// request has a cursor parameter; otherwise one page whose totalResults
// counts that page alone, and startIndex other than 1 refused.
type awsPaging struct{ users int }

func (a awsPaging) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if v := q.Get("startIndex"); v != "" && v != "1" {
		http.Error(w, `{"detail":"startIndex is not supported","status":"400"}`, http.StatusBadRequest)
		return
	}
	from, _ := strconv.Atoi(q.Get("cursor"))
	to := min(from+100, a.users)
	page := []map[string]string{}
	for i := from; i < to; i++ {
		page = append(page, map[string]string{"id": strconv.Itoa(i), "userName": "u" + strconv.Itoa(i)})
	}
	out := map[string]any{"itemsPerPage": len(page), "Resources": page}
	if q.Has("cursor") {
		if to < a.users {
			out["nextCursor"] = strconv.Itoa(to)
		}
	} else {
		out["totalResults"], out["startIndex"] = len(page), 1
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

func TestListingPagesThroughAWSByCursor(t *testing.T) {
	srv := httptest.NewServer(awsPaging{users: 250})
	defer srv.Close()
	c := New(srv.URL, "tok", Options{})
	seen := map[string]bool{}
	err := c.ListUsers(t.Context(), func(us []User) error {
		for _, u := range us {
			seen[u.UserName] = true
		}
		return nil
	})
	if err != nil || len(seen) != 250 {
		t.Fatalf("listed %d distinct users of 250 (%v)", len(seen), err)
	}
}
