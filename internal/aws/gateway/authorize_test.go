package gateway

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/errs"
)

type renameWidgetInput struct{ WidgetName string }

func (in *renameWidgetInput) ResourceARN(account string) string {
	return "arn:aws:widget::" + account + ":widget/" + in.WidgetName
}

type recordedEvents struct {
	mu     sync.Mutex
	events []audit.Event
}

func (r *recordedEvents) AppendEvent(_ context.Context, e audit.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return nil
}

// TestTheAuthorizerSeesTheActionAndResourceBeforeTheOperationRuns: the
// gateway decodes the input, asks the authorizer about the resource it
// names, and runs the operation only when allowed; a refusal is logged.
func TestTheAuthorizerSeesTheActionAndResourceBeforeTheOperationRuns(t *testing.T) {
	const account = "111122223333"
	v := &sigv4.Verifier{Lookup: func(context.Context, string, string) (sigv4.Key, error) {
		return sigv4.Key{Secret: testSecret, Principal: awsauth.Principal{Type: awsauth.Root, AccountID: account, ARN: "arn:aws:iam::" + account + ":root"}}, nil
	}}
	events := &recordedEvents{}
	g := New(v, events)
	var asked []Request
	ran := 0
	g.AddQuery(&QueryService{
		SigningName: "widget", Version: "2020-01-01", Namespace: widgetNamespace, Codes: protocol.QueryCodes,
		Authorize: func(_ context.Context, _ awsauth.Principal, req Request) error {
			asked = append(asked, req)
			if req.Resource == "arn:aws:widget::"+account+":widget/secret" {
				return errs.E(errs.Denied, "not this one")
			}
			return nil
		},
		Actions: map[string]QueryAction{
			"RenameWidget": QueryOp(func(context.Context, *renameWidgetInput) (*struct{}, error) { ran++; return &struct{}{}, nil }),
			"ListWidgets":  QueryOp(func(context.Context, *struct{}) (*struct{}, error) { ran++; return &struct{}{}, nil }),
		},
	})

	wantXML(t, serve(g, signedForm(t, "widget", "Action=RenameWidget&Version=2020-01-01&WidgetName=w1")), http.StatusOK)
	wantXML(t, serve(g, signedForm(t, "widget", "Action=ListWidgets&Version=2020-01-01")), http.StatusOK)
	wantXML(t, serve(g, signedForm(t, "widget", "Action=RenameWidget&Version=2020-01-01&WidgetName=secret")), http.StatusForbidden,
		"<Code>AccessDenied</Code>", "not this one")

	want := []Request{
		{Action: "widget:RenameWidget", Resource: "arn:aws:widget::" + account + ":widget/w1"},
		{Action: "widget:ListWidgets", Resource: "*"},
		{Action: "widget:RenameWidget", Resource: "arn:aws:widget::" + account + ":widget/secret"},
	}
	if len(asked) != len(want) {
		t.Fatalf("the authorizer was asked %d times, want %d", len(asked), len(want))
	}
	for i := range want {
		if asked[i].Action != want[i].Action || asked[i].Resource != want[i].Resource || asked[i].Input == nil {
			t.Errorf("request %d = %+v, want %+v with the input", i, asked[i], want[i])
		}
	}
	if ran != 2 {
		t.Errorf("the operations ran %d times, want 2: a refused one must not run", ran)
	}
	if len(events.events) != 1 || events.events[0].Action != "aws.request.deny" || events.events[0].Detail["resource"] != want[2].Resource {
		t.Errorf("logged %+v, want one aws.request.deny naming the resource", events.events)
	}
}

type checkedWidgetInput struct{ WidgetName string }

func (in *checkedWidgetInput) Validate() error {
	if in.WidgetName == "" {
		return errs.E(errs.Invalid, "WidgetName is required")
	}
	return nil
}

// TestAMalformedInputIsRefusedBeforeTheCallerIsAuthorized: inputs that
// validate themselves are checked first, so a caller who may not call the
// operation still learns the request is malformed, as on AWS.
func TestAMalformedInputIsRefusedBeforeTheCallerIsAuthorized(t *testing.T) {
	v := &sigv4.Verifier{Lookup: func(context.Context, string, string) (sigv4.Key, error) {
		return sigv4.Key{Secret: testSecret, Principal: awsauth.Principal{Type: awsauth.Root, AccountID: "111122223333"}}, nil
	}}
	g := New(v, &recordedEvents{})
	asked := 0
	g.AddQuery(&QueryService{
		SigningName: "widget", Version: "2020-01-01", Namespace: widgetNamespace, Codes: protocol.QueryCodes,
		Authorize: func(context.Context, awsauth.Principal, Request) error { asked++; return errs.E(errs.Denied, "no") },
		Actions: map[string]QueryAction{
			"CheckWidget": QueryOp(func(context.Context, *checkedWidgetInput) (*struct{}, error) { return &struct{}{}, nil }),
		},
	})
	wantXML(t, serve(g, signedForm(t, "widget", "Action=CheckWidget&Version=2020-01-01")), http.StatusBadRequest, "WidgetName is required")
	wantXML(t, serve(g, signedForm(t, "widget", "Action=CheckWidget&Version=2020-01-01&WidgetName=w")), http.StatusForbidden, "AccessDenied")
	if asked != 1 {
		t.Errorf("the authorizer was asked %d times, want once: only for the well-formed request", asked)
	}
}
