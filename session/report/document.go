package report

import (
	"strconv"
	"strings"
	"unicode"
)

// The report to read is first laid out as a document: sections with
// headings, and in them paragraphs, notes, quotes, lists and tables of
// plain text. Markdown and HTML are two drawings of the same document, so
// they say the same things in the same order, and text from people is
// escaped once, by the drawing, never before.

// document is the report to read.
type document struct {
	Lang  string
	Title string
	// TitleID is the title heading's anchor.
	TitleID string
	// Lead is what is said under the title: the date, the purpose.
	Lead     []block
	Contents bool
	// ContentsID is the contents heading's anchor.
	ContentsID string
	Sections   []*section
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
		d.ContentsID = id("Contents")
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

// English for counts and order in the report's sentences.

var smallNumbers = []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

// number writes a small number as a word ("two"), a larger one in digits.
func number(n int) string {
	if n >= 0 && n < len(smallNumbers) {
		return smallNumbers[n]
	}
	return strconv.Itoa(n)
}

// counted writes a count of things in words: "one block", "two blocks".
func counted(n int, one, many string) string {
	if n == 1 {
		return "one " + one
	}
	return number(n) + " " + many
}

var ordinals = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}

// ordinal writes a position: "second", "12th".
func ordinal(n int) string {
	if n > 0 && n < len(ordinals) {
		return ordinals[n]
	}
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// times writes how often: "once", "twice", "three times".
func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return number(n) + " times"
}

// sentence makes a clause a sentence: a capital first, a full stop last.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	s = string(r)
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}
