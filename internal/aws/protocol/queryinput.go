package protocol

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

// MaxQueryMembers bounds the index of an awsQuery list member or map entry.
// No STS or IAM list is longer (policy ARNs 10, tags 50); with MaxFormKeys
// it keeps a sparse index such as member.999999999 from costing anything.
const MaxQueryMembers = 256

// maxQueryDepth bounds the nesting of input structs DecodeQuery follows.
const maxQueryDepth = 8

// DecodeQuery decodes awsQuery parameters (from DecodeForm) into v, a
// pointer to a struct, with the rules botocore's QuerySerializer and the
// Go SDK's query encoder write them by:
//
//   - a member is named by its field's `query:"Name"` tag, else the field
//     name; a nested struct's members are Name.Member;
//   - a list is Name.member.1, Name.member.2, ... (struct elements
//     Name.member.1.Key); with the tag option "flat", Name.1, Name.2, ...;
//     an empty list is Name= with an empty value;
//   - a map is Name.entry.N.key and Name.entry.N.value ("flat": Name.N.key);
//   - scalars are strings, booleans ("true" or "false"), integers and floats,
//     or pointers to them for optional members.
//
// Indexes are decimal from 1 with no gaps, no leading zeros and at most
// MaxQueryMembers; a map key appears once. Parameters naming no member (the
// gateway's Action and Version, say) are ignored, as AWS does; a parameter
// under a member's name that fits no part of its shape is refused. Errors
// are *errs.Error of kind Invalid: MalformedQueryString for the structure,
// the protocol's validation code for a value of the wrong type.
func DecodeQuery(params map[string]string, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return errs.E(errs.Internal, "protocol: DecodeQuery needs a pointer to a struct, not %T", v)
	}
	d := &queryDecoder{params: params, used: make(map[string]bool, len(params))}
	if err := d.structure("", rv.Elem(), 0); err != nil {
		return err
	}
	return d.leftover(rv.Elem().Type())
}

type queryDecoder struct {
	params map[string]string
	used   map[string]bool
}

// queryField is one struct field's awsQuery name and options.
type queryField struct {
	index int
	name  string
	flat  bool
}

// queryFields lists t's decodable fields.
func queryFields(t reflect.Type) []queryField {
	var out []queryField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("query")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		out = append(out, queryField{index: i, name: name, flat: opts == "flat"})
	}
	return out
}

func (d *queryDecoder) structure(prefix string, v reflect.Value, depth int) error {
	if depth > maxQueryDepth {
		return errs.E(errs.Internal, "protocol: %s nests deeper than %d", v.Type(), maxQueryDepth)
	}
	for _, f := range queryFields(v.Type()) {
		name := f.name
		if prefix != "" {
			name = prefix + "." + f.name
		}
		if err := d.value(name, v.Field(f.index), f.flat, depth); err != nil {
			return err
		}
	}
	return nil
}

func (d *queryDecoder) value(name string, v reflect.Value, flat bool, depth int) error {
	switch {
	case v.Kind() == reflect.Struct:
		return d.structure(name, v, depth+1)
	case v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.Struct:
		if !d.hasUnder(name) {
			return nil
		}
		v.Set(reflect.New(v.Type().Elem()))
		return d.structure(name, v.Elem(), depth+1)
	case v.Kind() == reflect.Slice:
		return d.list(name, v, flat, depth)
	case v.Kind() == reflect.Map:
		return d.mapping(name, v, flat)
	}
	raw, ok := d.params[name]
	if !ok {
		return nil
	}
	d.used[name] = true
	if v.Kind() == reflect.Pointer {
		v.Set(reflect.New(v.Type().Elem()))
		v = v.Elem()
	}
	return setScalar(name, raw, v)
}

// hasUnder reports whether any parameter is named prefix.Something.
func (d *queryDecoder) hasUnder(prefix string) bool {
	for k := range d.params {
		if strings.HasPrefix(k, prefix+".") {
			return true
		}
	}
	return false
}

func (d *queryDecoder) list(name string, v reflect.Value, flat bool, depth int) error {
	items := name + ".member"
	if flat {
		items = name
	}
	n, err := d.count(items)
	if err != nil || d.empty(name, n, v) {
		return err
	}
	s := reflect.MakeSlice(v.Type(), n, n)
	for i := range n {
		key := items + "." + strconv.Itoa(i+1)
		if err := d.element(key, s.Index(i), depth); err != nil {
			return err
		}
	}
	v.Set(s)
	return nil
}

// empty handles a list or map with no numbered members: absent, or sent
// as Name= with an empty value (botocore's empty list), which decodes to an
// empty, non-nil collection. It reports whether there is nothing more to
// decode; a non-empty Name=x is left for leftover to refuse.
func (d *queryDecoder) empty(name string, n int, v reflect.Value) bool {
	if n > 0 {
		return false
	}
	if raw, ok := d.params[name]; ok && raw == "" {
		d.used[name] = true
		if v.Kind() == reflect.Map {
			v.Set(reflect.MakeMap(v.Type()))
		} else {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		}
	}
	return true
}

// element decodes the list member at key, which must be present.
func (d *queryDecoder) element(key string, v reflect.Value, depth int) error {
	if v.Kind() == reflect.Struct {
		return d.structure(key, v, depth+1)
	}
	if _, ok := d.params[key]; !ok && isScalar(v.Type()) {
		return malformed("%s has no value; a list member is Name.member.N=value", key)
	}
	return d.value(key, v, false, depth)
}

func (d *queryDecoder) mapping(name string, v reflect.Value, flat bool) error {
	entries := name + ".entry"
	if flat {
		entries = name
	}
	n, err := d.count(entries)
	if err != nil || d.empty(name, n, v) {
		return err
	}
	m := reflect.MakeMapWithSize(v.Type(), n)
	for i := 1; i <= n; i++ {
		if err := d.entry(entries+"."+strconv.Itoa(i), m); err != nil {
			return err
		}
	}
	v.Set(m)
	return nil
}

// entry decodes one map entry, prefix.key and prefix.value, into m.
func (d *queryDecoder) entry(prefix string, m reflect.Value) error {
	k, v := reflect.New(m.Type().Key()).Elem(), reflect.New(m.Type().Elem()).Elem()
	for _, part := range []struct {
		suffix string
		dst    reflect.Value
	}{{".key", k}, {".value", v}} {
		raw, ok := d.params[prefix+part.suffix]
		if !ok {
			return malformed("%s%s is missing; a map entry is Name.entry.N.key and Name.entry.N.value", prefix, part.suffix)
		}
		d.used[prefix+part.suffix] = true
		if err := setScalar(prefix+part.suffix, raw, part.dst); err != nil {
			return err
		}
	}
	if m.MapIndex(k).IsValid() {
		return malformed("%s.key repeats the map key %.64q", prefix, fmt.Sprint(k.Interface()))
	}
	m.SetMapIndex(k, v)
	return nil
}

// isScalar reports whether t (or what it points to) is decoded from one
// parameter rather than from parameters under its name.
func isScalar(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Map:
		return false
	}
	return true
}

// count returns how many members are numbered under prefix (prefix.1,
// prefix.2, ...), refusing malformed, out-of-range and missing indexes.
func (d *queryDecoder) count(prefix string) (int, error) {
	seen := map[int]bool{}
	for k := range d.params {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		seg, _, _ := strings.Cut(rest, ".")
		i, err := memberIndex(prefix, seg)
		if err != nil {
			return 0, err
		}
		seen[i] = true
	}
	for i := 1; i <= len(seen); i++ {
		if !seen[i] {
			return 0, malformed("%s.%d is missing: members are numbered from 1 with no gaps", prefix, i)
		}
	}
	return len(seen), nil
}

// memberIndex parses one index segment.
func memberIndex(prefix, seg string) (int, error) {
	i, err := strconv.Atoi(seg)
	if err != nil || seg[0] < '1' || seg[0] > '9' {
		return 0, malformed("%s.%.16q is not a member index: members are numbered 1, 2, 3, ...", prefix, seg)
	}
	if i > MaxQueryMembers {
		return 0, malformed("%s.%d is out of range: at most %d members are allowed", prefix, i, MaxQueryMembers)
	}
	return i, nil
}

// leftover refuses any parameter under a member's name that no part of the
// member's shape consumed, such as Tags.member.1.Colour or Tags.member.1
// for a list of structs.
func (d *queryDecoder) leftover(t reflect.Type) error {
	names := map[string]bool{}
	for _, f := range queryFields(t) {
		names[f.name] = true
	}
	var stray []string
	for k := range d.params {
		first, _, _ := strings.Cut(k, ".")
		if names[first] && !d.used[k] {
			stray = append(stray, k)
		}
	}
	if len(stray) == 0 {
		return nil
	}
	sort.Strings(stray)
	return malformed("parameter %.128q does not fit the shape of %s", stray[0], strings.SplitN(stray[0], ".", 2)[0])
}

// setScalar parses raw into v by v's kind.
func setScalar(name, raw string, v reflect.Value) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
		return nil
	case reflect.Bool:
		if raw != "true" && raw != "false" {
			return invalidValue(name, raw, "a boolean (true or false)")
		}
		v.SetBool(raw == "true")
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, v.Type().Bits())
		if err != nil {
			return invalidValue(name, raw, "an integer")
		}
		v.SetInt(n)
		return nil
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(raw, v.Type().Bits())
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return invalidValue(name, raw, "a number")
		}
		v.SetFloat(f)
		return nil
	}
	return errs.E(errs.Internal, "protocol: DecodeQuery cannot decode %s into %s", name, v.Type())
}

func invalidValue(name, raw, want string) error {
	return errs.E(errs.Invalid, "1 validation error detected: Value %.64q at '%s' failed to satisfy constraint: Member must be %s", raw, name, want)
}

func malformed(format string, args ...any) error {
	return errs.E(errs.Invalid, format, args...).WithCode("MalformedQueryString")
}
