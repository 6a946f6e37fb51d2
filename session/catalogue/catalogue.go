// Package catalogue holds every string moot's people read, in English and
// in the languages an organiser adds, and prints them in a person's
// language.
//
// A message is named by a key ("line.card.from") and written with named
// placeholders: "Card {card} from {author}: {text}". The code gives the
// arguments in the order their placeholders first appear in the English
// (in a message with forms, in its "other" form); a translation may use
// them in any order. A plural message has a form for each plural category
// of its language (one, few, many, other... as Unicode's CLDR defines
// them for it, or =N for a number exactly) and is chosen by its first
// argument, the number {n}, which a form may leave out ("Cards {cards}
// are ..." is chosen by how many cards); an ordinal message (keys
// ordinal.*: "1st", "2nd") likewise, by the ordinal categories. Numbers are written as the language writes them (its
// decimal point), never grouped: a card's number is the one people type.
//
// English is the files in en/, embedded here, one for each part of moot
// (a key is in one file only); the pseudo-locale (en-XA, accented and
// lengthened English) is made from it; a translation is one file of the
// same shape for a whole language (see Load and the README's "Languages").
//
// A message may be given as an error (Err), decided where it is refused
// and worded where it is shown (Printer.Error), and as an argument of
// another message (a Text, an error, a List). Each message has a written
// form and a spoken one, for what is read aloud (Printer.Spoken).
package catalogue

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	xmessage "golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
	"golang.org/x/text/number"
)

//go:embed en/*.yaml
var englishFiles embed.FS

// EnglishSource is the English catalogue as one file, every part's file
// in turn: what a translator copies to begin a translation (moot lang).
func EnglishSource() []byte {
	files, _ := fs.Glob(englishFiles, "en/*.yaml")
	var out []byte
	for i, name := range files {
		data, _ := englishFiles.ReadFile(name)
		if i > 0 {
			out = append(out, '\n')
		}
		out = append(out, "# ---- "+strings.TrimPrefix(name, "en/")+"\n"...)
		out = append(out, data...)
	}
	return out
}

// readEnglish reads the English from its files, each key from one file.
func readEnglish() (*Translation, error) {
	files, err := fs.Glob(englishFiles, "en/*.yaml")
	if err != nil {
		return nil, err
	}
	all := &Translation{Code: English}
	from := map[string]string{}
	for _, name := range files {
		data, err := englishFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		t, err := parse(data, English, nil)
		if err != nil {
			if ps, ok := err.(*Problems); ok {
				ps.File = name
			}
			return nil, err
		}
		for _, m := range t.messages {
			if other, twice := from[m.key]; twice {
				return nil, &Problems{File: name, List: []Problem{{m.line, m.key + ": given already, in " + other}}}
			}
			from[m.key] = name
			all.messages = append(all.messages, m)
		}
	}
	return all, nil
}

// English and Pseudo are the languages moot ships: English, and a
// pseudo-locale of accented, lengthened English for tests of coverage and
// layout.
const (
	English = "en"
	Pseudo  = "en-XA"
)

// message is one message as a language writes it: a plain text, or forms
// chosen by a number (plural or ordinal).
type message struct {
	key   string
	line  int
	text  string            // a plain message
	kind  string            // "", "plural" or "ordinal"
	forms map[string]string // by form: one, few, many, other, =0...
	// names are the placeholders, in the order the code gives them (the
	// English's order).
	names []string
}

// forms, in the order a plural's forms are tried: exact numbers first.
func (m *message) formOrder() []string {
	keys := make([]string, 0, len(m.forms))
	for f := range m.forms {
		keys = append(keys, f)
	}
	rank := func(f string) int {
		if strings.HasPrefix(f, "=") {
			return 0
		}
		return 1 + slices.Index([]string{"zero", "one", "two", "few", "many", "other"}, f)
	}
	sort.Slice(keys, func(i, j int) bool {
		if rank(keys[i]) != rank(keys[j]) {
			return rank(keys[i]) < rank(keys[j])
		}
		return keys[i] < keys[j]
	})
	return keys
}

// Catalogue is every message in every language moot serves.
type Catalogue struct {
	english  map[string]*message
	keys     []string
	builder  *catalog.Builder
	printers map[string]*Printer
	// ordinals are the ordinal messages' forms by language and key.
	ordinals map[string]map[string]*message
}

// New is the catalogue of English and the pseudo-locale, with the
// translations given added.
func New(translations ...*Translation) (*Catalogue, error) {
	english, err := readEnglish()
	if err != nil {
		return nil, err
	}
	c := &Catalogue{english: map[string]*message{}, builder: catalog.NewBuilder(catalog.Fallback(language.English)),
		printers: map[string]*Printer{}, ordinals: map[string]map[string]*message{}}
	for _, m := range english.messages {
		c.english[m.key] = m
		c.keys = append(c.keys, m.key)
	}
	sort.Strings(c.keys)
	langs := []*Translation{english, pseudoOf(english)}
	langs = append(langs, translations...)
	for _, t := range langs {
		if err := c.add(t); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// add puts a language's messages in the catalogue, English where it has
// none.
func (c *Catalogue) add(t *Translation) error {
	tag := language.Make(t.Code)
	if _, ok := c.printers[t.Code]; ok {
		return fmt.Errorf("%s is given twice", t.Code)
	}
	own := map[string]*message{}
	for _, m := range t.messages {
		own[m.key] = m
	}
	c.ordinals[t.Code] = map[string]*message{}
	for _, key := range c.keys {
		m := own[key]
		if m == nil {
			m = c.english[key]
		}
		if err := c.set(tag, t.Code, m, c.english[key]); err != nil {
			return fmt.Errorf("%s: line %d: %s: %w", t.Code, m.line, key, err)
		}
	}
	written := &Printer{code: t.Code, tag: tag, cat: c, p: xmessage.NewPrinter(tag, xmessage.Catalog(c.builder))}
	spoken := *written
	spoken.spoken, spoken.written, written.written = true, written, written
	written.spokenForm = &spoken
	spoken.spokenForm = &spoken
	c.printers[t.Code] = written
	return nil
}

// set compiles one message of a language into x/text's catalogue, as it
// is written and as it is spoken: its placeholders become printf verbs
// that name the English's arguments.
func (c *Catalogue) set(tag language.Tag, code string, m, english *message) error {
	if m.kind == "ordinal" {
		c.ordinals[code][m.key] = m
	}
	for _, spoken := range []bool{false, true} {
		key := m.key
		format := func(text string) string { return toFormat(text, english.names) }
		if spoken {
			key = spokenPrefix + m.key
			format = func(text string) string { return toFormat(spokenOf(text), english.names) }
		}
		var err error
		switch m.kind {
		case "":
			err = c.builder.SetString(tag, key, format(m.text))
		case "ordinal":
			for _, f := range m.formOrder() {
				if err = c.builder.SetString(tag, key+"#"+f, format(m.forms[f])); err != nil {
					break
				}
			}
		default:
			var cases []any
			for _, f := range m.formOrder() {
				cases = append(cases, f, format(m.forms[f]))
			}
			err = c.builder.Set(tag, key, plural.Selectf(1, "", cases...))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// spokenPrefix names a message's spoken form in x/text's catalogue.
const spokenPrefix = "spoken:"

// spokenOf is a message as line mode says it, to be read aloud: a number
// written #{card} on a screen is said "{card}", and parts set apart by a
// middle dot are said as a list is (a speech synthesiser reads "#" as
// "hash" and "·" as "middle dot").
func spokenOf(text string) string {
	return strings.NewReplacer("#{", "{", " · ", ", ").Replace(text)
}

// Keys are every message's key, sorted.
func (c *Catalogue) Keys() []string { return c.keys }

// English text of a key (its "other" form for a plural), for tests and
// the README.
func (c *Catalogue) English(key string) string {
	m := c.english[key]
	if m == nil {
		return ""
	}
	if m.kind != "" {
		return m.forms["other"]
	}
	return m.text
}

// Args is how many arguments a key's message takes; -1 for no such key.
func (c *Catalogue) Args(key string) int {
	if m := c.english[key]; m != nil {
		return len(m.names)
	}
	return -1
}

// Has tells whether the catalogue has a language.
func (c *Catalogue) Has(code string) bool {
	_, ok := c.printers[code]
	return ok
}

// Languages are the codes of the languages the catalogue has.
func (c *Catalogue) Languages() []string {
	var out []string
	for code := range c.printers {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}

// Printer prints in the first of codes the catalogue has (a person's
// choice, then their forum's), else in English. A nil catalogue prints
// English.
func (c *Catalogue) Printer(codes ...string) *Printer {
	if c == nil {
		return Default().Printer(codes...)
	}
	for _, code := range codes {
		if p, ok := c.printers[code]; ok {
			return p
		}
	}
	return c.printers[English]
}

// Printer prints a language's messages. It is safe for concurrent use.
type Printer struct {
	code string
	tag  language.Tag
	cat  *Catalogue
	p    *xmessage.Printer
	// spoken is set on the printer of the messages' spoken forms;
	// written and spokenForm are the language's two printers.
	spoken              bool
	written, spokenForm *Printer
}

// Lang is the printer's language code.
func (p *Printer) Lang() string { return p.code }

// Spoken is the printer of the same language for what is read aloud
// (line mode): each message in its spoken form (see spokenOf).
func (p *Printer) Spoken() *Printer { return p.spokenForm }

// Written is the printer of the same language for what is read on a
// screen.
func (p *Printer) Written() *Printer { return p.written }

// IsSpoken tells whether the printer prints the spoken forms.
func (p *Printer) IsSpoken() bool { return p.spoken }

// T is the message of key with args, in the printer's language.
func (p *Printer) T(key string, args ...any) string {
	m := p.cat.english[key]
	if m == nil {
		return key
	}
	n := 0
	if len(args) > 0 {
		n = intOf(args[0])
	}
	args = slices.Clone(args)
	for i, a := range args {
		args[i] = p.arg(a)
	}
	if m.kind == "ordinal" {
		return p.ordinal(key, n, args)
	}
	return p.p.Sprintf(p.prefix()+key, args...)
}

// List is items a message gives as a list, joined as the language
// joins one ("A, B and C"); Commas are items joined by commas alone. An
// item may be a Text, printed in the language.
type (
	List   []any
	Commas []any
)

// arg is an argument of a message as the language writes it.
func (p *Printer) arg(a any) any {
	switch x := a.(type) {
	case error:
		return p.Error(x)
	case Text:
		return p.Text(x)
	case List:
		return p.List(p.items(x))
	case Commas:
		return strings.Join(p.items(x), p.T("sep.comma"))
	}
	return numeral(a)
}

func (p *Printer) items(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p.p.Sprint(p.arg(x))
	}
	return out
}

func (p *Printer) prefix() string {
	if p.spoken {
		return spokenPrefix
	}
	return ""
}

// List joins items as the language does: "Bob", "Bob and Cy", "Bob, Cy
// and Dee".
func (p *Printer) List(items []string) string {
	switch n := len(items); n {
	case 0:
		return ""
	case 1:
		return items[0]
	case 2:
		return p.T("list.two", items[0], items[1])
	default:
		s := p.T("list.end", items[n-2], items[n-1])
		for i := n - 3; i >= 0; i-- {
			s = p.T("list.start", items[i], s)
		}
		return s
	}
}

// ordinal chooses an ordinal message's form by its first argument.
func (p *Printer) ordinal(key string, n int, args []any) string {
	own := p.cat.ordinals[p.code][key]
	form := plural.Ordinal.MatchPlural(p.tag, n, 0, 0, 0, 0)
	name := formName(form)
	if _, ok := own.forms["="+fmt.Sprint(n)]; ok {
		name = "=" + fmt.Sprint(n)
	} else if _, ok := own.forms[name]; !ok {
		name = "other"
	}
	return p.p.Sprintf(p.prefix()+key+"#"+name, args...)
}

// Decimal is a number written with places digits after the language's
// decimal point.
func Decimal(x float64, places int) any {
	return number.Decimal(x, number.Scale(places), number.NoSeparator())
}

// numeral makes an integer a number the language writes, never grouped.
func numeral(a any) any {
	switch x := a.(type) {
	case int, int64, int32, uint, uint64:
		return number.Decimal(x, number.NoSeparator())
	}
	return a
}

func intOf(a any) int {
	switch x := a.(type) {
	case int:
		return x
	case int64:
		return int(x)
	}
	return 0
}

func formName(f plural.Form) string {
	switch f {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

// toFormat turns a template's placeholders into printf verbs naming the
// arguments' positions, and doubles every other %.
func toFormat(text string, names []string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '%':
			b.WriteString("%%")
		case c == '{':
			end := strings.IndexByte(text[i:], '}')
			name := text[i+1 : i+end]
			fmt.Fprintf(&b, "%%[%d]v", slices.Index(names, name)+1)
			i += end
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// placeholders are the names of a template's placeholders, in order of
// first appearance; err tells a brace that opens no placeholder.
func placeholders(text string) ([]string, error) {
	var names []string
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '}':
			return nil, fmt.Errorf("a } that closes no placeholder")
		case '{':
			end := strings.IndexByte(text[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("a { that is never closed")
			}
			name := text[i+1 : i+end]
			if name == "" || strings.TrimFunc(name, func(r rune) bool { return r >= 'a' && r <= 'z' || r == '_' || r >= '0' && r <= '9' }) != "" {
				return nil, fmt.Errorf("placeholder {%s}: a name of a-z, 0-9 and _", name)
			}
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
			i += end
		}
	}
	return names, nil
}

// Default is the catalogue of English and the pseudo-locale alone, for
// whatever is given no catalogue of its own (the English is tested, so
// it cannot fail here).
var Default = sync.OnceValue(func() *Catalogue {
	c, err := New()
	if err != nil {
		panic("catalogue: " + err.Error())
	}
	return c
})

// Text is a message to be printed later, in its reader's language: what
// a part of moot that does not know who will read it (a view of the
// forum, shared by everyone in an audience) gives the front ends.
type Text struct {
	Key  string
	Args []any
}

// Msg is the message of key with args, to be printed later.
func Msg(key string, args ...any) Text { return Text{Key: key, Args: args} }

// String is the text in English.
func (t Text) String() string { return Default().Printer().Text(t) }

// IsZero tells whether there is no message.
func (t Text) IsZero() bool { return t.Key == "" }

// Text prints a message given earlier.
func (p *Printer) Text(t Text) string {
	if t.Key == "" {
		return ""
	}
	return p.T(t.Key, t.Args...)
}
