package e2e

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
)

// racers is how many identical requests race each other.
const racers = 8

// race sends racers copies of one signed awsJson request at once and
// returns the responses.
func (c *caller) race(target, body string) []wire {
	c.t.Helper()
	reqs := make([]*http.Request, racers)
	for i := range reqs {
		reqs[i] = c.jsonRequest(target, body)
	}
	out, errs := make([]wire, racers), make([]error, racers)
	var wg sync.WaitGroup
	startGun := make(chan struct{})
	for i, req := range reqs {
		wg.Go(func() {
			<-startGun
			out[i], errs[i] = fetch(req)
		})
	}
	close(startGun)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			c.t.Fatal(err)
		}
	}
	return out
}

// exactlyOneWins checks that one racer succeeded and every other one got
// a ConflictException (with reason, when given), and returns the winner.
func exactlyOneWins(t *testing.T, ws []wire, reason string) map[string]any {
	t.Helper()
	var won map[string]any
	for _, w := range ws {
		if w.Status == http.StatusOK {
			if won != nil {
				t.Fatalf("more than one racer succeeded: %s", w.Body)
			}
			won = w.ok(t)
			continue
		}
		if e := awsJSONError(t, w, "ConflictException", ""); e.Reason != reason {
			t.Errorf("Reason = %q, want %q", e.Reason, reason)
		}
	}
	if won == nil {
		t.Fatal("no racer succeeded")
	}
	return won
}

// count returns the length of the list field in a response.
func count(t *testing.T, out map[string]any, field string) int {
	t.Helper()
	list, ok := out[field].([]any)
	if !ok {
		t.Fatalf("%s is not a list: %v", field, out)
	}
	return len(list)
}

func TestIdenticalConcurrentCreatesLeaveExactlyOneRecord(t *testing.T) {
	s := start(t)
	st := s.setUpStory()
	c := s.caller()
	var userID, groupID string

	t.Run("CreateUser: one racer wins, the rest conflict, one user exists", func(t *testing.T) {
		c := c.withT(t)
		userID = exactlyOneWins(t, c.race("AWSIdentityStore.CreateUser", st.ids(newUser("dave"))), "UNIQUENESS_CONSTRAINT_VIOLATION")["UserId"].(string)
		out := c.mustJSON("AWSIdentityStore.ListUsers", st.ids(`{"IdentityStoreId":"{store}","Filters":[{"AttributePath":"UserName","AttributeValue":"dave"}]}`))
		if n := count(t, out, "Users"); n != 1 {
			t.Errorf("%d users named dave", n)
		}
	})
	t.Run("CreateGroup: one racer wins, the rest conflict, one group exists", func(t *testing.T) {
		c := c.withT(t)
		body := st.ids(`{"IdentityStoreId":"{store}","DisplayName":"Ops"}`)
		groupID = exactlyOneWins(t, c.race("AWSIdentityStore.CreateGroup", body), "UNIQUENESS_CONSTRAINT_VIOLATION")["GroupId"].(string)
		out := c.mustJSON("AWSIdentityStore.ListGroups", st.ids(`{"IdentityStoreId":"{store}","Filters":[{"AttributePath":"DisplayName","AttributeValue":"Ops"}]}`))
		if n := count(t, out, "Groups"); n != 1 {
			t.Errorf("%d groups named Ops", n)
		}
	})
	t.Run("CreateGroupMembership: one racer wins, the rest conflict, one membership exists", func(t *testing.T) {
		c := c.withT(t)
		body := st.ids(`{"IdentityStoreId":"{store}","GroupId":"` + groupID + `","MemberId":{"UserId":"` + userID + `"}}`)
		exactlyOneWins(t, c.race("AWSIdentityStore.CreateGroupMembership", body), "UNIQUENESS_CONSTRAINT_VIOLATION")
		out := c.mustJSON("AWSIdentityStore.ListGroupMemberships", st.ids(`{"IdentityStoreId":"{store}","GroupId":"`+groupID+`"}`))
		if n := count(t, out, "GroupMemberships"); n != 1 {
			t.Errorf("%d memberships of dave in Ops", n)
		}
	})
	t.Run("CreatePermissionSet: one racer wins, the rest conflict, one permission set exists", func(t *testing.T) {
		c := c.withT(t)
		exactlyOneWins(t, c.race("SWBExternalService.CreatePermissionSet", st.ids(createPS("Raced", "PT2H"))), "")
		out := c.mustJSON("SWBExternalService.ListPermissionSets", st.ids(`{"InstanceArn":"{instance}"}`))
		if n := count(t, out, "PermissionSets"); n != 2 {
			t.Errorf("%d permission sets, want DevOps and Raced", n)
		}
	})
	t.Run("CreateAccountAssignment is idempotent: every racer succeeds and one assignment exists", func(t *testing.T) {
		c := c.withT(t)
		body := assignmentBody("PrincipalType", "USER")
		for _, w := range c.race("SWBExternalService.CreateAccountAssignment", st.ids(replaceGroup(body, userID))) {
			if status := w.ok(t)["AccountAssignmentCreationStatus"].(map[string]any)["Status"]; status != "SUCCEEDED" {
				t.Errorf("Status = %v", status)
			}
		}
		out := c.mustJSON("SWBExternalService.ListAccountAssignments", st.ids(`{"InstanceArn":"{instance}","AccountId":"{account}","PermissionSetArn":"{ps}"}`))
		if n := principals(t, out)[userID]; n != 1 {
			t.Errorf("%d assignments of dave, want 1: %v", n, out)
		}
		roles := c.mustJSON("SWBExternalService.ListAccountsForProvisionedPermissionSet", st.ids(`{"InstanceArn":"{instance}","PermissionSetArn":"{ps}"}`))
		if n := count(t, roles, "AccountIds"); n != 1 {
			t.Errorf("the permission set is provisioned to %d accounts, want 1", n)
		}
	})
	t.Run("CreateAccount: one racer creates the account, the rest report EMAIL_ALREADY_EXISTS", func(t *testing.T) {
		c := c.withT(t)
		states := map[string]int{}
		for _, w := range c.race("AWSOrganizationsV20161128.CreateAccount", `{"AccountName":"Raced","Email":"raced@example.com"}`) {
			st := w.ok(t)["CreateAccountStatus"].(map[string]any)
			states[st["State"].(string)+" "+stringOr(st["FailureReason"])]++
		}
		if states["SUCCEEDED "] != 1 || states["FAILED EMAIL_ALREADY_EXISTS"] != racers-1 {
			t.Errorf("states = %v", states)
		}
		if n := count(t, c.mustJSON("AWSOrganizationsV20161128.ListAccounts", `{}`), "Accounts"); n != 3 {
			t.Errorf("%d accounts, want management, Dev and Raced", n)
		}
	})
}

// replaceGroup points an assignment body at a principal id.
func replaceGroup(body, principalID string) string {
	var m map[string]string
	_ = json.Unmarshal([]byte(body), &m)
	m["PrincipalId"] = principalID
	b, _ := json.Marshal(m)
	return string(b)
}

// principals counts a ListAccountAssignments answer by principal id.
func principals(t *testing.T, out map[string]any) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, a := range out["AccountAssignments"].([]any) {
		n[a.(map[string]any)["PrincipalId"].(string)]++
	}
	return n
}

func stringOr(v any) string {
	s, _ := v.(string)
	return s
}
