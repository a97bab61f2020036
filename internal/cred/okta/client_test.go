package okta

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestErrorOfReadsOAuthManagementAndBearerErrors(t *testing.T) {
	jsonHeader := http.Header{"Content-Type": {"application/json;charset=UTF-8"}}
	for _, c := range []struct {
		name       string
		a          answer
		code, desc string
	}{
		{"OAuth", answer{400, jsonHeader, []byte(`{"error":"invalid_grant","error_description":"The session was terminated."}`)},
			"invalid_grant", "The session was terminated."},
		{"management API", answer{403, jsonHeader, []byte(`{"errorCode":"E0000006","errorSummary":"You do not have permission."}`)},
			"E0000006", "You do not have permission."},
		{"bearer header", answer{401, http.Header{"Www-Authenticate": {`Bearer authorization_uri="x", realm="IdP", scope="okta.users.read.self", error="invalid_token", error_description="The token has expired."`}}, nil},
			"invalid_token", "The token has expired."},
		{"an HTML page", answer{502, http.Header{"Content-Type": {"text/html"}}, []byte("<html>Bad gateway</html>")}, "Bad Gateway", ""},
		{"control characters are dropped", answer{400, jsonHeader, []byte(`{"error":"x\u001b[31m","error_description":"a\nb"}`)}, "x[31m", "ab"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := errorOf(c.a)
			if e.Code != c.code || e.Description != c.desc || e.Status != c.a.status {
				t.Errorf("errorOf = %+v, want %d %q %q", e, c.a.status, c.code, c.desc)
			}
		})
	}
}

func FuzzErrorOf(f *testing.F) {
	f.Add(`{"error":"invalid_grant","error_description":"x"}`, `Bearer error="invalid_token", error_description="y"`)
	f.Add(`{"errorCode":"E0000011","errorSummary":"Invalid token provided"}`, "")
	f.Add("<html>", `error="`)
	f.Fuzz(func(t *testing.T, body, bearer string) {
		e := errorOf(answer{400, http.Header{"Content-Type": {"application/json"}, "Www-Authenticate": {bearer}}, []byte(body)})
		msg := e.Error()
		if e.Code == "" || len(e.Code) > 70 || len(e.Description) > 310 || strings.ContainsAny(msg, "\n\r\x1b") || !utf8.ValidString(msg) {
			t.Errorf("errorOf gave %q", msg)
		}
	})
}

func TestOrgURLIsWhatOktaAWSCLIMakesOfAnOrg(t *testing.T) {
	for in, want := range map[string]string{
		"example.okta.com":                "https://example.okta.com",
		"https://example-admin.okta.com/": "https://example.okta.com",
		"http://127.0.0.1:8080":           "http://127.0.0.1:8080",
		" localhost:8443 ":                "https://localhost:8443",
	} {
		if got := OrgURL(in); got != want {
			t.Errorf("OrgURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzJWTLifetime(f *testing.F) {
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJpYXQiOjE4OTM0NTI0MDAsImV4cCI6MTg5MzQ1NjAwMCwic3ViIjoiMDB1MSJ9.c2ln")
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJub25lIn0.eyJleHAiOi0xfQ.")
	f.Fuzz(func(t *testing.T, raw string) {
		life, ok := jwtLifetime(raw)
		if ok && (life <= 0 || life > 366*24*time.Hour) || !ok && life != 0 {
			t.Errorf("jwtLifetime(%q) = %v, %v", raw, life, ok)
		}
	})
}

func TestJWTLifetimeIsExpMinusIat(t *testing.T) {
	if life, ok := jwtLifetime("eyJhbGciOiJSUzI1NiJ9.eyJpYXQiOjE4OTM0NTI0MDAsImV4cCI6MTg5MzQ1NjAwMCwic3ViIjoiMDB1MSJ9.c2ln"); !ok || life != time.Hour {
		t.Errorf("jwtLifetime = %v, %v; want an hour", life, ok)
	}
}
