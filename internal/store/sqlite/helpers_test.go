package sqlite_test

import "github.com/keyward/keyward/internal/audit"

func auditEvent() audit.Event {
	return audit.Event{Action: "test.event", Outcome: audit.Success}
}
