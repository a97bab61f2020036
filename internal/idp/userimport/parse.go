package userimport

import (
	"errors"
	"fmt"
	"io"

	"github.com/keyward/keyward/internal/directory"
)

// errTooBig is what the bounded reader returns past MaxBytes.
var errTooBig = fmt.Errorf("more than %d bytes (16 MiB)", MaxBytes)

// boundedReader fails once more than MaxBytes have been read.
type boundedReader struct {
	r    io.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errTooBig
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, errTooBig
	}
	return n, err
}

// Parse reads every row of r. Problems (a bad value, an unknown column, a
// repeated login, a file over the limits) come back as Problems alongside
// the rows read; an error reading r is returned as is.
func Parse(r io.Reader, f Format, schema directory.Schema) ([]Row, error) {
	br := &boundedReader{r: r, left: MaxBytes}
	var c problems
	var rows []Row
	var err error
	switch f {
	case CSV:
		rows, err = parseCSV(br, schema, &c)
	case JSON:
		rows, err = parseJSON(br, &c)
	default:
		return nil, fmt.Errorf("format %q: want csv or json", f)
	}
	if errors.Is(err, errTooBig) { // the rows read so far are beside the point
		return nil, Problems{{Where: "input", Field: "size", Message: errTooBig.Error(), index: -1}}
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for i := range rows {
		if !rows[i].bad {
			c.check(&rows[i], seen)
		}
	}
	if len(c.list) > 0 {
		return rows, c.list.sorted()
	}
	return rows, nil
}

// tooMany is the problem of the row past MaxRows.
func tooMany(c *problems, where string) {
	c.input(where, "row", "more than %d rows; split the file", MaxRows)
}
