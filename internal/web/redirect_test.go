package web

import "testing"

// TestSafeNext: a redirect target is kept only when a browser would stay on
// this site; anything else goes to the portal's home page.
func TestSafeNext(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/start", "/start"},
		{"/device?user_code=BCDF-GHJK", "/device?user_code=BCDF-GHJK"},
		{"/start/account/123456789012", "/start/account/123456789012"},
		{"/start?page=a%2Fb", "/start?page=a%2Fb"},
		{"/start#roles", "/start#roles"},

		{"", "/start"},
		{"start", "/start"},
		{"//evil.example", "/start"},
		{"///evil.example", "/start"},
		{`/\evil.example`, "/start"},
		{`\\evil.example`, "/start"},
		{`/./\evil.example`, "/start"}, // http.Redirect would clean it to /\evil.example
		{`/start\..\..\evil`, "/start"},
		{"https://evil.example/", "/start"},
		{"http:/evil.example", "/start"},
		{"javascript:alert(1)", "/start"},
		{" javascript:alert(1)", "/start"},
		{"/\t/evil.example", "/start"}, // browsers drop tabs and newlines: //evil.example
		{"/\n/evil.example", "/start"},
		{"/\r/evil.example", "/start"},
		{"\t//evil.example", "/start"},
		{"/start\x00", "/start"},
		{"/start\x7f", "/start"},
		{"/start\u0085", "/start"},
		{"/st\xffart", "/start"},
		{"/" + string(make([]byte, 1024)), "/start"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
