package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// generatedCSV writes n users, logins numbered from first, each in one of
// 20 groups, none with a password.
func generatedCSV(tb testing.TB, first, n int) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString("login,email,firstName,lastName,department,title,groups\n")
	for i := first; i < first+n; i++ {
		login := fmt.Sprintf("user%06d@example.com", i)
		fmt.Fprintf(&b, "%s,%s,User,Number%d,Dept%d,Engineer,Team%02d\n", login, login, i, i%7, i%20)
	}
	file := filepath.Join(tb.TempDir(), fmt.Sprintf("users-%d.csv", first))
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
	return file
}

// importFile runs `keyward admin import` and fails unless it succeeds.
func importFile(tb testing.TB, dir, file string) {
	tb.Helper()
	var out, errOut strings.Builder
	if code := Execute(tb.Context(), []string{"admin", "import", "--data-dir", dir, file},
		IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}); code != 0 {
		tb.Fatalf("import: exit %d: %s", code, errOut.String())
	}
}

// BenchmarkImport50000Users loads 50,000 generated users (20 groups) into
// a fresh SQLite data dir once, reporting that rate as load-users/s, then
// times imports of 500 more users at a time into that full store
// (users/s), so -benchtime 10x stays well under a minute.
func BenchmarkImport50000Users(b *testing.B) {
	const preload, batch = 50_000, 500
	dir := served(b)
	file := generatedCSV(b, 0, preload)
	start := time.Now()
	importFile(b, dir, file)
	loadRate := preload / time.Since(start).Seconds()
	next := preload
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		file := generatedCSV(b, next, batch)
		next += batch
		b.StartTimer()
		t := time.Now()
		importFile(b, dir, file)
		elapsed += time.Since(t)
	}
	b.ReportMetric(float64(next-preload)/elapsed.Seconds(), "users/s")
	b.ReportMetric(loadRate, "load-users/s") // after the loop: b.Loop's timer reset clears metrics
}
