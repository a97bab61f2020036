package e2e

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
)

// ok fails the test unless w is a 200 and returns its JSON body.
func (w wire) ok(t *testing.T) map[string]any {
	t.Helper()
	if w.Status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", w.Status, w.Body)
	}
	var m map[string]any
	if len(w.Body) > 0 {
		if err := json.Unmarshal(w.Body, &m); err != nil {
			t.Fatalf("response is not a JSON object: %v: %s", err, w.Body)
		}
	}
	return m
}

// awsError is the error body of the JSON protocols.
type awsError struct {
	Type         string `json:"__type"`
	Message      string `json:"Message"`
	LowerMessage string `json:"message"`
	Reason       string `json:"Reason"`
	ResourceType string `json:"ResourceType"`
	Error        string `json:"error"`
	Description  string `json:"error_description"`
}

func (e awsError) message() string {
	if e.Message != "" {
		return e.Message
	}
	return e.LowerMessage
}

// jsonError checks that w is an error as the JSON protocols send it: the
// status, the code in both X-Amzn-ErrorType and __type, a request id, the
// content type, a valid JSON body and a non-empty message containing msg.
func jsonError(t *testing.T, w wire, contentType string, status int, code, msg string) awsError {
	t.Helper()
	if w.Status != status || w.Status < 400 || w.Status > 499 {
		t.Errorf("status = %d, want %d: %s", w.Status, status, w.Body)
	}
	if got := w.Header.Get("X-Amzn-ErrorType"); got != code {
		t.Errorf("X-Amzn-ErrorType = %q, want %q", got, code)
	}
	if got := w.Header.Get("Content-Type"); got != contentType {
		t.Errorf("Content-Type = %q, want %q", got, contentType)
	}
	if w.Header.Get("X-Amzn-Requestid") == "" {
		t.Error("the response has no x-amzn-RequestId")
	}
	var e awsError
	if err := json.Unmarshal(w.Body, &e); err != nil {
		t.Fatalf("error body is not valid JSON: %v: %q", err, w.Body)
	}
	if e.Type != code {
		t.Errorf("__type = %q, want %q", e.Type, code)
	}
	if e.message() == "" || !strings.Contains(e.message(), msg) {
		t.Errorf("message = %q, want one containing %q", e.message(), msg)
	}
	return e
}

// awsJSONError checks an awsJson1_1 error.
func awsJSONError(t *testing.T, w wire, code, msg string) awsError {
	t.Helper()
	return jsonError(t, w, "application/x-amz-json-1.1", http.StatusBadRequest, code, msg)
}

// queryErrorBody is STS's ErrorResponse.
type queryErrorBody struct {
	XMLName   xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// queryError checks that w is an STS XML ErrorResponse with code and a
// message containing msg.
func queryError(t *testing.T, w wire, status int, code, msg string) {
	t.Helper()
	if w.Status != status || w.Status < 400 || w.Status > 499 {
		t.Errorf("status = %d, want %d: %s", w.Status, status, w.Body)
	}
	if got := w.Header.Get("Content-Type"); got != "text/xml" {
		t.Errorf("Content-Type = %q, want text/xml", got)
	}
	var e queryErrorBody
	if err := xml.Unmarshal(w.Body, &e); err != nil {
		t.Fatalf("error body is not an STS ErrorResponse: %v: %s", err, w.Body)
	}
	if e.Code != code || e.Type != "Sender" || e.RequestID == "" {
		t.Errorf("Error = {Type %q, Code %q, RequestId %q}, want {Sender, %s, a request id}", e.Type, e.Code, e.RequestID, code)
	}
	if e.Message == "" || !strings.Contains(e.Message, msg) {
		t.Errorf("Message = %q, want one containing %q", e.Message, msg)
	}
}
