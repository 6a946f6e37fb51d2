package catalogue

import (
	"strings"
	"unicode/utf8"
)

// The pseudo-locale, en-XA, is English with every letter accented and
// every message lengthened by about a third and bracketed:
// "[Ŵĥåţ ĝéţš ĩñ ţĥé ŵåý? ōñé ţŵō]". Read on a screen or in a transcript it
// shows at once any English that does not come from the catalogue (it is
// not accented, and it is outside brackets), and whether a layout holds
// text 30-40% longer. Placeholders are left as they are: people's words
// are never translated.

var accents = map[rune]rune{
	'a': 'å', 'b': 'ƀ', 'c': 'ç', 'd': 'ð', 'e': 'é', 'f': 'ƒ', 'g': 'ĝ', 'h': 'ĥ', 'i': 'ĩ', 'j': 'ĵ',
	'k': 'ķ', 'l': 'ļ', 'm': 'ɱ', 'n': 'ñ', 'o': 'ö', 'p': 'þ', 'q': 'ǫ', 'r': 'ŕ', 's': 'š', 't': 'ţ',
	'u': 'û', 'v': 'ṽ', 'w': 'ŵ', 'x': 'ẋ', 'y': 'ý', 'z': 'ž',
	'A': 'Å', 'B': 'Ɓ', 'C': 'Ç', 'D': 'Ð', 'E': 'É', 'F': 'Ƒ', 'G': 'Ĝ', 'H': 'Ĥ', 'I': 'Ĩ', 'J': 'Ĵ',
	'K': 'Ķ', 'L': 'Ļ', 'M': 'Ṁ', 'N': 'Ñ', 'O': 'Ö', 'P': 'Þ', 'Q': 'Ǫ', 'R': 'Ŕ', 'S': 'Š', 'T': 'Ţ',
	'U': 'Û', 'V': 'Ṽ', 'W': 'Ŵ', 'X': 'Ẋ', 'Y': 'Ý', 'Z': 'Ž',
}

// padding lengthens a message: words no language has, accented already.
var padding = []string{"ōñé", "ţŵō", "ţĥŕéé", "ƒōûŕ", "ƒĩṽé", "šĩẋ", "šéṽéñ", "éĩĝĥţ", "ñĩñé", "ţéñ"}

// pseudo makes the pseudo-locale's text of an English template.
func pseudo(text string) string {
	if text == "" {
		return text
	}
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < len(text); {
		if text[i] == '{' {
			end := strings.IndexByte(text[i:], '}')
			b.WriteString(text[i : i+end+1])
			i += end + 1
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if a, ok := accents[r]; ok {
			b.WriteRune(a)
		} else {
			b.WriteRune(r)
		}
		i += size
	}
	// A third longer, in words of padding.
	want := (utf8.RuneCountInString(text)*35 + 99) / 100
	for i, n := 0, 0; n < want; i++ {
		w := padding[i%len(padding)]
		b.WriteString(" " + w)
		n += utf8.RuneCountInString(w) + 1
	}
	b.WriteString("]")
	return b.String()
}

// pseudoOf is the pseudo-locale made from the English.
func pseudoOf(english *Translation) *Translation {
	t := &Translation{Code: Pseudo}
	for _, m := range english.messages {
		p := *m
		p.text = pseudo(m.text)
		if m.forms != nil {
			p.forms = map[string]string{}
			for f, text := range m.forms {
				p.forms[f] = pseudo(text)
			}
		}
		t.messages = append(t.messages, &p)
	}
	return t
}
