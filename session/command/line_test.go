package command

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Specs shaped like action add and say: fixed words, free text, text
// options, options with a word, options without a value.
var (
	testSpec = &spec{name: "t",
		flags:     map[string]bool{"who": true, "item": true, "dots": true, "live": false},
		text:      map[string]bool{"who": true, "item": true},
		textAfter: map[string]int{"add": 2},
	}
	saySpec = &spec{name: "say", flags: testSpec.flags, text: testSpec.text, textAfter: map[string]int{"": 0}}
)

// specFor reads lines starting with add as testSpec does, others as saySpec.
func specFor(line string) *spec {
	if strings.HasPrefix(trimSpace(line), "add") || strings.HasPrefix(line, `"add"`) {
		return testSpec
	}
	return saySpec
}

func TestReadingALine(t *testing.T) {
	for _, tc := range []struct {
		line  string
		pos   []string
		text  string
		value map[string][]string
		set   []string
	}{
		{line: `add 3 Publish a timetable --who Council, Library --item one two --dots 5 --item=three four --live`,
			pos: []string{"add", "3"}, text: "Publish a timetable",
			value: map[string][]string{"who": {"Council, Library"}, "item": {"one two", "three four"}, "dots": {"5"}}, set: []string{"live"}},
		// Apostrophes, quotes and backslashes are text, as typed.
		{line: `It's late, "really" late \o/`, text: `It's late, "really" late \o/`},
		{line: `add 3 Ask the "Friends of the park" --who Tenants' federation`,
			pos: []string{"add", "3"}, text: `Ask the "Friends of the park"`, value: map[string][]string{"who": {"Tenants' federation"}}},
		// Words that are not the command's options are text.
		{line: `wait -- what? --verbose is -- not --whoever`, text: `wait -- what? --verbose is -- not --whoever`},
		// A backslash makes one of its options text, and is dropped.
		{line: `type \--who to say who --live`, text: `type --who to say who`, set: []string{"live"}},
		{line: `a\--who b \\--who`, text: `a\--who b \\--who`},
		// Options may come before the text.
		{line: `--live  hello  there `, text: "hello  there", set: []string{"live"}},
		// Fixed words may be quoted; the quotes are not part of them.
		{line: `"add" '3' text`, pos: []string{"add", "3"}, text: "text"},
		{line: `x "unclosed y`, pos: nil, text: `x "unclosed y`},
		{line: "add\t3\nline one\nline two", pos: []string{"add", "3"}, text: "line one\nline two"},
		{line: `--who=a;b --item  c`, value: map[string][]string{"who": {"a;b"}, "item": {"c"}}},
		{line: `Gemeinschaftsgärten für alle — 好`, text: `Gemeinschaftsgärten für alle — 好`},
	} {
		a, err := parseArgs(specFor(tc.line), tc.line)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if !reflect.DeepEqual(a.pos, tc.pos) || a.text != tc.text {
			t.Errorf("%q: words %q, text %q; want %q, %q", tc.line, a.pos, a.text, tc.pos, tc.text)
		}
		for name, want := range tc.value {
			if got := a.values[name]; !reflect.DeepEqual(got, want) {
				t.Errorf("%q: --%s = %q, want %q", tc.line, name, got, want)
			}
		}
		for _, name := range tc.set {
			if !a.set[name] {
				t.Errorf("%q: --%s not set", tc.line, name)
			}
		}
	}
}

func TestLinesThatAreRefused(t *testing.T) {
	for line, want := range map[string]string{
		`add 3 --nope x`:                   "", // after add 3 the text starts: --nope is text
		`add --nope`:                       "unknown option --nope",
		`hello --live world`:               `"world" follows the text, after an option (to write an option inside the text, type a backslash before it: \--live)`,
		`hello --dots`:                     "--dots needs a value",
		`hello --dots --live`:              "--dots needs a value",
		`hello --who`:                      "--who needs a value",
		`hello --who --live`:               "--who needs a value",
		`hello --live=yes`:                 "--live takes no value",
		`hello --dots= 5`:                  "--dots needs a value",
		"hello --who \u00a0 --item x":      "",
		`add 3 text --who a --dots 5 more`: `"more" follows the text`,
	} {
		_, err := parseArgs(specFor(line), line)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", line, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: %v, want %q", line, err, want)
		}
	}
}

// escapeOptions puts a backslash before every one of the spec's options
// that starts a word of text, as a person writes them inside text.
func escapeOptions(s *spec, text string) string {
	var b strings.Builder
	for j := 0; j < len(text); j++ {
		if (j == 0 || isSpace(text[j-1])) && s.ownOption(text, j) {
			b.WriteByte('\\')
		}
		b.WriteByte(text[j])
	}
	return b.String()
}

// The raw-remainder rule: whatever text follows a command's fixed words
// arrives as typed, only the white space around it dropped; so does the
// value of a text option; options written inside it with a backslash come
// back without it.
func FuzzReadLine(f *testing.F) {
	for _, s := range []string{`It's late`, `"quoted" words`, `a \ b`, `-- --who --whoever`, `\--who`, "x\ty\nz", `''`, `"`, `Ünïcödé, "x"; y`} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, who string) {
		if !utf8.ValidString(text) || !utf8.ValidString(who) {
			return
		}
		// Any line at all is read or refused, never a panic.
		_, _ = parseArgs(saySpec, text)
		_, _ = parseArgs(testSpec, text)
		_, _ = parseArgs(testSpec, "add 1 "+text+" --who "+who)

		text, who = trimSpace(text), trimSpace(who)
		// A backslash typed before an option is dropped; text that has
		// one already cannot say it. Text starting with an option is
		// not a text that follows anything.
		if text == "" || who == "" || strings.Contains(text, `\--`) || strings.Contains(who, `\--`) {
			return
		}
		line := "add 1 " + escapeOptions(testSpec, text) + " --who " + escapeOptions(testSpec, who) + " --live"
		a, err := parseArgs(testSpec, line)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if a.text != text || a.value["who"] != who || !a.set["live"] || !reflect.DeepEqual(a.pos, []string{"add", "1"}) {
			t.Fatalf("%q: words %q, text %q, who %q; want text %q, who %q", line, a.pos, a.text, a.value["who"], text, who)
		}
	})
}

// Reading a line is linear in its length, whatever it holds: a line of
// unclosed quotes, of options, of escaped options (64 KiB each).
func BenchmarkReadLine(b *testing.B) {
	const size = 64 << 10
	for name, unit := range map[string]string{"words": "a ", "unclosed quotes": `"a `, "options": "--who ", "escaped options": `\--who `} {
		line := strings.Repeat(unit, size/len(unit))
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(line)))
			for range b.N {
				_, _ = parseArgs(testSpec, line)
				_, _ = parseArgs(saySpec, line)
			}
		})
	}
}
