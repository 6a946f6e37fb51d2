// Package cataloguetest finds, in what moot says under the pseudo-locale
// (en-XA), the words that do not come from the catalogue: the tests of
// coverage of each part of moot (line mode, the commands, the report, the
// screens) share it.
package cataloguetest

import (
	"strings"
	"unicode"
)

// Fixtures are the words people and the agenda gave in a test, and what
// is typed as it is in every language: the only words moot may say that
// are not the catalogue's.
type Fixtures map[string]bool

// Fx keeps the words of a text given to the forum, and gives it back.
func (f Fixtures) Fx(text string) string {
	for _, w := range Words(text) {
		f[w] = true
	}
	return text
}

// Words are the words of a text: its runs of letters.
func Words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) })
}

// Unaccented are the words of a text that are neither the pseudo-
// locale's (every letter of a message of the catalogue is accented there,
// so a word of it has a letter that is not ASCII) nor fixtures. Unlike
// Outside, this finds English in a message's arguments too (an error
// given inside another, a word put in a list), and in a line cut or
// wrapped away from its message's brackets.
func (f Fixtures) Unaccented(text string) []string {
	var bad []string
	for _, w := range Words(text) {
		accented := strings.ContainsFunc(w, func(r rune) bool { return r > unicode.MaxASCII })
		if !accented && !f[w] {
			bad = append(bad, w)
		}
	}
	return bad
}

// Outside are the words of a text that are neither inside the pseudo-
// locale's brackets (the catalogue's messages, with their arguments) nor
// fixtures.
func (f Fixtures) Outside(text string) []string {
	var outside strings.Builder
	depth := 0
	for _, r := range text {
		switch {
		case r == '[':
			depth++
			outside.WriteRune(' ')
		case r == ']' && depth > 0:
			depth--
			outside.WriteRune(' ')
		case depth == 0:
			outside.WriteRune(r)
		}
	}
	var bad []string
	for _, w := range Words(outside.String()) {
		if !f[w] {
			bad = append(bad, w)
		}
	}
	return bad
}
