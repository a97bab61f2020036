package store

import (
	"context"
	"time"
)

// What provisioning pushes: the kind of an outbox item and of a mapping.
const (
	ProvisionUser  = "user"
	ProvisionGroup = "group"
)

// What provisioning store errors are about.
const (
	ResourceProvisioning = "provisioning"
	ResourceTarget       = "provisioning target"
)

// ProvisionKey names one object of one app: the unit of provisioning work
// and of the IdP-to-target mapping.
type ProvisionKey struct {
	AppID    string
	Kind     string // ProvisionUser or ProvisionGroup
	ObjectID string // the identity provider's id
}

// OutboxItem is pending provisioning work: push the current state of one
// object to one app's target. The outbox holds each key at most once.
type OutboxItem struct {
	ProvisionKey
	// Gen moves on every enqueue, so that finishing an item claimed
	// before a newer change leaves it queued for that change.
	Gen int64
	// Owner holds the item's lease: the owner ClaimOutbox leased it to.
	// Finishing and failing need it, so that a replica whose lease another
	// took (the lease ran out) cannot finish or fail the item.
	Owner       string
	Enqueued    time.Time
	Attempts    int
	NextAttempt time.Time // zero: due now
	LastError   string    // the target's message of the last failure
	// Failed marks a permanent failure: the item is kept (for the status)
	// but not retried until it is enqueued again.
	Failed bool
}

// ProvisionTarget maps an identity-provider object to the id the target
// gave it, so that nothing is created twice.
type ProvisionTarget struct {
	ProvisionKey
	TargetID string
	Updated  time.Time
}

// ProvisionState is an app's provisioning progress.
type ProvisionState struct {
	AppID string
	// Cursor is the Seq of the last change-feed entry handled.
	Cursor   int64
	Started  time.Time // when the initial full push was queued
	LastPush time.Time // when an item last finished; zero before
	// Resync is when a resync was last asked for: groups pushed before it
	// have their memberships read back from the target.
	Resync time.Time
}

// ProvisionStatus is what an administrator sees of an app's provisioning.
type ProvisionStatus struct {
	ProvisionState
	Pending  int          // outbox items, failed ones included
	Failures []OutboxItem // items whose last attempt failed, oldest first
}

// Provisioning is the SCIM provisioning engine's durable state per app:
// its change-feed cursor, its outbox, the mapping to target ids and the
// memberships it pushed. Outbox and mapping writes are bookkeeping and
// write no event; starting and stopping do.
type Provisioning interface {
	// ChangeHead is the Seq of the newest change-feed entry (0 when none).
	ChangeHead(ctx context.Context) (int64, error)
	// StartProvisioning sets the app's cursor (creating its state) and
	// enqueues keys, in one transaction.
	// Event: "application.provision.start".
	StartProvisioning(ctx context.Context, appID string, cursor int64, keys []ProvisionKey) error
	// StopProvisioning drops the app's state and outbox, keeping its
	// mapping and pushed memberships (a restart adopts rather than
	// duplicates). Event: "application.provision.stop".
	StopProvisioning(ctx context.Context, appID string) error
	// ResyncProvisioning records a resync asked for now and enqueues keys,
	// in one transaction; errs.NotFound before StartProvisioning.
	// Event: "application.provision.resync".
	ResyncProvisioning(ctx context.Context, appID string, keys []ProvisionKey) error
	// ProvisionState is errs.NotFound (ResourceProvisioning) before
	// StartProvisioning.
	ProvisionState(ctx context.Context, appID string) (ProvisionState, error)
	// AdvanceProvisioning enqueues keys and moves the app's cursor from
	// from to to in one transaction; a cursor that is no longer from is
	// errs.Conflict and nothing is written.
	AdvanceProvisioning(ctx context.Context, appID string, from, to int64, keys []ProvisionKey) error
	// Enqueue adds keys to the outbox (an already queued key gets a new
	// Gen and is due at once).
	Enqueue(ctx context.Context, keys []ProvisionKey) error
	// ClaimOutbox leases up to limit due items (not failed, next attempt
	// at or before now, and lease ended or already owner's: a restarted
	// replica takes its own leases back at once) to owner until until,
	// users first.
	ClaimOutbox(ctx context.Context, owner string, now, until time.Time, limit int) ([]OutboxItem, error)
	// FinishOutbox, in one transaction, removes each pushed item whose
	// Gen is still the one claimed (releasing the others, due at once) and
	// records a push at at for their apps. An item whose lease is no
	// longer its Owner's is left as it is.
	FinishOutbox(ctx context.Context, done []OutboxItem, at time.Time) error
	// FailOutbox records a failed attempt of a claimed item: the message,
	// the next attempt (ignored when permanent) and whether it is
	// permanent; it releases the lease. An item queued again since (a
	// newer Gen) is neither delayed nor failed but due at once; one whose
	// lease is no longer its Owner's is left as it is.
	FailOutbox(ctx context.Context, it OutboxItem, msg string, next time.Time, permanent bool) error
	// RetryFailedOutbox makes the app's permanently failed items due
	// again (its target's settings changed).
	RetryFailedOutbox(ctx context.Context, appID string) error
	// ProvisionStatus is the app's state with its pending count and up to
	// 100 failures; errs.NotFound before StartProvisioning.
	ProvisionStatus(ctx context.Context, appID string) (ProvisionStatus, error)

	// ProvisionTarget is errs.NotFound (ResourceTarget) when unmapped.
	ProvisionTarget(ctx context.Context, k ProvisionKey) (ProvisionTarget, error)
	PutProvisionTarget(ctx context.Context, t ProvisionTarget) error
	// DeleteProvisionTarget drops the mapping and, for a user or group,
	// the pushed memberships naming it. A missing one is not an error.
	DeleteProvisionTarget(ctx context.Context, k ProvisionKey) error
	// ListProvisionTargets lists the app's mappings of kind in object-id
	// order.
	ListProvisionTargets(ctx context.Context, appID, kind string) ([]ProvisionTarget, error)

	// PushedMembers lists the user ids provisioning put in the group at
	// the app's target, sorted.
	PushedMembers(ctx context.Context, appID, groupID string) ([]string, error)
	// PushedGroups lists the group ids whose pushed members include the
	// user, sorted.
	PushedGroups(ctx context.Context, appID, userID string) ([]string, error)
	// RecordMembers records members added to and removed from the group at
	// the target.
	RecordMembers(ctx context.Context, appID, groupID string, added, removed []string) error
}
