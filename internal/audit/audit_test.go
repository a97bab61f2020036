package audit

import (
	"context"
	"testing"
)

func TestAnEventCarriesTheRequestIDOfItsClient(t *testing.T) {
	ctx := WithClient(context.Background(), Client{IP: "192.0.2.1", RequestID: "req-1"})
	if got := New(ctx, "x", "User", "u").Detail["requestId"]; got != "req-1" {
		t.Fatalf("requestId = %q, want req-1", got)
	}
	if d := New(context.Background(), "x", "User", "u").Detail; d != nil {
		t.Fatalf("an event with no request id has detail %v", d)
	}
}
