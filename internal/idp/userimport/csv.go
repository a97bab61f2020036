package userimport

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/directory"
)

// The columns that are not profile attributes.
const (
	colGroups   = "groups"
	colActivate = "activate"
	colPassword = "password"
)

// column is how one CSV column is read into a row.
type column struct {
	name string
	set  func(r *Row, v string) string // returns a problem, or ""
}

// parseCSV reads a header row naming the columns, then one user a row.
func parseCSV(in io.Reader, schema directory.Schema, c *problems) ([]Row, error) {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1 // counted here, so one short row does not end the reading
	header, err := cr.Read()
	if err == io.EOF {
		c.input("line 1", "header", "the file is empty; the first row names the columns")
		return nil, nil
	}
	if err != nil {
		return nil, csvProblem(err, c)
	}
	cols := columns(header, schema, c)
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, csvProblem(err, c)
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("line %d", line)
		if len(rows) == MaxRows {
			tooMany(c, where)
			return rows, nil
		}
		rows = append(rows, csvRow(rec, cols, where, len(rows), c))
	}
}

// csvProblem turns a CSV syntax error into a problem (ending the reading)
// and passes others on.
func csvProblem(err error, c *problems) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) && !errors.Is(err, errTooBig) {
		c.input(fmt.Sprintf("line %d", pe.Line), "row", "%v (column %d)", pe.Err, pe.Column)
		return nil
	}
	return err
}

func csvRow(rec []string, cols []column, where string, index int, c *problems) Row {
	r := Row{Where: where, index: index}
	if len(rec) != len(cols) {
		c.row(&r, "row", "has %d fields, the header has %d", len(rec), len(cols))
		return r
	}
	for i, col := range cols {
		if col.set == nil || rec[i] == "" {
			continue
		}
		if msg := col.set(&r, rec[i]); msg != "" {
			c.row(&r, col.name, "%s", msg)
		}
	}
	return r
}

// columns reads the header: every column must be login, a base or
// declared custom attribute, groups, activate or password, once.
func columns(header []string, schema directory.Schema, c *problems) []column {
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // a spreadsheet's byte order mark
	}
	cols := make([]column, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.TrimSpace(h)
		cols[i].name = name
		switch {
		case seen[name]:
			c.input("line 1", name, "the column appears twice")
			continue
		case name == "":
			c.input("line 1", fmt.Sprintf("column %d", i+1), "the column has no name")
			continue
		}
		seen[name] = true
		if cols[i].set = setter(name, schema); cols[i].set == nil {
			c.input("line 1", name, "unknown column%s", suggest(name, schema))
		}
	}
	if !seen[directory.AttrLogin] {
		c.input("line 1", directory.AttrLogin, "the header has no login column")
	}
	return cols
}

// knownColumns lists what a header may name besides the attributes.
const knownColumns = "a base profile attribute, a declared custom attribute, groups, activate or password"

// suggest names the known column name differs from only in case.
func suggest(name string, schema directory.Schema) string {
	names := append(directory.BaseAttrs(), colGroups, colActivate, colPassword)
	for n := range schema.Custom {
		names = append(names, n)
	}
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return fmt.Sprintf(" (did you mean %s?)", n)
		}
	}
	return ": want " + knownColumns
}

// setter is how a column's cells are read, or nil for an unknown column.
func setter(name string, schema directory.Schema) func(*Row, string) string {
	switch name {
	case colGroups:
		return func(r *Row, v string) string { r.addGroups(strings.Split(v, groupSeparator)); return "" }
	case colPassword:
		return func(r *Row, v string) string { r.Password, r.HasPassword = v, true; return "" }
	case colActivate:
		return func(r *Row, v string) string {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return "must be true or false"
			}
			r.Activate = b
			return ""
		}
	}
	if directory.IsBaseAttr(name) {
		return func(r *Row, v string) string { r.set(name, v); return "" }
	}
	a, ok := schema.Custom[name]
	if !ok {
		return nil
	}
	return func(r *Row, v string) string {
		value, ok := cell(a.Type, v)
		if !ok {
			return fmt.Sprintf("Must be of type %s", a.Type)
		}
		r.set(name, value)
		return ""
	}
}

// cell converts a CSV cell to a custom attribute's type: true or false,
// a number, or a list separated by ";".
func cell(t directory.AttrType, v string) (any, bool) {
	s := strings.TrimSpace(v)
	switch t {
	case directory.TypeBoolean:
		b, err := strconv.ParseBool(s)
		return b, err == nil
	case directory.TypeInteger:
		n, err := strconv.ParseInt(s, 10, 64)
		return float64(n), err == nil && n == int64(float64(n))
	case directory.TypeNumber:
		f, err := strconv.ParseFloat(s, 64) // also reads NaN and Inf, which JSON (and so the store) cannot hold
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	case directory.TypeArray:
		var list []any
		for _, item := range strings.Split(v, groupSeparator) {
			if item = strings.TrimSpace(item); item != "" {
				list = append(list, item)
			}
		}
		if len(list) == 0 {
			return nil, true
		}
		return list, true
	}
	return v, true
}
