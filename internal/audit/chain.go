package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ZeroHash is the PrevHash of the first event in the log: 32 zero bytes in hex.
var ZeroHash = strings.Repeat("00", sha256.Size)

// chainContent is what an event's hash covers, in a fixed order: the
// canonical encoding is this struct's JSON (map keys sorted, every string
// quoted), so no two different events whose text is valid UTF-8 encode
// alike (Verifier refuses any other).
type chainContent struct {
	Version    int               `json:"v"`
	Seq        int64             `json:"seq"`
	ID         string            `json:"id"`
	Time       int64             `json:"time"` // Unix nanoseconds
	Action     string            `json:"action"`
	ActorType  string            `json:"actorType"`
	ActorID    string            `json:"actorId"`
	ActorName  string            `json:"actorName"`
	ClientIP   string            `json:"clientIp"`
	UserAgent  string            `json:"userAgent"`
	TargetType string            `json:"targetType"`
	TargetID   string            `json:"targetId"`
	TargetName string            `json:"targetName"`
	Outcome    string            `json:"outcome"`
	Message    string            `json:"message"`
	Detail     map[string]string `json:"detail"`
	PrevHash   string            `json:"prev"`
}

// ChainHash is the hex SHA-256 of e's content, its Seq and its PrevHash
// (not of e.Hash). Times count to the nanosecond.
func ChainHash(e Event) string {
	detail := e.Detail
	if detail == nil {
		detail = map[string]string{}
	}
	b, err := json.Marshal(chainContent{
		Version: 1, Seq: e.Seq, ID: e.ID, Time: e.Time.UnixNano(), Action: e.Action,
		ActorType: e.Actor.Type, ActorID: e.Actor.ID, ActorName: e.Actor.Name,
		ClientIP: e.Client.IP, UserAgent: e.Client.UserAgent,
		TargetType: e.TargetType, TargetID: e.TargetID, TargetName: e.TargetName,
		Outcome: e.Outcome, Message: e.Message, Detail: detail, PrevHash: e.PrevHash,
	})
	if err != nil { // strings and a string map always marshal
		panic(fmt.Sprintf("audit: encode event: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// utf8Text reports whether all of e's text is valid UTF-8. The chain's JSON
// encodes every invalid byte as U+FFFD, so ChainHash is unambiguous only
// for such text; the store refuses any other.
func utf8Text(e Event) bool {
	for _, s := range []string{e.ID, e.Action, e.Actor.Type, e.Actor.ID, e.Actor.Name, e.Client.IP,
		e.Client.UserAgent, e.TargetType, e.TargetID, e.TargetName, e.Outcome, e.Message} {
		if !utf8.ValidString(s) {
			return false
		}
	}
	for k, v := range e.Detail {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return false
		}
	}
	return true
}

// Seal sets e's Seq and PrevHash to follow prev (the newest event in the
// log, or the zero Event for an empty log) and e.Hash to match. An event
// written before the chain existed (empty Hash) counts as ZeroHash.
func Seal(e Event, prev Event) Event {
	e.Seq = prev.Seq + 1
	e.PrevHash = prev.Hash
	if e.PrevHash == "" {
		e.PrevHash = ZeroHash
	}
	e.Hash = ChainHash(e)
	return e
}

// Break says where and why the chain breaks.
type Break struct {
	Seq    int64
	ID     string
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("the chain breaks at event seq %d (id %s): %s", b.Seq, b.ID, b.Reason)
}

// Verifier checks the log's chain, fed oldest first in Seq order (in as
// many batches as suit the caller), from the log's first event on (the
// lowest seq stored, which must be 1 or more). A
// prefix of events with no hash (and no previous hash), from before the
// chain existed, is skipped; after the first chained event every event
// must be chained. The first chained event's seq follows the prefix's last,
// or is 1 when there is no prefix, so deleting the prefix whole shows. The chain proves the log was not edited, reordered
// or cut in the middle since it was written; it cannot show that the newest
// events were removed unless the caller compares the last hash with one
// pinned elsewhere.
type Verifier struct {
	Verified int   // chained events checked so far
	Legacy   int   // events before the chain, skipped
	Last     Event // the newest event checked
}

// Add checks e against the events before it and returns a *Break when the
// chain breaks at e (and nil otherwise). Once Add returns a Break the
// Verifier must not be fed more.
func (v *Verifier) Add(e Event) *Break {
	brk := func(format string, args ...any) *Break {
		return &Break{Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf(format, args...)}
	}
	started := v.Verified > 0
	switch {
	case e.Seq < 1: // the log numbers events from 1: this one was inserted
		return brk("its seq is below 1, which no event the store wrote has")
	case v.Legacy > 0 && !started && e.Seq <= v.Last.Seq:
		return brk("it follows event seq %d: events are out of order", v.Last.Seq)
	case e.Hash == "" && e.PrevHash != "": // legacy events predate both columns
		return brk("it has a previous hash but no hash: its hash was removed")
	case e.Hash == "" && !started:
		v.Legacy++
		v.Last = e
		return nil
	case e.Hash == "":
		return brk("it has no hash, but event seq %d before it is chained", v.Last.Seq)
	case (started || v.Legacy > 0) && e.Seq != v.Last.Seq+1:
		return brk("it follows event seq %d: events are missing or out of order", v.Last.Seq)
	case !started && e.PrevHash != ZeroHash:
		return brk("it is the first chained event but its previous hash is not the zero hash: events before it are missing")
	case !started && v.Legacy == 0 && e.Seq != 1:
		return brk("it is the first event in the log but its seq is not 1: events before it are missing")
	case started && e.PrevHash != v.Last.Hash:
		return brk("its previous hash does not match the hash of event seq %d", v.Last.Seq)
	case !utf8Text(e):
		return brk("it holds text that is not UTF-8, which keyward never writes (and its hash cannot tell such bytes apart)")
	case ChainHash(e) != e.Hash:
		return brk("its content does not match its hash: the event was altered")
	}
	v.Verified++
	v.Last = e
	return nil
}

// Verify checks events, oldest first, as one Verifier would.
func Verify(events []Event) (Verifier, *Break) {
	var v Verifier
	for _, e := range events {
		if b := v.Add(e); b != nil {
			return v, b
		}
	}
	return v, nil
}
