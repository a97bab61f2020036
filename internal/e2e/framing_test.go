package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// rawExchange writes req in full before reading anything, as Python's
// http.client (and so boto3) does, then reads every response until the
// server closes the connection.
func rawExchange(t *testing.T, addr string, req []byte) (responses []*http.Response, writeErr error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	must(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, writeErr = conn.Write(req); writeErr != nil {
		return nil, writeErr
	}
	br := bufio.NewReader(conn)
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return responses, nil
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		responses = append(responses, resp)
	}
}

func TestAClientThatSendsAnOversizedBodyFirstReadsTheRefusal(t *testing.T) {
	s := start(t)
	body := strings.Repeat("x", 8<<20)
	for _, path := range []string{"/", "/token", "/start/signin"} {
		req := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-amz-json-1.1\r\n"+
			"X-Amz-Target: SWBExternalService.ListInstances\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
			path, s.main.Addr(), len(body), body)
		resps, err := rawExchange(t, s.main.Addr(), []byte(req))
		if err != nil {
			t.Fatalf("%s: sending the body failed (%v): the server hung up instead of answering", path, err)
		}
		if len(resps) != 1 || resps[0].StatusCode/100 != 4 {
			t.Errorf("%s: got %d responses (%v), want one 4xx refusal", path, len(resps), statuses(resps))
		}
	}
}

func TestARequestWithContentLengthAndTransferEncodingIsRefusedAndItsConnectionClosed(t *testing.T) {
	s := start(t)
	smuggled := "POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
		"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	resps, err := rawExchange(t, s.main.Addr(), []byte(smuggled))
	must(t, err)
	if len(resps) != 1 || resps[0].StatusCode != http.StatusLengthRequired {
		t.Fatalf("got %v, want one 411 and a closed connection (no answer to the smuggled request)", statuses(resps))
	}
}

// TestAChunkedRequestAtTheOrgURLIsServedAndItsConnectionClosed: the org
// URL serves chunked bodies (okta-aws-cli's device poll sends them) but
// closes the connection after the answer, so the bytes after a body a
// proxy framed by its Content-Length are never read as a request.
func TestAChunkedRequestAtTheOrgURLIsServedAndItsConnectionClosed(t *testing.T) {
	s := start(t)
	smuggled := "POST /oauth2/v1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	resps, err := rawExchange(t, s.main.IdPAddr(), []byte(smuggled))
	must(t, err)
	if len(resps) != 1 || resps[0].StatusCode != http.StatusBadRequest {
		t.Fatalf("got %v, want one 400 from the token endpoint and a closed connection (no answer to the smuggled request)", statuses(resps))
	}
}

func statuses(rs []*http.Response) []int {
	var out []int
	for _, r := range rs {
		out = append(out, r.StatusCode)
	}
	return out
}
