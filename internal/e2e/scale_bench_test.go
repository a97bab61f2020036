package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
	"github.com/keyward/keyward/internal/store/storetest"
)

// BenchmarkPortalAtScale measures the SSO portal API for a user in 100
// groups with assignments over 1,000 accounts, through real HTTP to the
// real server. Each result is also reported as a multiple of a bare
// /healthz round trip measured in the same run ("x-roundtrip"), so the
// numbers mean the same on any machine.
func BenchmarkPortalAtScale(b *testing.B) {
	ctx := context.Background()
	m := launch(b, b.TempDir(), nil)
	inst, err := m.Store.Instance(ctx)
	if err != nil {
		b.Fatal(err)
	}
	scale, err := storetest.SeedScale(ctx, m.Store, inst.ID)
	if err != nil {
		b.Fatal(err)
	}
	token := benchToken(b, m.Store, scale.UserID)
	c := &portalClient{b: b, base: m.AWSURL, token: token, http: &http.Client{}}
	roundtrip := c.roundtrip(500)
	b.Logf("bare round trip: %v", roundtrip)

	b.Run("ListAccounts every page of 100", func(b *testing.B) {
		accounts := 0
		for b.Loop() {
			accounts = c.allAccounts()
		}
		if accounts != storetest.ScaleAccounts {
			b.Fatalf("ListAccounts walked %d accounts, want %d", accounts, storetest.ScaleAccounts)
		}
		report(b, roundtrip)
	})
	b.Run("ListAccountRoles", func(b *testing.B) {
		for b.Loop() {
			c.get("/assignment/roles?account_id=" + scale.AccountID)
		}
		report(b, roundtrip)
	})
	b.Run("GetRoleCredentials", func(b *testing.B) {
		q := url.Values{"account_id": {scale.AccountID}, "role_name": {scale.SetName}}
		for b.Loop() {
			c.get("/federation/credentials?" + q.Encode())
		}
		report(b, roundtrip)
	})
}

func report(b *testing.B, roundtrip time.Duration) {
	per := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(per/float64(roundtrip.Nanoseconds()), "x-roundtrip")
}

// benchToken stores an access token for userID and returns it.
func benchToken(b *testing.B, s interface {
	CreateToken(context.Context, ic.Token) error
}, userID string) string {
	const access = "bench-access-token-0123456789abcdef"
	now := time.Now()
	err := s.CreateToken(context.Background(), ic.Token{AccessHash: keys.HashSecret(access), RefreshHash: keys.HashSecret("bench-refresh"),
		FamilyID: "bench", UserID: userID, ClientID: "bench", CreatedAt: now, ExpiresAt: now.Add(8 * time.Hour),
		RefreshExpiresAt: now.Add(8 * time.Hour)})
	if err != nil {
		b.Fatal(err)
	}
	return access
}

type portalClient struct {
	b     *testing.B
	base  string
	token string
	http  *http.Client
}

func (c *portalClient) get(path string) []byte {
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	req.Header.Set("X-Amz-Sso_bearer_token", c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		c.b.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return body
}

// allAccounts walks ListAccounts with max_result=100 and counts accounts.
func (c *portalClient) allAccounts() int {
	n, next := 0, ""
	for {
		var page struct {
			NextToken   string            `json:"nextToken"`
			AccountList []json.RawMessage `json:"accountList"`
		}
		if err := json.Unmarshal(c.get("/assignment/accounts?max_result=100&next_token="+url.QueryEscape(next)), &page); err != nil {
			c.b.Fatal(err)
		}
		n += len(page.AccountList)
		if next = page.NextToken; next == "" {
			return n
		}
	}
}

// roundtrip is the mean time of n GET /healthz calls: the floor any API
// call pays for HTTP on loopback.
func (c *portalClient) roundtrip(n int) time.Duration {
	start := time.Now()
	for range n {
		resp, err := c.http.Get(c.base + "/healthz")
		if err != nil {
			c.b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return time.Since(start) / time.Duration(n)
}
