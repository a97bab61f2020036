package userimport

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/directory"
)

// record is one element of a JSON input.
type record struct {
	Profile  map[string]any `json:"profile"`
	Groups   []string       `json:"groups"`
	Activate bool           `json:"activate"`
	Password *string        `json:"password"`
}

// errCutShort is the problem of a file that ends inside its array.
const errCutShort = "not well-formed JSON: the file ends inside the array"

// parseJSON reads an array of records, one user each.
func parseJSON(in io.Reader, c *problems) ([]Row, error) {
	d := json.NewDecoder(in)
	d.UseNumber()
	d.DisallowUnknownFields()
	if tok, err := d.Token(); err != nil || tok != json.Delim('[') {
		if err != nil && !isSyntax(err) && !errors.Is(err, io.EOF) {
			return nil, err
		}
		c.input("input", "row", "want a JSON array of objects")
		return nil, nil
	}
	var rows []Row
	for d.More() {
		where := fmt.Sprintf("record %d", len(rows))
		if len(rows) == MaxRows {
			tooMany(c, where)
			return rows, nil
		}
		r := Row{Where: where, index: len(rows)}
		var rec record
		if err := d.Decode(&rec); err != nil {
			if errors.Is(err, io.EOF) { // after a comma
				c.input("input", "row", "%s", errCutShort)
				return rows, nil
			}
			if !isSyntax(err) && !isField(err) {
				return rows, err
			}
			c.row(&r, decodeField(err), "%s", decodeMessage(err))
			if isSyntax(err) {
				return append(rows, r), nil
			}
		} else {
			r.fill(rec)
		}
		rows = append(rows, r)
	}
	// The array must end, and the file with it: a cut file or a second
	// array is not imported in part.
	if tok, err := d.Token(); err != nil || tok != json.Delim(']') {
		if err != nil && !isSyntax(err) && !errors.Is(err, io.EOF) {
			return rows, err
		}
		c.input("input", "row", "%s", errCutShort)
		return rows, nil
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		if err != nil && !isSyntax(err) {
			return rows, err
		}
		c.input("input", "row", "not well-formed JSON: more follows the array")
	}
	return rows, nil
}

// fill sets the row from a decoded record; attributes in name order.
func (r *Row) fill(rec record) {
	if login, ok := rec.Profile[directory.AttrLogin]; ok {
		r.set(directory.AttrLogin, login)
	}
	for _, name := range slices.Sorted(maps.Keys(rec.Profile)) {
		if name != directory.AttrLogin {
			r.set(name, rec.Profile[name])
		}
	}
	r.addGroups(rec.Groups)
	r.Activate = rec.Activate
	if rec.Password != nil {
		r.Password, r.HasPassword = *rec.Password, true
	}
}

func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF)
}

// isField reports a well-formed record of the wrong shape.
func isField(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te) || strings.HasPrefix(err.Error(), "json: unknown field ")
}

func decodeField(err error) string {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return te.Field
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
	}
	return "row"
}

func decodeMessage(err error) string {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return "must be " + jsonType(te.Type.Kind().String())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field: want profile, groups, activate or password"
	}
	return "not well-formed JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}

func jsonType(kind string) string {
	switch kind {
	case "map", "struct":
		return "an object"
	case "slice":
		return "a list"
	case "bool":
		return "true or false"
	}
	return "a " + kind
}
