package oktaapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// The directory BenchmarkOktaAPIAtScale loads.
const (
	scaleUsers  = 50_000
	scaleGroups = 10_000
)

var firstNames = []string{"Alice", "Alina", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan",
	"Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter"}

// loadScale fills a's store with scaleGroups groups and scaleUsers users
// (no passwords; every tenth user staged, the rest active; department
// Dept0..Dept999; each user in one group), straight through the store in
// import batches of 1,000.
func loadScale(b *testing.B, a *API) {
	ctx := context.Background()
	st := a.cfg.Store.(store.IdP)
	const batch = 1000
	var groups []string
	for i := 0; i < scaleGroups; i += batch {
		var in []directory.Group
		for j := i; j < min(i+batch, scaleGroups); j++ {
			in = append(in, directory.Group{Type: directory.OktaGroup, Name: fmt.Sprintf("Group %05d", j), Description: "Scale group"})
		}
		out, err := st.CreateGroups(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		for _, g := range out {
			groups = append(groups, g.ID)
		}
	}
	now := time.Now()
	for i := 0; i < scaleUsers; i += batch {
		var in []store.NewUser
		for j := i; j < min(i+batch, scaleUsers); j++ {
			login := fmt.Sprintf("user%05d@example.com", j)
			u := directory.User{Status: directory.Active, Activated: now, StatusChanged: now,
				Profile: directory.Profile{"login": login, "email": login, "firstName": firstNames[j%len(firstNames)],
					"lastName": fmt.Sprintf("Person%05d", j), "department": "Dept" + strconv.Itoa(j%1000)}}
			if j%10 == 0 {
				u.Status, u.Activated = directory.Staged, time.Time{}
			}
			in = append(in, store.NewUser{User: u, GroupIDs: []string{groups[j%scaleGroups]}})
		}
		if _, err := st.CreateUsers(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// rssMiB is the process's resident memory.
func rssMiB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// pageClient fetches one page over real HTTP and times it.
type pageClient struct {
	b     *testing.B
	base  string
	token string
	http  *http.Client
}

func (c *pageClient) get(path string) time.Duration {
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.b.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+c.token)
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil || resp.StatusCode != http.StatusOK {
		c.b.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return d
}

func p99(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*99/100)]
}

// BenchmarkOktaAPIAtScale measures one page (limit 200) of user and group
// lists and searches over real HTTP with 50,000 users and 10,000 groups on
// SQLite. It reports the p99 per page and that p99 as a multiple of a
// bare HTTP round trip to the same kind of server measured in the same
// run (x-bare), and the resident memory with the directory loaded.
func BenchmarkOktaAPIAtScale(b *testing.B) {
	a := apiIn(b, benchDir(b))
	a.cfg.RequestsPerMinute = 1 << 30
	token, _ := fuzzAdmin(b, a)
	start := time.Now()
	loadScale(b, a)
	b.Logf("loaded %d users and %d groups in %v", scaleUsers, scaleGroups, time.Since(start).Round(time.Millisecond))
	rss := rssMiB()

	api := httptest.NewServer(a)
	defer api.Close()
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "[]")
	}))
	defer bare.Close()
	client := &http.Client{}
	bareClient := &pageClient{b: b, base: bare.URL, http: client}
	var bareTimes []time.Duration
	for range 500 {
		bareTimes = append(bareTimes, bareClient.get("/"))
	}
	bareP99 := p99(bareTimes)
	b.Logf("bare round trip p99: %v; RSS with the directory loaded: %.0f MiB", bareP99, rss)

	c := &pageClient{b: b, base: api.URL, token: token, http: client}
	for _, tc := range []struct{ name, path string }{
		{"users list", "/api/v1/users?limit=200"},
		{"users filter status", "/api/v1/users?limit=200&filter=" + url.QueryEscape(`status eq "ACTIVE"`)},
		{"users search department", "/api/v1/users?limit=200&search=" + url.QueryEscape(`profile.department eq "Dept42"`)},
		{"users q", "/api/v1/users?limit=200&q=ali"},
		{"groups list", "/api/v1/groups?limit=200"},
		{"groups search name", "/api/v1/groups?limit=200&search=" + url.QueryEscape(`profile.name sw "Group 0424"`)},
		{"groups q", "/api/v1/groups?limit=200&q=group%20099"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c.b = b
			var times []time.Duration
			for b.Loop() {
				times = append(times, c.get(tc.path))
			}
			p := p99(times)
			b.ReportMetric(float64(p.Microseconds())/1000, "p99-ms/page")
			b.ReportMetric(float64(p)/float64(bareP99), "x-bare")
			b.ReportMetric(rss, "rss-MiB")
		})
	}
}

// benchDir is a temporary directory in memory (/dev/shm) when the machine
// has one, so loading the directory measures SQLite rather than the disk.
func benchDir(b *testing.B) string {
	dir, err := os.MkdirTemp("/dev/shm", "keyward-bench-")
	if err != nil {
		return b.TempDir()
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
