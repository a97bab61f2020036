package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// TestTheOktaSDKPagesThroughUsersSearchesAndMembers creates 250 people
// through the SDK and follows the Link headers with resp.Next: every user
// exactly once, in the expected number of pages, with and without a
// search, and a group's members likewise.
func TestTheOktaSDKPagesThroughUsersSearchesAndMembers(t *testing.T) {
	s := start(t)
	admin := s.oktaAdmin()
	ctx := context.Background()
	all := must2[*okta.Group](t, "create Everyone")(admin.GroupAPI.CreateGroup(ctx).Group(newGroup("Everyone", "")).Execute())
	want := map[string]bool{strings.ToLower(s.main.Config.IdP.AdminLogin): true} // the bootstrap administrator
	sales := map[string]bool{}
	members := map[string]bool{}
	for i := range 250 {
		login := fmt.Sprintf("person%03d@example.com", i)
		body := newPerson(login, "Person", fmt.Sprintf("Number%03d", i), all.GetId())
		if i%3 == 0 {
			body.Profile.SetDepartment("Sales")
			sales[login] = true
		} else {
			body.Profile.SetDepartment("Engineering")
		}
		must2[*okta.User](t, "create "+login)(admin.UserAPI.CreateUser(ctx).Body(body).Activate(false).Execute())
		want[login], members[login] = true, true
	}

	t.Run("ListUsers with limit 20 returns everyone once over 13 pages", func(t *testing.T) {
		got, pages := pageUsers(t, admin.UserAPI.ListUsers(ctx).Limit(20))
		equal(t, "users", want, got)
		equal(t, "pages", 13, pages)
	})
	t.Run("a search keeps its expression on every page and returns each match once", func(t *testing.T) {
		got, pages := pageUsers(t, admin.UserAPI.ListUsers(ctx).Limit(20).Search(`profile.department eq "Sales"`))
		equal(t, "Sales", sales, got)
		equal(t, "pages", 5, pages)
	})
	t.Run("ListGroupUsers with limit 20 returns every member once over 13 pages", func(t *testing.T) {
		page, resp, err := admin.GroupAPI.ListGroupUsers(ctx, all.GetId()).Limit(20).Execute()
		got, pages := map[string]bool{}, 0
		for {
			must2[[]okta.GroupMember](t, "members page")(page, resp, err)
			pages++
			fatalIf(t, len(page) > 20, "page %d has %d members", pages, len(page))
			for _, m := range page {
				login := m.Profile.GetLogin()
				fatalIf(t, got[login], "%s on two pages", login)
				got[login] = true
			}
			if !resp.HasNextPage() {
				break
			}
			page = nil
			resp, err = resp.Next(&page)
		}
		equal(t, "members", members, got)
		equal(t, "pages", 13, pages)
	})
}

// pageUsers follows a user list's next links and returns the logins seen
// (failing on a repeat) and the number of pages.
func pageUsers(t *testing.T, req okta.ApiListUsersRequest) (map[string]bool, int) {
	t.Helper()
	page, resp, err := req.Execute()
	got, pages := map[string]bool{}, 0
	for {
		must2[[]okta.User](t, "users page")(page, resp, err)
		pages++
		fatalIf(t, len(page) > 20, "page %d has %d users", pages, len(page))
		for _, u := range page {
			login := strings.ToLower(u.Profile.GetLogin())
			fatalIf(t, got[login], "%s on two pages", login)
			got[login] = true
		}
		if !resp.HasNextPage() {
			return got, pages
		}
		page = nil
		resp, err = resp.Next(&page)
	}
}

// TestConcurrentCreatesOfOneLoginInDifferentCasesMakeOneUser races eight
// POST /api/v1/users with one login in eight spellings: one wins, the
// others are told the login is taken.
func TestConcurrentCreatesOfOneLoginInDifferentCasesMakeOneUser(t *testing.T) {
	s := start(t)
	o := s.oktaRaw(1)
	logins := []string{"dana@example.com", "DANA@example.com", "Dana@Example.com", "dAnA@example.COM",
		"danA@EXAMPLE.com", "DANA@EXAMPLE.COM", "Dana@example.com", "dana@Example.Com"}
	results := make([]wire, len(logins))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, login := range logins {
		auth := o.token()
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := `{"profile":{"login":"` + login + `","email":"dana@example.com","firstName":"Dana","lastName":"Scully"}}`
			req, err := http.NewRequest("POST", o.base+"/api/v1/users", strings.NewReader(body))
			if err != nil {
				panic(err)
			}
			req.Header.Set("Authorization", auth)
			req.Header.Set("Content-Type", "application/json")
			<-start
			if results[i], err = fetch(req); err != nil {
				results[i] = wire{Status: -1, Body: []byte(err.Error())}
			}
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	for i, w := range results {
		if w.Status == http.StatusOK {
			created++
			continue
		}
		t.Run(logins[i], func(t *testing.T) { oktaWireError(t, w, 400, "E0000001", "login:") })
	}
	equal(t, "creates that succeeded", 1, created)
	users := pageAll(t, func(p store.Page) ([]directory.User, string, error) {
		return s.main.IdP.ListUsers(context.Background(), store.UserQuery{}, p)
	})
	n := 0
	for _, u := range users {
		if strings.EqualFold(u.Login(), "dana@example.com") {
			n++
		}
	}
	equal(t, "users named dana in the store", 1, n)
}
