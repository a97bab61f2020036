package protocol

import (
	"strconv"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// Time is a timestamp in the JSON protocols: epoch seconds as a number
// (the Go SDK refuses strings there).
type Time time.Time

// MarshalJSON writes epoch seconds with millisecond precision.
func (t Time) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// Limit checks an optional MaxResults against [1, max] and returns def when
// it is absent.
func Limit(maxResults *int, def, max int) (int, error) {
	if maxResults == nil {
		return def, nil
	}
	if *maxResults < 1 || *maxResults > max {
		return 0, errs.E(errs.Invalid, "MaxResults must be between 1 and %d", max)
	}
	return *maxResults, nil
}

// Required returns an Invalid error naming the first empty field, in the
// order given as name, value pairs.
func Required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return errs.E(errs.Invalid, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", pairs[i])
		}
	}
	return nil
}

// MaxLen returns an Invalid error when value is longer than max bytes.
func MaxLen(field, value string, max int) error {
	if len(value) > max {
		return errs.E(errs.Invalid, "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", field, max)
	}
	return nil
}
