package totp

import (
	"strings"
	"testing"
	"time"
)

var rfcSecret = []byte("12345678901234567890")

// RFC 6238 Appendix B, SHA-1 rows.
var rfcVectors = []struct {
	unix  int64
	eight string
}{
	{59, "94287082"},
	{1111111109, "07081804"},
	{1111111111, "14050471"},
	{1234567890, "89005924"},
	{2000000000, "69279037"},
	{20000000000, "65353130"},
}

func TestTheRFC6238SHA1VectorsMatch(t *testing.T) {
	for _, v := range rfcVectors {
		at := time.Unix(v.unix, 0)
		t.Run("eight digits at "+at.UTC().Format(time.RFC3339), func(t *testing.T) {
			if got := digits(rfcSecret, uint64(Step(at)), 8); got != v.eight {
				t.Errorf("digits = %s, want %s", got, v.eight)
			}
		})
		t.Run("the six-digit code is the last six at "+at.UTC().Format(time.RFC3339), func(t *testing.T) {
			if got, want := Code(rfcSecret, at), v.eight[2:]; got != want {
				t.Errorf("Code = %s, want %s", got, want)
			}
		})
	}
}

func TestStepRoundsDown(t *testing.T) {
	for _, c := range []struct {
		unix, want int64
	}{{0, 0}, {29, 0}, {30, 1}, {59, 1}, {-1, -1}, {-30, -1}, {-31, -2}} {
		if got := Step(time.Unix(c.unix, 0)); got != c.want {
			t.Errorf("Step(%d) = %d, want %d", c.unix, got, c.want)
		}
	}
}

func TestVerify(t *testing.T) {
	now := time.Unix(1234567890, 0)
	cur := Step(now)
	at := func(step int64) string { return Code(rfcSecret, time.Unix(step*30, 0)) }

	t.Run("the previous, current and next steps are accepted and return their step", func(t *testing.T) {
		for _, s := range []int64{cur - 1, cur, cur + 1} {
			got, ok := Verify(rfcSecret, at(s), now, 0)
			if !ok || got != s {
				t.Errorf("step %d: Verify = %d, %v; want %d, true", s, got, ok, s)
			}
		}
	})
	t.Run("codes two steps away are refused", func(t *testing.T) {
		for _, s := range []int64{cur - 2, cur + 2} {
			if _, ok := Verify(rfcSecret, at(s), now, 0); ok {
				t.Errorf("step %d accepted", s)
			}
		}
	})
	t.Run("the same step is refused a second time", func(t *testing.T) {
		step, ok := Verify(rfcSecret, at(cur), now, 0)
		if !ok {
			t.Fatal("first use refused")
		}
		if _, ok := Verify(rfcSecret, at(cur), now, step); ok {
			t.Error("replayed code accepted")
		}
	})
	t.Run("an earlier step than the last accepted one is refused", func(t *testing.T) {
		if _, ok := Verify(rfcSecret, at(cur-1), now, cur); ok {
			t.Error("code from before lastStep accepted")
		}
	})
	t.Run("a later step than the last accepted one is still accepted", func(t *testing.T) {
		if got, ok := Verify(rfcSecret, at(cur+1), now, cur); !ok || got != cur+1 {
			t.Errorf("Verify = %d, %v; want %d, true", got, ok, cur+1)
		}
	})
	t.Run("a wrong code is refused", func(t *testing.T) {
		wrong := []byte(at(cur))
		wrong[0] = '0' + (wrong[0]-'0'+1)%10
		if _, ok := Verify(rfcSecret, string(wrong), now, 0); ok {
			t.Error("wrong code accepted")
		}
	})
	t.Run("an empty secret verifies nothing", func(t *testing.T) {
		if _, ok := Verify(nil, Code(nil, now), now, 0); ok {
			t.Error("empty secret accepted a code")
		}
	})
	t.Run("codes that are not six ASCII digits are refused", func(t *testing.T) {
		good := at(cur)
		for _, c := range []string{
			"", good[:5], good + "0", " " + good[1:], good[:5] + "a", "-" + good[1:], "+" + good[1:],
			strings.Replace(good, good[:1], "\u0660", 1), // ARABIC-INDIC DIGIT ZERO
			"\u0661\u0662\u0663",                         // three Arabic-Indic digits: six bytes
			"\uff11\uff12\uff13\uff14\uff15\uff16",       // FULLWIDTH DIGITS
			good + "\n", good[:3] + " " + good[3:],
		} {
			if _, ok := Verify(rfcSecret, c, now, 0); ok {
				t.Errorf("%q accepted", c)
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	now := time.Unix(1234567890, 0)
	for _, s := range []string{Code(rfcSecret, now), "000000", "12345", "1234567", "١٢٣٤٥٦", "", "abcdef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		step, ok := Verify(rfcSecret, code, now, 0)
		if !ok {
			return
		}
		if !wellFormed(code) {
			t.Fatalf("%q is not six ASCII digits but verified", code)
		}
		if d := step - Step(now); d < -Skew || d > Skew || Code(rfcSecret, time.Unix(step*30, 0)) != code {
			t.Fatalf("%q verified at step %d, which does not produce it within the window", code, step)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	now := time.Unix(1234567890, 0)
	for b.Loop() {
		Verify(rfcSecret, "000000", now, 0)
	}
}
