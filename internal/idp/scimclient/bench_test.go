package scimclient

import (
	"fmt"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/store"
)

// BenchmarkFullPush pushes 500 users in 10 pushed groups of 50 to the
// fake target over loopback HTTP and reports users pushed per second.
func BenchmarkFullPush(b *testing.B) {
	const users, groups = 500, 10
	for b.Loop() {
		b.StopTimer()
		w := newBenchWorld(b)
		var batch []store.NewUser
		gids := make([]string, groups)
		for i := range gids {
			gids[i] = w.groupB(b, fmt.Sprintf("G%02d", i)).ID
		}
		for i := range users {
			batch = append(batch, store.NewUser{User: benchUser(i), GroupIDs: []string{gids[i%groups]}})
		}
		created, err := w.st.CreateUsers(w.ctx, batch)
		if err != nil {
			b.Fatal(err)
		}
		for _, u := range created {
			w.apps.assign(testApp, u.ID)
		}
		w.apps.push(testApp, gids...)
		b.StartTimer()
		start := time.Now()
		if err := w.eng.Step(w.ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(users)/time.Since(start).Seconds(), "users/s")
		if n := len(w.scim.userNames()); n != users {
			b.Fatalf("%d users at the target", n)
		}
	}
}
