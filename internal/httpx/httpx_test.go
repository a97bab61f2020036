package httpx

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/audit"
)

func TestRealIPTrustsForwardedForOnlyFromTrustedProxies(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"a trusted proxy names the client", "10.1.2.3:5000", []string{"203.0.113.7"}, "203.0.113.7"},
		{"the rightmost untrusted hop wins over what the client sent", "10.1.2.3:5000", []string{"198.51.100.1, 203.0.113.7, 10.9.9.9"}, "203.0.113.7"},
		{"several headers are read as one list", "10.1.2.3:5000", []string{"198.51.100.1", "203.0.113.7"}, "203.0.113.7"},
		{"an untrusted peer cannot claim another address", "192.0.2.5:5000", []string{"203.0.113.7"}, "192.0.2.5"},
		{"a trusted proxy without the header stays the peer", "10.1.2.3:5000", nil, "10.1.2.3"},
		{"garbage in the header leaves the peer", "10.1.2.3:5000", []string{"not-an-ip"}, "10.1.2.3"},
		{"only trusted hops leave the peer", "10.1.2.3:5000", []string{"10.4.4.4"}, "10.1.2.3"},
		{"an IPv6 loopback proxy is trusted", "[::1]:5000", []string{"2001:db8::1"}, "2001:db8::1"},
		// A zone is free text ("%" and anything): it would reach the log's
		// ip= unquoted and make every request a new rate-limit address.
		{"an address with a zone is garbage", "10.1.2.3:5000", []string{"2001:db8::1%a b SUCCESS forged"}, "10.1.2.3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got string
			h := RealIP(trusted, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = ClientIP(r) }))
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.peer
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if got != c.want {
				t.Errorf("client = %s, want %s", got, c.want)
			}
		})
	}
}

func TestWithoutTrustedProxiesTheHeaderIsIgnored(t *testing.T) {
	var got string
	h := RealIP(nil, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = ClientIP(r) }))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Set("X-Forwarded-For", "203.0.113.7")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got != "127.0.0.1" {
		t.Errorf("client = %s, want the peer", got)
	}
}

func TestFramingRefusesChunkedBodiesAndClosesTheConnection(t *testing.T) {
	called := false
	h := Framing(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("0\r\n\r\n"))
	r.TransferEncoding = []string{"chunked"}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if called || w.Code != http.StatusLengthRequired || w.Header().Get("Connection") != "close" {
		t.Errorf("chunked request: handler called %v, status %d, Connection %q", called, w.Code, w.Header().Get("Connection"))
	}
}

func TestFramingServingChunkedServesTheBodyAndClosesTheConnection(t *testing.T) {
	var got string
	h := FramingServingChunked(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
	}))
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("device_code=x"))
	r.TransferEncoding = []string{"chunked"}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got != "device_code=x" || w.Code != http.StatusOK || w.Header().Get("Connection") != "close" {
		t.Errorf("chunked request: handler read %q, status %d, Connection %q", got, w.Code, w.Header().Get("Connection"))
	}
}

func TestFramingDrainsWhatTheHandlerLeftUnread(t *testing.T) {
	body := &countingReader{r: strings.NewReader(strings.Repeat("x", 1<<20))}
	h := Framing(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "too large", http.StatusBadRequest) // reads nothing
	}))
	r := httptest.NewRequest(http.MethodPost, "/", body)
	h.ServeHTTP(httptest.NewRecorder(), r)
	if body.n != 1<<20 {
		t.Errorf("drained %d of %d bytes", body.n, 1<<20)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestFramingLeavesAnAnswerToAFullyReadRequestUnflushed(t *testing.T) {
	h := Framing(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		w.Write([]byte("ok"))
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
	if w.Flushed {
		t.Error("the answer was flushed: the server would send it chunked instead of with a Content-Length")
	}
}

func TestEveryRequestGetsItsOwnIDInTheHeaderAndContext(t *testing.T) {
	var seen []string
	h := WithRequestID(OrgRequestIDHeader, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, RequestIDFrom(r.Context()))
	}))
	var ids []string
	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		ids = append(ids, w.Header().Get(OrgRequestIDHeader))
	}
	if ids[0] == "" || ids[0] == ids[1] || seen[0] != ids[0] || seen[1] != ids[1] {
		t.Fatalf("header ids %q, context ids %q: want two different ids, the same in both places", ids, seen)
	}
	if RequestIDFrom(context.Background()) != "" {
		t.Error("a context outside WithRequestID has an id")
	}
}

// The store refuses text that is not UTF-8, and the gateway and sign-in
// log denials best effort, so a user agent a client sends raw must reach
// the audit context as valid UTF-8 and bounded: otherwise a client could
// keep its refusals out of the log, or fill it 64 KiB an event.
func TestAuditContextCarriesAUserAgentTheLogCanHold(t *testing.T) {
	for _, c := range []struct{ name, sent, want string }{
		{"a plain user agent is kept", "aws-cli/2.15.0 md/awscrt#0.19.19", "aws-cli/2.15.0 md/awscrt#0.19.19"},
		{"bytes that are not UTF-8 are replaced", "curl/8\xff\xfe x", "curl/8\uFFFD x"},
		{"a long user agent is cut", strings.Repeat("a", 5000), strings.Repeat("a", MaxUserAgent)},
		{"a cut does not split a character", strings.Repeat("a", MaxUserAgent-1) + "é", strings.Repeat("a", MaxUserAgent-1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("User-Agent", c.sent)
			for name, got := range map[string]string{"audit context": audit.ClientFrom(AuditContext(r)).UserAgent,
				"UserAgent": UserAgent(r)} {
				if got != c.want {
					t.Errorf("%s user agent = %q, want %q", name, got, c.want)
				}
			}
		})
	}
}

// Whatever a trusted proxy forwards, the client RealIP picks is a plain
// address, without a zone, that is not itself trusted.
func FuzzForwardedClient(f *testing.F) {
	for _, s := range []string{"203.0.113.7", "198.51.100.1, 203.0.113.7, 10.9.9.9", "2001:db8::1%eth0", "::ffff:10.1.1.1", "x,,", ""} {
		f.Add(s)
	}
	trusted := netip.MustParsePrefix("10.0.0.0/8")
	f.Fuzz(func(t *testing.T, header string) {
		a, ok := forwardedClient([]string{header}, func(a netip.Addr) bool { return trusted.Contains(a.Unmap()) })
		if !ok {
			return
		}
		if !a.IsValid() || a.Zone() != "" || a.Is4In6() || trusted.Contains(a) {
			t.Fatalf("%q gave client %v", header, a)
		}
	})
}
