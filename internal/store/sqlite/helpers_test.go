package sqlite_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/keyward/keyward/internal/audit"
)

func auditEvent() audit.Event {
	return audit.Event{Action: "test.event", Outcome: audit.Success}
}

// TestMain removes the benchmark world, which outlives any one benchmark.
func TestMain(m *testing.M) {
	code := m.Run()
	if world.path != "" {
		os.RemoveAll(filepath.Dir(world.path))
	}
	os.Exit(code)
}
