package scimclient

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
)

// scripted answers each request with the next of its answers (the last
// repeats) and records what it was asked.
type scripted struct {
	mu      sync.Mutex
	answers []func(w http.ResponseWriter)
	got     []string // "METHOD path?query"
	bodies  []string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.got = append(s.got, r.Method+" "+r.URL.RequestURI())
	s.bodies = append(s.bodies, string(b))
	a := s.answers[min(len(s.got), len(s.answers))-1]
	s.mu.Unlock()
	a(w)
}

func answer(status int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func testClient(t *testing.T, h http.Handler) (*Client, *sleeps) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	sl := &sleeps{}
	return New(srv.URL+"/scim/v2/", "tok", Options{Sleeper: sl, MaxAttempts: 4,
		HTTP: &http.Client{Timeout: 100 * time.Millisecond}}), sl
}

const userJSON = `{"id":"u-1","userName":"alice","name":{"givenName":"A","familyName":"B"},"displayName":"A B","active":true}`

func TestClientRetriesWhatMaySucceedAndStopsOnWhatCannot(t *testing.T) {
	drop := func(w http.ResponseWriter) { conn, _, _ := w.(http.Hijacker).Hijack(); conn.Close() }
	slow := func(w http.ResponseWriter) { time.Sleep(250 * time.Millisecond); answer(200, userJSON)(w) }
	tests := []struct {
		name     string
		answers  []func(http.ResponseWriter)
		requests int
		status   int // of the error; 0 for success
	}{
		{"a 500 then a success succeeds", []func(http.ResponseWriter){answer(500, `{}`), answer(200, userJSON)}, 2, 0},
		{"a dropped connection then a success succeeds", []func(http.ResponseWriter){drop, answer(200, userJSON)}, 2, 0},
		{"a slow answer then a success succeeds", []func(http.ResponseWriter){slow, answer(200, userJSON)}, 2, 0},
		{"throttling throughout gives up after the attempts", []func(http.ResponseWriter){answer(429, `{"detail":"Rate exceeded","status":"429"}`)}, 4, 429},
		{"a 400 is not retried", []func(http.ResponseWriter){answer(400, `{"detail":"bad","status":"400"}`)}, 1, 400},
		{"a 409 is not retried (the caller adopts)", []func(http.ResponseWriter){answer(409, `{"detail":"dup","status":"409"}`)}, 1, 409},
		{"a 401 is not retried", []func(http.ResponseWriter){answer(401, `{"message":"Unauthorized"}`)}, 1, 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &scripted{answers: tc.answers}
			c, _ := testClient(t, s)
			u, err := c.GetUser(t.Context(), "u-1")
			if got := StatusOf(err); got != tc.status || (tc.status == 0 && err != nil) {
				t.Fatalf("error = %v, want status %d", err, tc.status)
			}
			if tc.status == 0 && u.UserName != "alice" {
				t.Errorf("user = %+v", u)
			}
			if len(s.got) != tc.requests {
				t.Errorf("requests = %d, want %d", len(s.got), tc.requests)
			}
		})
	}
}

func TestBackoffGrowsWithJitterAndHonoursRetryAfter(t *testing.T) {
	s := &scripted{answers: []func(http.ResponseWriter){
		answer(503, `{}`), answer(503, `{}`),
		func(w http.ResponseWriter) { w.Header().Set("Retry-After", "12"); answer(429, `{}`)(w) },
		answer(200, userJSON)}}
	c, sl := testClient(t, s)
	if _, err := c.GetUser(t.Context(), "u-1"); err != nil {
		t.Fatal(err)
	}
	got := sl.all()
	if len(got) != 3 || got[0] < 100*time.Millisecond || got[0] > 200*time.Millisecond ||
		got[1] < 200*time.Millisecond || got[1] > 400*time.Millisecond || got[2] != 12*time.Second {
		t.Errorf("waits = %v, want ~[100-200ms 200-400ms 12s]", got)
	}
}

func TestGroupCallsFollowAWSRules(t *testing.T) {
	t.Run("PatchGroup accepts both 200 and 204", func(t *testing.T) {
		for _, a := range []func(http.ResponseWriter){answer(204, ``), answer(200, `{"id":"g-1","displayName":"G","members":[]}`)} {
			c, _ := testClient(t, &scripted{answers: []func(http.ResponseWriter){a}})
			if err := c.UpdateGroup(t.Context(), "g-1", Group{DisplayName: "G", ExternalID: "00g1"}); err != nil {
				t.Error(err)
			}
		}
	})
	t.Run("membership is asked with an id and members eq filter", func(t *testing.T) {
		s := &scripted{answers: []func(http.ResponseWriter){answer(200,
			`{"totalResults":1,"Resources":[{"id":"g-1","displayName":"G","members":[]}]}`)}}
		c, _ := testClient(t, s)
		in, err := c.HasMember(t.Context(), "g-1", `u"1`)
		if err != nil || !in {
			t.Fatalf("HasMember = %v, %v", in, err)
		}
		want := `GET /scim/v2/Groups?filter=id+eq+%22g-1%22+and+members+eq+%22u%5C%221%22`
		if s.got[0] != want {
			t.Errorf("request = %s, want %s", s.got[0], want)
		}
	})
	t.Run("250 removals to empty a group go in PATCHes of at most 100, the last member alone", func(t *testing.T) {
		s := &scripted{answers: []func(http.ResponseWriter){answer(204, ``)}}
		c, _ := testClient(t, s)
		ids := make([]string, 250)
		for i := range ids {
			ids[i] = "u-" + itoa(i)
		}
		var done []int
		err := c.RemoveMembers(t.Context(), "g-1", ids, 0, func(ch []string) error { done = append(done, len(ch)); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff([]int{100, 100, 49, 1}, done); diff != "" {
			t.Errorf("PATCH sizes (-want +got):\n%s", diff)
		}
		var p PatchOp
		json.Unmarshal([]byte(s.bodies[0]), &p)
		if p.Operations[0].Op != "remove" || p.Operations[0].Path != `members[value eq "u-0"]` {
			t.Errorf("first operation = %+v", p.Operations[0])
		}
		for _, b := range s.bodies {
			if strings.Contains(b, `"replace"`) || strings.Contains(b, `"path":"members"}`) {
				t.Errorf("a PATCH replaced or removed all members: %s", b)
			}
		}
	})
}

func TestRemovalFallsBackToTheValueListFormWhenTheFilteredPathIsRefused(t *testing.T) {
	s := &scripted{answers: []func(http.ResponseWriter){answer(400, `{"detail":"path not supported","status":"400"}`), answer(204, ``)}}
	c, _ := testClient(t, s)
	removed := 0
	err := c.RemoveMembers(t.Context(), "g-1", []string{"u-1", "u-2"}, 3, func(ch []string) error { removed += len(ch); return nil })
	if err != nil || removed != 2 {
		t.Fatalf("removed %d, err %v", removed, err)
	}
	want := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members","value":[{"value":"u-1"},{"value":"u-2"}]}]}`
	if len(s.bodies) != 2 || s.bodies[1] != want {
		t.Errorf("requests = %q, want the second to be %s", s.bodies, want)
	}
}

func TestListAllFollowsBothPagingForms(t *testing.T) {
	t.Run("by startIndex until totalResults", func(t *testing.T) {
		s := &scripted{answers: []func(http.ResponseWriter){
			answer(200, `{"totalResults":3,"startIndex":1,"Resources":[{"id":"a","userName":"a"},{"id":"b","userName":"b"}]}`),
			answer(200, `{"totalResults":3,"startIndex":3,"Resources":[{"id":"c","userName":"c"}]}`)}}
		c, _ := testClient(t, s)
		var ids []string
		err := c.ListUsers(t.Context(), func(us []User) error {
			for _, u := range us {
				ids = append(ids, u.ID)
			}
			return nil
		})
		if err != nil || strings.Join(ids, ",") != "a,b,c" || !strings.Contains(s.got[1], "startIndex=3") {
			t.Errorf("ids = %v, err %v, requests %v", ids, err, s.got)
		}
	})
	t.Run("by cursor", func(t *testing.T) {
		s := &scripted{answers: []func(http.ResponseWriter){
			answer(200, `{"itemsPerPage":1,"nextCursor":"Q3Vy","Resources":[{"id":"a","displayName":"a"}]}`),
			answer(200, `{"itemsPerPage":1,"Resources":[{"id":"b","displayName":"b"}]}`)}}
		c, _ := testClient(t, s)
		n := 0
		err := c.ListGroups(t.Context(), func(gs []Group) error { n += len(gs); return nil })
		if err != nil || n != 2 || !strings.Contains(s.got[1], "cursor=Q3Vy") {
			t.Errorf("groups = %d, err %v, requests %v", n, err, s.got)
		}
	})
	t.Run("a cursor answered with itself is an error, not a loop", func(t *testing.T) {
		s := &scripted{answers: []func(http.ResponseWriter){ // the last answer repeats
			answer(200, `{"itemsPerPage":1,"nextCursor":"Q3Vy","Resources":[{"id":"a","displayName":"a"}]}`)}}
		c, _ := testClient(t, s)
		err := c.ListGroups(t.Context(), func([]Group) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "paging does not advance") || len(s.got) != 2 {
			t.Errorf("err %v after %d requests, want the repeated cursor refused on the second", err, len(s.got))
		}
	})
}

func TestErrorBodiesAreReadInEveryShape(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   Error
	}{
		{"AWS's body with schema, schemas and a string status", 409,
			`{"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Refused to create a new, duplicate resource.","status":"409","exceptionRequestId":"81ab"}`,
			Error{Status: 409, Detail: "Refused to create a new, duplicate resource.", RequestID: "81ab"}},
		{"RFC 7644 body with a scimType", 400, `{"schemas":["x"],"scimType":"invalidFilter","detail":"bad filter","status":400}`,
			Error{Status: 400, Detail: "bad filter", ScimType: "invalidFilter"}},
		{"AWS JSON protocol message", 401, `{"message":"Unauthorized"}`, Error{Status: 401, Detail: "Unauthorized"}},
		{"an HTML page keeps a short excerpt", 502, "<html>\n<body>Bad Gateway</body></html>",
			Error{Status: 502, Detail: "<html> <body>Bad Gateway</body></html>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := gocmp.Diff(tc.want, *parseError(tc.status, []byte(tc.body))); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOversizedAnswersAreRefusedNotTruncated(t *testing.T) {
	huge := `{"Resources":[` + strings.Repeat(`{"id":"x"},`, maxListBody/10) + `{"id":"y"}]}`
	s := &scripted{answers: []func(http.ResponseWriter){answer(200, huge)}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c := New(srv.URL, "tok", Options{Sleeper: &sleeps{}})
	_, err := c.FindUsers(t.Context(), Filter("userName", "x"))
	if err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("error = %v, want a size refusal", err)
	}
	if len(s.got) != 1 {
		t.Errorf("an oversized answer was asked for %d times", len(s.got))
	}
}
