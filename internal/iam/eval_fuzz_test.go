package iam

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParsePolicy feeds one document to all three parsers: none may panic,
// every refusal is a *PolicyError, and what they accept is well-formed.
func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*"]}}}]}`))
	f.Add([]byte(`{"Version":"2008-10-17","Statement":[{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:*","NotResource":"arn:aws:s3:::b/*","Condition":{"Null":{"k":true}}}]}`))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"k":"v"}}}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, parse := range []func([]byte) (Document, error){ParseIdentityPolicy, ParseTrustPolicy, ParseResourcePolicy} {
			d, err := parse(doc)
			if err != nil {
				var pe *PolicyError
				if !errors.As(err, &pe) {
					t.Fatalf("error of type %T: %v", err, err)
				}
				continue
			}
			if len(doc) > MaxDocumentBytes {
				t.Fatalf("accepted a document of %d bytes", len(doc))
			}
			for _, s := range d.Statement {
				if s.Effect != "Allow" && s.Effect != "Deny" {
					t.Fatalf("accepted effect %q", s.Effect)
				}
				for op := range s.Condition {
					if _, ok := parseOperator(op); !ok {
						t.Fatalf("accepted condition operator %q", op)
					}
				}
			}
		}
	})
}

// FuzzEvaluate evaluates random documents and requests. Evaluate must not
// panic, must decide the same twice, and must keep AWS's invariants: an
// explicit Deny of everything always denies, explicitly; a session policy
// never turns a denial into an allow; a denial always has a message.
func FuzzEvaluate(f *testing.F) {
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::${aws:PrincipalAccount}:role/*"}}`),
		[]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/R"},"Action":"*","Resource":"*"}}`),
		"iam:DeleteRole", "arn:aws:iam::111122223333:role/X", "aws:TagKeys", "env", "111122223333")
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:*","NotResource":"*","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":"a?"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`),
		[]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"*","Resource":"*"}}`),
		"s3:GetObject", "*", "aws:SourceIp", "10.1.2.3", "444455556666")
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"${aws:CurrentTime, '2020-01-01'}"},"Null":{"x":"false"}}}}`),
		[]byte(`{}`), "a:b", "arn:aws:s3:::b/${*}", "x", "", "")
	f.Fuzz(func(t *testing.T, identity, resource []byte, action, res, key, value, resourceAccount string) {
		var p Policies
		if d, err := ParseIdentityPolicy(identity); err == nil {
			p.Identity = []Document{d}
		}
		if d, err := ParseResourcePolicy(resource); err == nil {
			p.Resource = []Document{d}
		}
		var c Context
		c.Set(key, strings.Split(value, ",")...)
		r := Request{Action: action, Resource: res, Principal: session, ResourceAccount: resourceAccount, Context: c}
		d := Evaluate(r, p)
		if again := Evaluate(r, p); again != d {
			t.Fatalf("two evaluations differ: %+v and %+v", d, again)
		}
		if !d.Allowed && !strings.HasPrefix(d.Message(sessARN, action, res), "User: "+sessARN+" is not authorized to perform: ") {
			t.Fatalf("denial message %q", d.Message(sessARN, action, res))
		}
		narrowed := p
		narrowed.Session = []Document{idp(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`)}
		if n := Evaluate(r, narrowed); n.Allowed && !d.Allowed {
			t.Fatalf("a session policy widened a denial (%+v) to %+v", d, n)
		}
		denied := p
		denied.Identity = append(append([]Document{}, p.Identity...), idp(denyAll))
		if dd := Evaluate(r, denied); dd.Allowed || !dd.Explicit {
			t.Fatalf("an explicit Deny of everything did not deny: %+v", dd)
		}
	})
}
