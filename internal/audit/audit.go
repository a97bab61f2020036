// Package audit defines the system-log event: who did what to which target,
// with what outcome. Stores write events in the same transaction as the change
// they describe; the actor travels in the request context.
package audit

import (
	"context"
	"time"
)

// Outcomes of an event.
const (
	Success = "SUCCESS"
	Failure = "FAILURE"
	Deny    = "DENY"
)

// Actor is who caused an event.
type Actor struct {
	Type string // "root", "user", "operator", "system", "anonymous"
	ID   string // account id, user id, ...
	Name string // display form: ARN, user name
}

// Client is where the request came from.
type Client struct {
	IP        string
	UserAgent string
	// RequestID, when the request had one the log should carry, goes into
	// each event's Detail as "requestId".
	RequestID string
}

// Event is one system-log entry.
type Event struct {
	ID     string
	Time   time.Time
	Action string // dotted, e.g. "identitystore.user.create"; the identity provider uses Okta eventType names ("user.session.start")
	Actor  Actor
	Client Client
	// TargetType, TargetID and TargetName say what the event is about;
	// TargetName is the target's display form (login, display name).
	TargetType string
	TargetID   string
	TargetName string
	Outcome    string
	Message    string
	// Detail is free-form context: a request id ("requestId"), how the
	// actor authenticated ("credentialType", "externalSessionId"), ...
	// Empty is nil.
	Detail map[string]string

	// Seq, PrevHash and Hash are the event's place in the log, set by the
	// store: Seq numbers events densely from 1 in the order they were
	// written, PrevHash is the Hash of the event before (ZeroHash for the
	// first) and Hash is ChainHash of the event. Events written before the
	// chain existed have empty hashes.
	Seq      int64
	PrevHash string
	Hash     string
}

type actorKey struct{}
type clientKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// WithClient returns ctx carrying c.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ActorFrom returns the actor in ctx, or the system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Type: "system", Name: "keyward"}
}

// ClientFrom returns the client in ctx, if any.
func ClientFrom(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}

// New builds a successful event for action on a target, filling actor and
// client from ctx. The store sets ID and Time.
func New(ctx context.Context, action, targetType, targetID string) Event {
	e := Event{
		Action: action, Actor: ActorFrom(ctx), Client: ClientFrom(ctx),
		TargetType: targetType, TargetID: targetID, Outcome: Success,
	}
	if id := e.Client.RequestID; id != "" {
		e.Detail = map[string]string{"requestId": id}
	}
	return e
}
