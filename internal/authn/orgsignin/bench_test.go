package orgsignin_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/authn/password"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store/sqlite"
)

// BenchmarkPasswordSignInVsArgon2 compares whole password sign-ins (rate
// limits, lookup, verification, policy, session) with bare argon2id
// verifications at production cost, both NumCPU at a time, measured in the
// same run. The goal is a ratio of at least 0.9: the hash is the cost.
func BenchmarkPasswordSignInVsArgon2(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "keyward.db"), clock.Real{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s := db.IdP()
	h := password.NewHasher(password.DefaultParams, runtime.NumCPU(), rand.Reader)
	svc, err := orgsignin.New(orgsignin.Config{Store: s, Hasher: h, Clock: clock.Real{}, Random: rand.Reader,
		Master: clock.Bytes(rand.Reader, 32), Issuer: "keyward bench",
		Limits: orgsignin.Limits{MaxFailures: 5, LockoutDuration: time.Minute, AttemptsPerAddress: 1 << 30,
			AttemptsPerUser: 1 << 30, CodesPerUser: 10, CodeWindow: time.Minute}})
	if err != nil {
		b.Fatal(err)
	}
	const pw = "benchmark passphrase"
	hash, err := h.Hash(ctx, pw)
	if err != nil {
		b.Fatal(err)
	}
	_, err = s.CreateUser(ctx, directory.User{Status: directory.Active, Password: directory.Password{Hash: hash},
		Profile: directory.Profile{"login": "bench@example.com", "email": "bench@example.com", "firstName": "B", "lastName": "Ench"}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	signIn := func(i int) error {
		st, err := svc.Password(ctx, orgsignin.State{Login: "bench@example.com", Step: orgsignin.StepPassword}, pw, fmt.Sprintf("10.0.%d.%d", i/250, i%250))
		if err == nil {
			_, _, err = svc.StartSession(ctx, st, "10.0.0.1", "bench")
		}
		return err
	}
	verify := func(int) error {
		_, err := h.Verify(ctx, hash, pw)
		return err
	}
	b.ResetTimer()
	// Bare hashes before and after, so load elsewhere on the machine
	// weighs on both sides alike.
	before := parallelRate(b, verify)
	signIns := parallelRate(b, signIn)
	raw := (before + parallelRate(b, verify)) / 2
	b.ReportMetric(raw, "argon2/s")
	b.ReportMetric(signIns, "signins/s")
	b.ReportMetric(signIns/raw, "x-argon2")
}

// parallelRate runs fn b.N times, NumCPU at a time, and returns calls a
// second.
func parallelRate(b *testing.B, fn func(i int) error) float64 {
	var wg sync.WaitGroup
	work := make(chan int)
	errc := make(chan error, 1)
	start := time.Now()
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := fn(i); err != nil {
					select {
					case errc <- err:
					default:
					}
				}
			}
		}()
	}
	for i := range b.N {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errc:
		b.Fatal(err)
	default:
	}
	return float64(b.N) / time.Since(start).Seconds()
}
