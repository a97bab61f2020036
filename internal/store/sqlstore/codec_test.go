package sqlstore

import (
	"testing"
	"time"
)

func TestTimesRoundTripAndClampAtTheEnds(t *testing.T) {
	at := func(n int64) time.Time {
		var got time.Time
		if err := (timeCol{&got}).Scan(n); err != nil {
			t.Fatal(err)
		}
		return got
	}
	exact := []time.Time{{}, time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC), time.Date(1960, 1, 1, 0, 0, 0, 1, time.UTC)}
	for _, want := range exact {
		if got := at(ts(want)); !got.Equal(want) {
			t.Errorf("%v came back as %v", want, got)
		}
	}
	far := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	if got := at(ts(far)); got.Year() != 2262 {
		t.Errorf("a far-future time came back as %v, want the last representable one", got)
	}
	if got := at(ts(time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC))); got.Year() != 1677 {
		t.Errorf("a far-past time came back as %v, want the first representable one", got)
	}
}
