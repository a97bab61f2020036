package iam

import "strings"

// Literal wildcard characters: the policy variables ${*} and ${?} (and a
// variable's value) stand for a literal '*' or '?' in a pattern. The
// substitution writes these bytes in their place, and glob matches them
// against the literal character only.
const (
	litStar     = '\x00'
	litQuestion = '\x01'
)

// glob reports whether s matches pattern, where '*' matches any run of
// characters (also none) and '?' exactly one. With fold, ASCII letters
// compare case-insensitively (actions); without, exactly (ARNs, StringLike).
// It backtracks only to the last star, so it runs in O(len(pattern)*len(s))
// at worst and allocates nothing.
func glob(pattern, s string, fold bool) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			switch c := pattern[p]; {
			case c == '*':
				star, mark = p, i
				p++
				continue
			case c == '?' || sameByte(c, s[i], fold):
				p++
				i++
				continue
			}
		}
		if star < 0 {
			return false
		}
		p, mark = star+1, mark+1
		i = mark
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// sameByte compares a pattern byte with a subject byte; the literal markers
// match only the characters they stand for.
func sameByte(p, c byte, fold bool) bool {
	switch p {
	case litStar:
		return c == '*'
	case litQuestion:
		return c == '?'
	}
	if p == c {
		return true
	}
	return fold && lower(p) == lower(c)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// matchAction reports whether a request's action ("iam:DeleteRole")
// matches a policy's action pattern ("iam:Delete*", "*"): wildcards, and
// case-insensitive as AWS compares actions.
func matchAction(pattern, action string) bool {
	return glob(pattern, action, true)
}

// matchARN reports whether arn matches an ARN pattern the way AWS matches a
// Resource element or ArnLike condition: "*" matches anything; otherwise
// the first five colon-separated segments (arn, partition, service,
// region, account) are matched one by one, so a wildcard never spans a
// colon there, and the sixth, the resource (which may itself contain
// colons), is matched as a whole. A pattern with fewer segments lets its
// last segment match the rest of the ARN. Matching is case-sensitive. A
// value that is not an ARN (the "*" of an action without resources) only
// matches a pattern as a plain string.
func matchARN(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	if !strings.HasPrefix(arn, "arn:") {
		return glob(pattern, arn, false)
	}
	for seg := 0; seg < 5; seg++ {
		pi := strings.IndexByte(pattern, ':')
		ai := strings.IndexByte(arn, ':')
		if pi < 0 {
			return glob(pattern, arn, false)
		}
		if ai < 0 || !glob(pattern[:pi], arn[:ai], false) {
			return false
		}
		pattern, arn = pattern[pi+1:], arn[ai+1:]
	}
	return glob(pattern, arn, false)
}
