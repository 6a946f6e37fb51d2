package catalogue

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestEnglishPrintsAsWritten(t *testing.T) {
	en := Default().Printer()
	for _, c := range []struct{ got, want string }{
		{en.T("count.cards", 1), "1 card"},
		{en.T("count.cards", 0), "0 cards"},
		{en.T("count.cards", 4096), "4096 cards"},
		{en.T("line.cards.so_far", 0), "No cards yet on this step."},
		{en.T("line.cards.themed", 2, en.List([]string{"1", "2"}), "Access"), "Cards 1 and 2 are under the theme Access now."},
		{en.T("line.cards.themed", 1, "3", "Access"), "Card 3 is under the theme Access now."},
		{en.List([]string{"Bob", "Cy", "Dee"}), "Bob, Cy and Dee"},
		{en.T("ordinal.rank", 1), "1st"},
		{en.T("ordinal.rank", 2), "2nd"},
		{en.T("ordinal.rank", 3), "3rd"},
		{en.T("ordinal.rank", 11), "11th"},
		{en.T("ordinal.rank", 22), "22nd"},
		{en.T("line.poll.mean", Decimal(3.75, 1), Decimal(4, 1)), "The mean is 3.8, the spread 4.0."},
		{en.T("line.step", 2, 4, "voting", "50% or more?"), "Step 2 of 4, voting: 50% or more?"},
		{en.T("no.such.key"), "no.such.key"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// The pseudo-locale accents every letter of the English and lengthens it
// by about a third, leaving placeholders (people's words) as they are.
func TestPseudoLocaleIsAccentedAndLonger(t *testing.T) {
	c := Default()
	xa := c.Printer(Pseudo)
	if xa.Lang() != Pseudo {
		t.Fatalf("the pseudo-locale is not in the catalogue: %v", c.Languages())
	}
	got := xa.T("line.card", 7, "Ada", "Buses stop at six")
	if !strings.HasPrefix(got, "[Çåŕð 7 ƒŕöɱ Ada: Buses stop at six") || !strings.HasSuffix(got, "]") {
		t.Errorf("pseudo: %q", got)
	}
	for _, key := range c.Keys() {
		english := c.English(key)
		p := pseudo(english)
		if english == "" {
			continue
		}
		ratio := float64(utf8.RuneCountInString(p)) / float64(utf8.RuneCountInString(english))
		if ratio < 1.3 {
			t.Errorf("%s: %q is only %.0f%% longer", key, p, (ratio-1)*100)
		}
		outside := strings.NewReplacer("{", " {", "}", "} ").Replace(p)
		for _, w := range strings.Fields(outside) {
			if strings.HasPrefix(w, "{") {
				continue
			}
			if strings.ContainsFunc(w, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) {
				t.Errorf("%s: %q keeps an English letter in %q", key, p, w)
			}
		}
	}
	if long := pseudo("What gets in the way of co-production in our town?"); utf8.RuneCountInString(long) > 80 {
		t.Errorf("a long message is lengthened by far more than 40%%: %q", long)
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A translation prints in its language, with its plural forms and its
// decimal point; what it leaves out is printed in English.
func TestATranslationPrints(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "fr.yaml", `# moot en français
line.card: "Carte {card} de {author} : {text}"
count.cards:
  one: "{n} carte"
  other: "{n} cartes"
line.cards.themed:
  one: "La carte {cards} est sous le thème {theme}."
  other: "Les cartes {cards} sont sous le thème {theme}."
line.poll.mean: "Moyenne {mean}, écart {spread}."
list.two: "{a} et {b}"
ordinal.rank:
  one: "{n}er"
  other: "{n}e"
`)
	ts, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(ts...)
	if err != nil {
		t.Fatal(err)
	}
	fr := c.Printer("de", "fr")
	for _, x := range []struct{ got, want string }{
		{fr.T("line.card", 3, "Ada", "Les bus"), "Carte 3 de Ada : Les bus"},
		{fr.T("count.cards", 0), "0 carte"},
		{fr.T("count.cards", 2), "2 cartes"},
		{fr.T("line.cards.themed", 2, fr.List([]string{"1", "2"}), "Accès"), "Les cartes 1 et 2 sont sous le thème Accès."},
		{fr.T("line.poll.mean", Decimal(3.75, 1), Decimal(1.25, 1)), "Moyenne 3,8, écart 1,2."},
		{fr.T("ordinal.rank", 1), "1er"},
		{fr.T("ordinal.rank", 2), "2e"},
		{fr.T("line.goodbye"), "Goodbye. Your place is kept; join again at any time."},
		{c.Printer("xx").T("count.cards", 2), "2 cards"},
	} {
		if x.got != x.want {
			t.Errorf("got %q, want %q", x.got, x.want)
		}
	}
	if empty, err := LoadDir(filepath.Join(dir, "none")); err != nil || len(empty) != 0 {
		t.Errorf("a folder that does not exist: %v, %v", empty, err)
	}
}

// A bad translation is refused with every problem and its line.
func TestABadTranslationIsRefusedWithItsLines(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "fr.yaml", `line.card: "Carte {card} : {text}"
line.cardz: "Carte"
line.goodbye: "Au revoir {name}."
count.cards:
  one: "{n} carte"
  few: "{n} cartes"
  other: "{n} cartes"
count.dots:
  one: "{n} point"
line.welcome:
  one: "x {forum} {name}"
  other: "y {forum} {name}"
count.items: "{n} éléments"
ordinal.rank:
  two: "{n}e"
  other: "{n}e"
line.floor: "{name a la parole."
line.card:
  other: "again"
`)
	writeFile(t, dir, "not a code.yaml", `line.goodbye: "x"`)
	_, err := LoadDir(dir)
	if err == nil {
		t.Fatal("a bad translation was taken")
	}
	var ps *Problems
	if !errors.As(err, &ps) {
		t.Fatalf("%T: %v", err, err)
	}
	for _, want := range []string{
		"fr.yaml: ",
		"line 1: line.card: placeholder {author} is missing from \"Carte {card} : {text}\"",
		"line 2: unknown key line.cardz: moot has no such message",
		"line 3: line.goodbye: unknown placeholder {name} (this message has none)",
		"line 6: count.cards: form few: fr has no such plural form (it has one, other)",
		"line 8: count.dots: the form other is missing",
		"line 10: line.welcome: the English is one text: give one text, not forms",
		"line 13: count.items: the English has forms (one, other): give forms too",
		"line 15: ordinal.rank: form two: fr has no such ordinal form (it has one, other)",
		"line 17: line.floor: a { that is never closed",
		"line 18: line.card: given already, at line 1",
		`"not a code" is not a language code`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the problems do not say %q:\n%v", want, err)
		}
	}
}

// A translation file is bounded: one larger than MaxFileBytes is refused
// before it is read.
func TestATranslationFileIsBounded(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "fr.yaml", "line.goodbye: \""+strings.Repeat("x", MaxFileBytes)+"\"\n")
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a file over the bound: %v", err)
	}
}
