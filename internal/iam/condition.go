package iam

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// valueKind is the type a condition operator compares as.
type valueKind uint8

const (
	kindString valueKind = iota
	kindStringFold
	kindStringLike
	kindNumeric
	kindDate
	kindBool
	kindBinary
	kindIP
	kindARN
	kindNull
)

// order is the comparison of a numeric or date operator.
type order uint8

const (
	orderEq order = iota
	orderLt
	orderLe
	orderGt
	orderGe
)

// setQualifier is a condition operator's ForAllValues: or ForAnyValue:.
type setQualifier uint8

const (
	setNone setQualifier = iota
	setForAll
	setForAny
)

// operator is a parsed condition operator such as
// "ForAnyValue:StringNotLikeIfExists".
type operator struct {
	kind     valueKind
	order    order
	negated  bool // StringNotEquals, NotIpAddress…: true when no value matches
	set      setQualifier
	ifExists bool
}

// baseOperators are AWS's condition operators without qualifiers.
var baseOperators = map[string]operator{
	"StringEquals":              {kind: kindString},
	"StringNotEquals":           {kind: kindString, negated: true},
	"StringEqualsIgnoreCase":    {kind: kindStringFold},
	"StringNotEqualsIgnoreCase": {kind: kindStringFold, negated: true},
	"StringLike":                {kind: kindStringLike},
	"StringNotLike":             {kind: kindStringLike, negated: true},
	"NumericEquals":             {kind: kindNumeric},
	"NumericNotEquals":          {kind: kindNumeric, negated: true},
	"NumericLessThan":           {kind: kindNumeric, order: orderLt},
	"NumericLessThanEquals":     {kind: kindNumeric, order: orderLe},
	"NumericGreaterThan":        {kind: kindNumeric, order: orderGt},
	"NumericGreaterThanEquals":  {kind: kindNumeric, order: orderGe},
	"DateEquals":                {kind: kindDate},
	"DateNotEquals":             {kind: kindDate, negated: true},
	"DateLessThan":              {kind: kindDate, order: orderLt},
	"DateLessThanEquals":        {kind: kindDate, order: orderLe},
	"DateGreaterThan":           {kind: kindDate, order: orderGt},
	"DateGreaterThanEquals":     {kind: kindDate, order: orderGe},
	"Bool":                      {kind: kindBool},
	"BinaryEquals":              {kind: kindBinary},
	"IpAddress":                 {kind: kindIP},
	"NotIpAddress":              {kind: kindIP, negated: true},
	"ArnEquals":                 {kind: kindARN},
	"ArnLike":                   {kind: kindARN},
	"ArnNotEquals":              {kind: kindARN, negated: true},
	"ArnNotLike":                {kind: kindARN, negated: true},
	"Null":                      {kind: kindNull},
}

// operators holds every operator AWS knows: each base operator, with
// ForAllValues: or ForAnyValue: and with IfExists, keyed in lower case.
// keyward reads operator names case-insensitively, which accepts every
// document AWS accepts. Null takes no qualifier.
var operators = func() map[string]operator {
	out := map[string]operator{}
	for name, op := range baseOperators {
		for _, set := range []setQualifier{setNone, setForAll, setForAny} {
			for _, ifExists := range []bool{false, true} {
				if op.kind == kindNull && (set != setNone || ifExists) {
					continue
				}
				o := op
				o.set, o.ifExists = set, ifExists
				out[strings.ToLower(qualifiedName(name, set, ifExists))] = o
			}
		}
	}
	return out
}()

func qualifiedName(name string, set setQualifier, ifExists bool) string {
	switch set {
	case setForAll:
		name = "ForAllValues:" + name
	case setForAny:
		name = "ForAnyValue:" + name
	}
	if ifExists {
		name += "IfExists"
	}
	return name
}

// parseOperator looks a condition operator up.
func parseOperator(name string) (operator, bool) {
	op, ok := operators[name]
	if !ok {
		op, ok = operators[strings.ToLower(name)]
	}
	return op, ok
}

// usesVariables reports whether an operator's policy values may hold
// policy variables: the string and ARN operators.
func (o operator) usesVariables() bool {
	return o.kind == kindString || o.kind == kindStringFold || o.kind == kindStringLike || o.kind == kindARN
}

// conditionHolds evaluates one operator on one key against the policy's
// values (OR'ed). lookup finds the request's values for the key.
func conditionHolds(o operator, ctx []string, present bool, policy []string, resolve func(string, bool) (string, bool)) bool {
	if o.kind == kindNull {
		return nullHolds(policy, present && len(ctx) > 0)
	}
	if !present {
		switch {
		case o.ifExists:
			return true
		case o.set == setForAll:
			return true // vacuously: no value fails
		case o.set == setForAny:
			return false
		}
		return o.negated // "not equal" holds when there is nothing to equal
	}
	test := func(v string) bool { return anyValueMatches(o, v, policy, resolve) != o.negated }
	if o.set == setForAll || (o.set == setNone && o.negated) {
		for _, v := range ctx {
			if !test(v) {
				return false
			}
		}
		return true
	}
	for _, v := range ctx {
		if test(v) {
			return true
		}
	}
	return false
}

// nullHolds is the Null operator: "true" holds when the key is missing,
// "false" when it is present.
func nullHolds(policy []string, present bool) bool {
	for _, v := range policy {
		if strings.EqualFold(v, "true") != present {
			return true
		}
	}
	return false
}

// anyValueMatches reports whether a request value matches any of the
// policy's values in the operator's positive sense.
func anyValueMatches(o operator, v string, policy []string, resolve func(string, bool) (string, bool)) bool {
	for _, p := range policy {
		if o.usesVariables() {
			var ok bool
			if p, ok = resolve(p, o.kind == kindStringLike || o.kind == kindARN); !ok {
				continue
			}
		}
		if valueMatches(o, v, p) {
			return true
		}
	}
	return false
}

func valueMatches(o operator, v, p string) bool {
	switch o.kind {
	case kindString:
		return v == p
	case kindStringFold:
		return strings.EqualFold(v, p)
	case kindStringLike:
		return glob(p, v, false)
	case kindNumeric:
		a, err1 := strconv.ParseFloat(v, 64)
		b, err2 := strconv.ParseFloat(p, 64)
		return err1 == nil && err2 == nil && ordered(o.order, compareFloat(a, b))
	case kindDate:
		a, ok1 := parseDate(v)
		b, ok2 := parseDate(p)
		return ok1 && ok2 && ordered(o.order, a.Compare(b))
	case kindBool:
		return strings.EqualFold(v, p)
	case kindBinary:
		return v == p
	case kindIP:
		return ipMatches(v, p)
	case kindARN:
		return strings.HasPrefix(v, "arn:") && matchARN(p, v)
	}
	return false
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func ordered(o order, c int) bool {
	switch o {
	case orderLt:
		return c < 0
	case orderLe:
		return c <= 0
	case orderGt:
		return c > 0
	case orderGe:
		return c >= 0
	}
	return c == 0
}

// dateLayouts are the ISO 8601 forms AWS accepts in Date conditions.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"}

// parseDate reads an ISO 8601 date or time, or epoch seconds.
func parseDate(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ipMatches reports whether address v lies in p, a CIDR block or a single
// address, IPv4 or IPv6.
func ipMatches(v, p string) bool {
	addr, err := netip.ParseAddr(v)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	if prefix, err := netip.ParsePrefix(p); err == nil {
		return prefix.Masked().Contains(addr)
	}
	one, err := netip.ParseAddr(p)
	return err == nil && one.Unmap() == addr
}
