package awsenv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// HTTPClient is the client every credential call goes through: AWS's,
// Okta's and the console federation endpoint's. Trace makes it log.
var HTTPClient = httpClient

// Trace logs every exchange of HTTPClient to w (--verbose), with every
// secret replaced by "[redacted]": tokens, keys, codes, passwords, SAML
// assertions, cookies and authorization headers, wherever they appear
// (headers, query, form, JSON or XML bodies).
func Trace(w io.Writer) {
	httpClient.Transport = &tracer{next: http.DefaultTransport, w: w}
}

type tracer struct {
	next http.RoundTripper
	mu   sync.Mutex
	w    io.Writer
}

// maxTraced bounds the body a trace shows.
const maxTraced = 16 << 10

func (t *tracer) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		if b, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(io.LimitReader(b, maxTraced))
			b.Close()
		}
	}
	resp, err := t.next.RoundTrip(req)
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "> %s %s\n%s%s", req.Method, redactURL(req.URL), headers(">", req.Header), body(">", reqBody))
	if err != nil {
		fmt.Fprintf(t.w, "< error: %v\n\n", err)
		return nil, err
	}
	respBody, rerr := io.ReadAll(io.LimitReader(resp.Body, maxTraced+1))
	rest := resp.Body
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(respBody), rest), rest}
	if rerr != nil {
		respBody = nil
	}
	fmt.Fprintf(t.w, "< %s\n%s%s\n", resp.Status, headers("<", resp.Header), body("<", respBody))
	return resp, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// secretName matches the names secrets travel under, in any protocol.
var secretName = regexp.MustCompile(`(?i)^(x-amz-security-token|x-amz-sso[_-]bearer[_-]token|authorization|cookie|set-cookie|` +
	`.*token.*|.*secret.*|.*password.*|.*passcode.*|code|.*code_?verifier|device_?code|.*assertion.*|samlresponse|session|signature|x-amz-signature)$`)

func redactURL(u *url.URL) string {
	c := *u
	q := c.Query()
	for k := range q {
		if secretName.MatchString(k) {
			q[k] = []string{"[redacted]"}
		}
	}
	c.RawQuery = q.Encode()
	return c.String()
}

func headers(dir string, h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if secretName.MatchString(k) {
			v = "[redacted]"
		}
		fmt.Fprintf(&b, "%s %s: %s\n", dir, k, v)
	}
	return b.String()
}

// xmlSecret matches an XML element whose name is a secret's.
var xmlSecret = regexp.MustCompile(`(?is)<((?:[a-z0-9]+:)?(?:SecretAccessKey|SessionToken|SAMLAssertion|SAMLResponse|WebIdentityToken|[A-Za-z]*Token))(\s[^>]*)?>.*?</`)

func body(dir string, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	s := redactBody(b)
	if len(s) > maxTraced {
		s = s[:maxTraced] + " …"
	}
	return dir + " " + strings.ReplaceAll(s, "\n", "\n"+dir+" ") + "\n"
}

func redactBody(b []byte) string {
	var js any
	if json.Unmarshal(b, &js) == nil {
		out, _ := json.Marshal(redactJSON(js))
		return string(out)
	}
	if q, err := url.ParseQuery(string(b)); err == nil && strings.Contains(string(b), "=") && !strings.ContainsAny(string(b), "<> \n") {
		for k := range q {
			if secretName.MatchString(k) {
				q[k] = []string{"[redacted]"}
			}
		}
		return q.Encode()
	}
	return redactInputs(xmlSecret.ReplaceAllString(string(b), "<$1$2>[redacted]</"))
}

var (
	htmlInput = regexp.MustCompile(`(?is)<input\b[^>]*>`)
	htmlAttr  = regexp.MustCompile(`(?is)\b(name|value)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)`)
)

// redactInputs blanks the value of every HTML input named as a secret:
// the SAMLResponse of an auto-posting sign-in form.
func redactInputs(s string) string {
	return htmlInput.ReplaceAllStringFunc(s, func(tag string) string {
		secret := false
		for _, m := range htmlAttr.FindAllStringSubmatch(tag, -1) {
			secret = secret || strings.EqualFold(m[1], "name") && secretName.MatchString(strings.Trim(m[2], `"'`))
		}
		if !secret {
			return tag
		}
		return htmlAttr.ReplaceAllStringFunc(tag, func(a string) string {
			if strings.EqualFold(a[:5], "value") {
				return `value="[redacted]"`
			}
			return a
		})
	})
}

func redactJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if secretName.MatchString(k) {
				x[k] = "[redacted]"
			} else {
				x[k] = redactJSON(val)
			}
		}
	case []any:
		for i := range x {
			x[i] = redactJSON(x[i])
		}
	}
	return v
}
