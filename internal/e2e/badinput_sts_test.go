package e2e

import (
	"net/http"
	"strings"
	"testing"
)

func TestSTSRefusesBadRequestsInItsOwnXMLShape(t *testing.T) {
	s := start(t)
	c := s.caller()
	cases := []struct {
		name   string
		form   string
		opts   []opt
		status int
		code   string
		msg    string
	}{
		{name: "an unknown Action is InvalidAction", form: "Action=AssumeRoot&Version=2011-06-15",
			status: 400, code: "InvalidAction", msg: `"AssumeRoot"`},
		{name: "a missing Action is InvalidAction", form: "Version=2011-06-15",
			status: 400, code: "InvalidAction", msg: "Could not find operation"},
		{name: "another API Version is InvalidAction", form: "Action=GetCallerIdentity&Version=2010-01-01",
			status: 400, code: "InvalidAction", msg: "2011-06-15"},
		{name: "a malformed escape in the form is MalformedQueryString", form: "Action=GetCallerIdentity&Version=2011-06-15&X=%zz",
			status: 400, code: "MalformedQueryString", msg: "not a valid form"},
		{name: "a repeated parameter is MalformedQueryString", form: "Action=GetCallerIdentity&Action=GetCallerIdentity&Version=2011-06-15",
			status: 400, code: "MalformedQueryString", msg: "Action appears more than once"},
		{name: "a JSON body is refused for its content type", form: `{"Action":"GetCallerIdentity"}`,
			opts: []opt{withHeader("Content-Type", "application/json")}, status: 400, code: "InvalidAction", msg: "Content-Type"},
		{name: "a form over 256 KiB is refused before it is parsed", form: "Action=GetCallerIdentity&Version=2011-06-15&P=" + strings.Repeat("p", 257<<10),
			status: 400, code: "SerializationException", msg: "exceeds 262144 bytes"},
		{name: "a GET is refused", form: "", opts: []opt{withMethod(http.MethodGet), withQuery("Action=GetCallerIdentity&Version=2011-06-15")},
			status: 400, code: "InvalidAction", msg: "POST"},
		{name: "a PUT is refused", form: "Action=GetCallerIdentity&Version=2011-06-15", opts: []opt{withMethod(http.MethodPut)},
			status: 400, code: "InvalidAction", msg: "POST"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			queryError(t, c.withT(t).query(tc.form, tc.opts...), tc.status, tc.code, tc.msg)
		})
	}
}

// withQuery sets the request's query string (before signing).
func withQuery(q string) opt { return func(r *request) { r.path += "?" + q } }

func TestTheRootAnswersAPICallsInTheirProtocolAndBrowsersWithThePortal(t *testing.T) {
	s := start(t)
	c := s.caller()
	t.Run("an awsJson GET is an UnknownOperationException", func(t *testing.T) {
		w := c.withT(t).json("AWSIdentityStore.ListUsers", "", withMethod(http.MethodGet))
		awsJSONError(t, w, "UnknownOperationException", "send API requests as POST")
		if w.Header.Get("Allow") != http.MethodPost {
			t.Errorf("Allow = %q, want POST", w.Header.Get("Allow"))
		}
	})
	t.Run("an awsJson DELETE is an UnknownOperationException", func(t *testing.T) {
		awsJSONError(t, c.withT(t).json("AWSIdentityStore.ListUsers", "{}", withMethod(http.MethodDelete)), "UnknownOperationException", "DELETE")
	})
	t.Run("a browser visiting / is sent to the access portal", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, s.url+"/", nil)
		w := roundTrip(t, req)
		if w.Status != http.StatusFound || w.Header.Get("Location") != "/start" {
			t.Errorf("GET / = %d to %q, want 302 to /start", w.Status, w.Header.Get("Location"))
		}
	})
}
