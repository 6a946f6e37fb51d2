package session

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"moot/session/catalogue"
)

// Limits on text that people type. They are counted in characters (runes),
// after cleaning.
const (
	MaxNameLength = 40
)

// CleanLine makes text from a person safe to store and to show on other
// people's terminals, as a single line: escape sequences (ANSI CSI, OSC and
// the rest), control characters, bidirectional overrides and invalid UTF-8
// are removed; runs of white space become one space; ends are trimmed.
func CleanLine(s string) string {
	return cleanText(s, false)
}

// CleanText is CleanLine for text where paragraphs matter: a blank line
// between paragraphs is kept, while a single line break (as a YAML block or
// a pasted e-mail has) becomes a space, so that every screen can wrap the
// text to its own width.
func CleanText(s string) string {
	return cleanText(s, true)
}

// MaxMarks is how many combining marks may follow one character: enough
// for any script's accents and vowel signs stacked, too few to smear text
// over the lines above and below it.
const MaxMarks = 4

func cleanText(s string, keepNewlines bool) string {
	s = strings.ToValidUTF8(s, "")
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	newlines, space, marks := 0, false, 0
	for _, r := range s {
		if isMark(r) {
			if marks++; marks > MaxMarks {
				continue
			}
		} else {
			marks = 0
		}
		switch {
		case r == '\n' && keepNewlines:
			newlines++
			space = true
		case r == '\n' || r == '\r' || r == '\t' || unicode.IsSpace(r) || r == 0x2800:
			space = true // U+2800, the blank braille cell, is a space to the eye
		case isUnsafe(r):
			// dropped
		default:
			if b.Len() > 0 {
				switch {
				case newlines >= 2:
					b.WriteString("\n\n")
				case space:
					b.WriteByte(' ')
				}
			}
			space, newlines = false, 0
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// isUnsafe reports runes that can move the cursor, change how a terminal
// draws what follows, reorder text on screen, or draw nothing at all.
func isUnsafe(r rune) bool {
	switch {
	case r == utf8.RuneError:
		return true
	case unicode.IsControl(r): // C0, DEL and C1, including the 8-bit CSI and OSC
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true // bidirectional embeddings, overrides, isolates and marks
	case unicode.Is(unicode.Cf, r):
		// Format characters are invisible: zero-width spaces and joiners,
		// invisible operators (U+2061-2064), tags, the soft hyphen. They
		// hide text and make two names that look alike differ.
		return true
	case r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0:
		return true // Hangul fillers: letters that draw nothing
	case unicode.Is(unicode.Co, r), r >= 0xFFF9 && r <= 0xFFFB:
		return true
	}
	return false
}

// isMark reports combining marks, which draw on the character before them.
func isMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Me) }

// Name cleans a display name and checks its length.
func Name(s string) (string, error) {
	n := CleanLine(s)
	if n == "" {
		return "", catalogue.Err("session.name.empty")
	}
	if c := utf8.RuneCountInString(n); c > MaxNameLength {
		return "", catalogue.Err("session.name.too_long", MaxNameLength, c)
	}
	if strings.ContainsFunc(n, isMarkBracket) {
		return "", catalogue.Err("session.name.brackets")
	}
	return n, nil
}

// Count writes a number with its noun in the right form: "1 card",
// "3 cards".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
