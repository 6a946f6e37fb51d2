package session

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanLine(t *testing.T) {
	for in, want := range map[string]string{
		"  Ada   Lovelace ":                                        "Ada Lovelace",
		"Ada\x1b[2J\x1b[HLovelace":                                 "AdaLovelace",
		"red \x1b[31mtext\x1b[0m":                                  "red text",
		"link \x1b]8;;http://evil\x07here":                         "link here",
		"title \x1b]0;pwned\x1b\\ok":                               "title ok",
		"bell\x07 and nul\x00":                                     "bell and nul",
		"c1 \u009b31m csi":                                         "c1 31m csi",
		"bidi \u202eevil\u202c ok":                                 "bidi evil ok",
		"isolate \u2067x\u2069":                                    "isolate x",
		"zero\u200bwidth":                                          "zerowidth",
		"line\nbreaks\r\nand\ttabs":                                "line breaks and tabs",
		"bad utf8 \xff\xfe here":                                   "bad utf8 here",
		"émoji 🎉 and 日本語":                                          "émoji 🎉 and 日本語",
		"\x1b[31":                                                  "",
		"backspace\b\b\b\bover":                                    "backspaceover",
		"dcs \x1bP1$r0m\x1b\\ end":                                 "dcs end",
		"\x1b7saved cursor\x1b8":                                   "saved cursor",
		"pm \x1b^secret\x1b\\ apc \x1b_x\x1b\\":                    "pm apc",
		"invisible\u2061\u2062\u2063\u2064 times":                  "invisible times",
		"\u3164\u3164 filler \u115f\u1160\uffa0":                   "filler",
		"soft\u00adhyphen, tag\U000E0041\U000E007F":                "softhyphen, tag",
		"mongolian\u180evowel \u2800braille":                       "mongolianvowel braille",
		"Zalgo Z\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307o": "Zalgo Z\u0300\u0301\u0302\u0303o",
		"Vietnamese Tiếng Việt, Hindi हिन्दी":                      "Vietnamese Tiếng Việt, Hindi हिन्दी",
	} {
		if got := CleanLine(in); got != want {
			t.Errorf("CleanLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanTextParagraphs(t *testing.T) {
	in := "First line\nsame paragraph.\n\n\n\nSecond \x1b[1mparagraph\x1b[0m.\n"
	want := "First line same paragraph.\n\nSecond paragraph."
	if got := CleanText(in); got != want {
		t.Errorf("CleanText = %q, want %q", got, want)
	}
}

func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"Ada", "\x1b[31mred", "\x1b]0;t\x07", "\u202eabc", "a\nb", "\xff", "\x9b1m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{CleanLine(s), CleanText(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q", s)
			}
			for _, r := range out {
				if r == '\n' {
					continue
				}
				if isUnsafe(r) {
					t.Fatalf("unsafe rune %U left in %q (from %q)", r, out, s)
				}
			}
			if strings.TrimSpace(out) != out {
				t.Fatalf("untrimmed %q", out)
			}
		}
		if strings.ContainsRune(CleanLine(s), '\n') {
			t.Fatalf("CleanLine kept a line break from %q", s)
		}
		marks := 0
		for _, r := range CleanText(s) {
			if marks = marks + 1; !isMark(r) {
				marks = 0
			}
			if marks > MaxMarks {
				t.Fatalf("more than %d combining marks in a row in %q (from %q)", MaxMarks, CleanText(s), s)
			}
		}
		if CleanLine(CleanLine(s)) != CleanLine(s) {
			t.Fatalf("CleanLine is not idempotent on %q", s)
		}
	})
}
