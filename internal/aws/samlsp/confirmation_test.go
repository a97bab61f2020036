package samlsp_test

import (
	"testing"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/samlsp"
)

// A bearer assertion has exactly one subject confirmation (AWS refuses
// more): with two, encoding/xml would read them merged into one, each
// attribute taken from whichever confirmation last carried it, so the
// Recipient checked and the NotOnOrAfter checked could come from
// different confirmations.
func TestAnAssertionWithTwoSubjectConfirmationsIsRefused(t *testing.T) {
	f := newFixture(t)
	doc := response(f.spec())
	sub := assertionOf(doc).SelectElement("Subject")
	ours := sub.SelectElement("SubjectConfirmation")
	other := ours.Copy()
	other.SelectElement("SubjectConfirmationData").RemoveAttr("Recipient")
	other.SelectElement("SubjectConfirmationData").CreateAttr("Recipient", "https://other-sp.example/acs")
	sub.InsertChildAt(ours.Index(), other)
	f.idp.signAssertion(t, doc)

	_, err := f.sp.Consume(f.ctx, form(t, reparse(t, doc), ""))
	refused(t, err, samlsp.ReasonMalformed)
	if ev := f.lastEvent(t); ev.Outcome != audit.Failure || ev.Detail["reason"] != string(samlsp.ReasonMalformed) {
		t.Errorf("logged %s %q, want a failure for %s", ev.Outcome, ev.Detail["reason"], samlsp.ReasonMalformed)
	}
}
