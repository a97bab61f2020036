package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
)

// crashDBEnv, set in a child process, names the database that
// TestCrashHelperProcess appends to until it is killed.
const crashDBEnv = "KEYWARD_CRASH_HELPER_DB"

// TestCrashHelperProcess is not a test: TestChainSurvivesKillDuringWrites
// runs the test binary again with only this case and crashDBEnv set, and
// this child appends events from four goroutines until it is killed.
func TestCrashHelperProcess(t *testing.T) {
	path := os.Getenv(crashDBEnv)
	if path == "" {
		t.Skip("the child process of TestChainSurvivesKillDuringWrites")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, clock.Real{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for w := range 4 {
		go func() {
			for i := 0; ; i++ {
				e := audit.Event{Action: "test.crash", TargetID: fmt.Sprintf("w%d-%d", w, i), Outcome: audit.Success,
					Detail: map[string]string{"requestId": fmt.Sprint(i)}}
				if err := db.AppendEvent(ctx, e); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
			}
		}()
	}
	select {} // until SIGKILL
}

// chainOf reads and verifies the whole log.
func chainOf(t *testing.T, db *sqlite.DB) audit.Verifier {
	t.Helper()
	var v audit.Verifier
	for after := int64(0); ; {
		batch, err := db.EventsAfter(t.Context(), after, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			return v
		}
		for _, e := range batch {
			if brk := v.Add(e); brk != nil {
				t.Fatal(brk)
			}
		}
		after = batch[len(batch)-1].Seq
	}
}

func TestChainSurvivesKillDuringWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyward.db")
	open(t, path, clock.Real{}).Close() // create and migrate before the child writes

	child := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$", "-test.count=1")
	child.Env = append(os.Environ(), crashDBEnv+"="+path)
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	watch := open(t, path, clock.Real{})
	deadline := time.Now().Add(15 * time.Second)
	for {
		newest, _, err := watch.ListEvents(t.Context(), store.Page{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(newest) > 0 && newest[0].Seq > 200 {
			break
		}
		if time.Now().After(deadline) {
			child.Process.Kill()
			child.Wait()
			t.Fatal("the child wrote no more than 200 events in 15 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := child.Wait(); err == nil {
		t.Fatal("the child exited cleanly before it was killed")
	}
	watch.Close()

	db := open(t, path, clock.Real{})
	v := chainOf(t, db)
	if v.Verified <= 200 {
		t.Fatalf("verified %d events after the kill, want more than 200", v.Verified)
	}
	if err := db.AppendEvent(t.Context(), audit.Event{Action: "test.after-crash", Outcome: audit.Success}); err != nil {
		t.Fatal(err)
	}
	after := chainOf(t, db)
	if after.Verified != v.Verified+1 || after.Last.Seq != v.Last.Seq+1 || after.Last.PrevHash != v.Last.Hash {
		t.Errorf("after the kill the next event is seq %d over %d (previous hash %s), want it to follow seq %d (%s)",
			after.Last.Seq, after.Verified, after.Last.PrevHash, v.Last.Seq, v.Last.Hash)
	}
	t.Logf("verified %d events written before SIGKILL, and one after", v.Verified)
}
