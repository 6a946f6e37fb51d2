package report

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"moot/session/catalogue"
)

// The report to read is first laid out as a document: sections with
// headings, and in them paragraphs, notes, quotes, lists and tables of
// plain text. Markdown and HTML are two drawings of the same document, so
// they say the same things in the same order, and text from people is
// escaped once, by the drawing, never before.

// document is the report to read.
type document struct {
	// Lang is the language it is written in (a BCP 47 code).
	Lang  string
	Title string
	// TitleID is the title heading's anchor.
	TitleID string
	// Lead is what is said under the title: the date, the purpose.
	Lead     []block
	Contents bool
	// ContentsTitle is the contents' heading, ContentsID its anchor.
	ContentsTitle string
	ContentsID    string
	Sections      []*section
}

// section is a heading and what follows it, down to its subsections.
type section struct {
	Title string
	// ID is the heading's anchor, as GitHub makes it from the title, so
	// that the contents' links work in Markdown and HTML alike.
	ID       string
	Level    int // 2 for a top-level section, 3 and 4 below
	Blocks   []block
	Sections []*section
}

// sub adds a subsection.
func (s *section) sub(title string) *section {
	c := &section{Title: title}
	s.Sections = append(s.Sections, c)
	return c
}

// add adds blocks.
func (s *section) add(b ...block) { s.Blocks = append(s.Blocks, b...) }

// empty tells whether the section says nothing.
func (s *section) empty() bool { return len(s.Blocks) == 0 && len(s.Sections) == 0 }

// block is one of: a paragraph (Spans), a note (Spans, Note: a remark
// about what is reported, set in italics), a quote
// (Spans, Quote), a list (Items), a table (Table), or a group of blocks
// that belong together (Group, with Class and ID for HTML).
type block struct {
	Spans []span
	Note  bool
	Quote bool
	Items [][]span
	Table *grid
	Group []block
	Class string
	ID    string
}

// span is a run of text, plain, emphasised or strong.
type span struct {
	Text   string
	Em     bool
	Strong bool
}

// grid is a table of text: its first column heads each row when
// RowHeader is set. Captions are for HTML; Markdown tables follow a
// heading or a paragraph that says what they hold.
type grid struct {
	Caption   string
	Columns   []column
	RowHeader bool
	Rows      [][]string
}

type column struct {
	Title   string
	Numeric bool
}

func text(s string) span   { return span{Text: s} }
func em(s string) span     { return span{Text: s, Em: true} }
func strong(s string) span { return span{Text: s, Strong: true} }

func para(spans ...span) block   { return block{Spans: spans} }
func note(s string) block        { return block{Spans: []span{text(s)}, Note: true} }
func quote(s string) block       { return block{Spans: []span{text(s)}, Quote: true} }
func list(items ...[]span) block { return block{Items: append([][]span{}, items...)} }

// paragraphs splits text from people or the agenda into its paragraphs
// (a blank line between them), each drawn by make.
func paragraphs(s string, make func(string) block) []block {
	var out []block
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, make(p))
		}
	}
	return out
}

// anchors gives every heading its anchor in document order, as GitHub
// does: the title lower-cased, spaces made hyphens, punctuation dropped,
// and -1, -2 ... after an anchor already given.
func (d *document) anchors() {
	seen := map[string]int{}
	id := func(title string) string {
		base := slugOf(title)
		n, dup := seen[base]
		seen[base] = n + 1
		if !dup {
			return base
		}
		for {
			cand := base + "-" + strconv.Itoa(n)
			if _, taken := seen[cand]; !taken {
				seen[cand] = 1
				return cand
			}
			n++
		}
	}
	d.TitleID = id(d.Title)
	if d.Contents {
		d.ContentsID = id(d.ContentsTitle)
	}
	var walk func(ss []*section, level int)
	walk = func(ss []*section, level int) {
		for _, s := range ss {
			s.ID, s.Level = id(s.Title), level
			walk(s.Sections, level+1)
		}
	}
	walk(d.Sections, 2)
}

func slugOf(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// voice writes the report's words in its language: the catalogue's
// messages, and numbers as the language writes them.
type voice struct {
	*catalogue.Printer
	numbers *message.Printer
	upper   cases.Caser
}

func newVoice(p *catalogue.Printer) *voice {
	tag := language.Make(p.Lang())
	return &voice{Printer: p, numbers: message.NewPrinter(tag), upper: cases.Upper(tag)}
}

// english is the voice of what the report says for programs (JSON, CSV),
// which is English in every language.
var english = sync.OnceValue(func() *voice { return newVoice(catalogue.Default().Printer(catalogue.English)) })

// num writes a whole number, never grouped: a card's number is the one
// people type.
func (v *voice) num(n int) string {
	return v.numbers.Sprint(number.Decimal(n, number.NoSeparator()))
}

// decimal writes a number with places digits after the decimal point.
func (v *voice) decimal(x float64, places int) string {
	return v.numbers.Sprint(catalogue.Decimal(x, places))
}

// percent writes a share (0..1) as a whole percentage.
func (v *voice) percent(share float64) string {
	return v.T("report.percent", catalogue.Decimal(share*100, 0))
}

// word writes a count as a word where the language has one for it ("two
// people"), else in digits.
func (v *voice) word(n int) string { return v.T("report.number", n) }

// then joins sentences.
func (v *voice) then(sentences ...string) string {
	out := ""
	for _, s := range sentences {
		switch {
		case s == "":
		case out == "":
			out = s
		default:
			out = v.T("report.then", out, s)
		}
	}
	return out
}

// joined joins items with the language's comma.
func (v *voice) joined(items []string) string { return strings.Join(items, v.T("sep.comma")) }

// capital makes a text's first letter a capital, as the language does.
func (v *voice) capital(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return v.upper.String(string(r)) + s[size:]
}
