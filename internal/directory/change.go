package directory

import "time"

// ChangeKind is what a change-feed entry is about.
type ChangeKind string

// The change kinds. Provisioning (SCIM) follows the feed and reads the
// current state of what changed, so an entry names the object, not the
// new values.
const (
	UserChanged       ChangeKind = "user" // created, updated, status changed
	UserDeleted       ChangeKind = "user.delete"
	GroupChanged      ChangeKind = "group" // created or updated
	GroupDeleted      ChangeKind = "group.delete"
	MembershipAdded   ChangeKind = "member.add"
	MembershipRemoved ChangeKind = "member.remove"
	// App changes name the app (AppID) and the user or group whose
	// assignment or push changed.
	AppUserAssigned   ChangeKind = "app.user.assign"
	AppUserUnassigned ChangeKind = "app.user.unassign"
	AppGroupAssigned  ChangeKind = "app.group.assign"
	AppGroupRemoved   ChangeKind = "app.group.unassign"
	AppGroupPushed    ChangeKind = "app.push"
	AppGroupUnpushed  ChangeKind = "app.unpush"
	AppChanged        ChangeKind = "app" // settings, status or provisioning changed
)

// Change is one entry of the durable change feed. Seq orders the feed and
// never goes back; a follower remembers the last Seq it handled.
type Change struct {
	Seq     int64
	Time    time.Time
	Kind    ChangeKind
	UserID  string // set for user and membership changes
	GroupID string // set for group and membership changes
	AppID   string // set for app changes
}
