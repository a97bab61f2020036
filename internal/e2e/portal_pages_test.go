package e2e

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
)

var nextPageRe = regexp.MustCompile(`href="([^"]*)" id="next-page"`)

func TestThePortalPagesThroughManyAccounts(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	ctx := context.Background()
	orgs, admin := organizations.NewFromConfig(s.adminConfig()), ssoadmin.NewFromConfig(s.adminConfig())
	for i := range 60 {
		out, err := orgs.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(fmt.Sprintf("Team %02d", i)),
			Email: aws.String(fmt.Sprintf("team%02d@example.com", i))})
		must(t, err)
		a := st.assignment()
		a.TargetId = out.CreateAccountStatus.AccountId
		_, err = admin.CreateAccountAssignment(ctx, a)
		must(t, err)
	}
	b := s.browser()
	b.signIn(aliceName, alicePassword)

	seen := map[string]bool{}
	path, pages := "/start", 0
	for path != "" {
		status, body := b.get(path)
		if status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, status)
		}
		pages++
		for _, m := range regexp.MustCompile(`href="/start/account/(\d{12})"`).FindAllStringSubmatch(body, -1) {
			if seen[m[1]] {
				t.Errorf("account %s is listed twice", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := nextPageRe.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	if pages != 2 || len(seen) != 61 || !seen[st.AccountID] {
		t.Errorf("walked %d pages listing %d accounts, want 2 pages and all 61", pages, len(seen))
	}
	status, body := b.get("/start?page=forged")
	wantPage(t, status, body, http.StatusBadRequest, "This link to more accounts is not valid. Start again from the first page")
}
