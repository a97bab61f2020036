package iamapi

import (
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// IAM's paging: MaxItems 1 to 1000 (100 by default), and an opaque Marker.
const (
	defaultMaxItems = 100
	maxMaxItems     = 1000
	maxMarkerLen    = 320
)

// page checks the Marker and MaxItems every IAM list takes and returns the
// store's page.
func page(marker string, maxItems *int) (store.Page, error) {
	n := defaultMaxItems
	if maxItems != nil {
		n = *maxItems
		switch {
		case n < 1:
			return store.Page{}, iam.Invalid("maxItems", strconv.Itoa(n), "Member must have value greater than or equal to 1")
		case n > maxMaxItems:
			return store.Page{}, iam.Invalid("maxItems", strconv.Itoa(n), "Member must have value less than or equal to 1000")
		}
	}
	if len(marker) > maxMarkerLen {
		return store.Page{}, iam.Invalid("marker", marker, "Member must have length less than or equal to 320")
	}
	if strings.ContainsFunc(marker, func(r rune) bool { return r < 0x20 || r > 0xff }) {
		return store.Page{}, iam.Invalid("marker", marker, `Member must satisfy regular expression pattern: [\u0020-\u00FF]+`)
	}
	return store.Page{Limit: n, Token: marker}, nil
}

// truncation is the IsTruncated and Marker of a list result.
type truncation struct {
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func truncated(next string) truncation { return truncation{IsTruncated: next != "", Marker: next} }

// badMarker words the store's refusal of a page token as IAM does.
func badMarker(err error) error {
	if e, ok := errs.As(err); ok && e.Kind == errs.Invalid && e.Code == "" {
		return errs.E(errs.Invalid, "Invalid Marker. Use the Marker returned by the previous call.").WithCode("ValidationError")
	}
	return err
}

// pageSlice pages an in-memory list: the Marker is the decimal offset.
func pageSlice[T any](items []T, p store.Page) ([]T, string, error) {
	start := 0
	if p.Token != "" {
		n, err := strconv.Atoi(p.Token)
		if err != nil || n < 0 || n > len(items) {
			return nil, "", badMarker(errs.E(errs.Invalid, "bad marker"))
		}
		start = n
	}
	end := min(start+p.Limit, len(items))
	next := ""
	if end < len(items) {
		next = strconv.Itoa(end)
	}
	return items[start:end], next, nil
}
