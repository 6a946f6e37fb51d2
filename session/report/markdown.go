package report

import (
	"io"
	"regexp"
	"strings"
)

// WriteMarkdown writes the report to read, as Markdown (CommonMark with
// GitHub's tables).
func (r *Report) WriteMarkdown(out io.Writer) error {
	var w mdWriter
	w.document(r.document())
	_, err := io.WriteString(out, strings.TrimRight(w.b.String(), "\n")+"\n")
	return err
}

// mdWriter draws a document as Markdown.
type mdWriter struct{ b strings.Builder }

func (w *mdWriter) line(s string) { w.b.WriteString(s + "\n") }
func (w *mdWriter) blank()        { w.b.WriteString("\n") }

func (w *mdWriter) document(d *document) {
	w.line("# " + heading(d.Title))
	w.blank()
	w.blocks(d.Lead)
	if d.Contents {
		w.line("## " + heading(d.ContentsTitle))
		w.blank()
		for _, s := range d.Sections {
			w.line("- " + link(s))
			for _, c := range s.Sections {
				w.line("  - " + link(c))
			}
		}
		w.blank()
	}
	for _, s := range d.Sections {
		w.section(s)
	}
}

func link(s *section) string {
	return "[" + escape(s.Title, inLinkText) + "](#" + s.ID + ")"
}

func (w *mdWriter) section(s *section) {
	w.line(strings.Repeat("#", s.Level) + " " + heading(s.Title))
	w.blank()
	w.blocks(s.Blocks)
	for _, c := range s.Sections {
		w.section(c)
	}
}

func (w *mdWriter) blocks(bs []block) {
	for _, b := range bs {
		switch {
		case b.Group != nil:
			w.blocks(b.Group)
			continue
		case b.Table != nil:
			w.table(b.Table)
		case b.Items != nil:
			for _, item := range b.Items {
				w.line("- " + spans(item, inText))
			}
		case b.Quote:
			w.line("> " + spans(b.Spans, inText))
		case b.Note:
			marked := make([]span, len(b.Spans))
			for i, s := range b.Spans {
				marked[i] = s
				marked[i].Em = !s.Strong
			}
			w.line(spans(marked, inText))
		default:
			w.line(spans(b.Spans, inText))
		}
		w.blank()
	}
}

func (w *mdWriter) table(t *grid) {
	var head, rule []string
	for _, c := range t.Columns {
		head = append(head, escape(c.Title, inCell))
		if c.Numeric {
			rule = append(rule, "---:")
		} else {
			rule = append(rule, "---")
		}
	}
	w.line("| " + strings.Join(head, " | ") + " |")
	w.line("| " + strings.Join(rule, " | ") + " |")
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = escape(c, inCell)
		}
		w.line("| " + strings.Join(cells, " | ") + " |")
	}
}

// spans writes runs of text, emphasis as _text_ and strong as **text**.
// The marks go around the words, never around the spaces beside them
// (Markdown would not read them as marks there).
func spans(ss []span, where context) string {
	var b strings.Builder
	for i, s := range ss {
		mark := ""
		switch {
		case s.Strong:
			mark = "**"
		case s.Em:
			mark = "_"
		}
		// Only unmarked text at the start of a line could start a list
		// or a heading there.
		at := where
		if i > 0 || mark != "" {
			at |= midLine
		}
		t := escape(s.Text, at)
		if mark == "" || strings.TrimSpace(t) == "" {
			b.WriteString(t)
			continue
		}
		core := strings.TrimSpace(t)
		lead := t[:strings.Index(t, core)]
		trail := t[len(lead)+len(core):]
		b.WriteString(lead + mark + core + mark + trail)
	}
	return b.String()
}

// heading is text for a heading: a # at its end would be taken as the
// heading's closing marks.
func heading(s string) string {
	t := escape(s, inText)
	if strings.HasSuffix(t, "#") && !strings.HasSuffix(t, `\#`) {
		t = t[:len(t)-1] + `\#`
	}
	return t
}

// context says where escaped text goes.
type context int

const (
	inText context = 1 << iota
	inCell
	inLinkText
	// midLine is text that does not start a line.
	midLine
)

// escape writes text from people or the agenda so that Markdown shows it
// as written and it cannot add emphasis, links, images, HTML, headings or
// lists of its own. It escapes only what would be read as Markdown where
// the text goes, so that an & or a # in the middle of a sentence reads as
// itself in the Markdown file too, not as \& or \#.
//
// GitHub's Markdown also makes links of bare text: www.example.org,
// https://example.org, ada@example.org. Escaping the '.' after "www" and
// the ':' before "//" keeps the first two text. An address is found after
// escapes are undone, so an empty HTML comment after each '@' splits it
// instead: it shows as nothing, and a renderer that drops raw HTML drops
// it.
func escape(s string, where context) string {
	s = strings.ReplaceAll(s, "\n", " ")
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		prev := rune(0)
		if i > 0 {
			prev = rs[i-1]
		}
		switch r {
		case '*', '`', '[', ']', '<', '~':
			b.WriteByte('\\')
		case '\\':
			// A backslash escapes only the punctuation after it.
			if isPunct(next) || next == 0 {
				b.WriteByte('\\')
			}
		case '_':
			// Inside a word (snake_case) it is a letter; at a word's
			// edge it may start or end emphasis.
			if !isWordRune(prev) || !isWordRune(next) {
				b.WriteByte('\\')
			}
		case '&':
			// Only an entity (&amp; &#38;) would be read as one.
			if entity.MatchString(string(rs[i:min(i+40, len(rs))])) {
				b.WriteByte('\\')
			}
		case '|':
			if where&inCell != 0 {
				b.WriteByte('\\')
			}
		case ':':
			if next == '/' && i+2 < len(rs) && rs[i+2] == '/' {
				b.WriteByte('\\')
			}
		case '.':
			if i >= 3 && strings.EqualFold(string(rs[i-3:i]), "www") {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
		if r == '@' {
			b.WriteString("<!-- -->")
		}
	}
	out := b.String()
	if where&(midLine|inCell|inLinkText) != 0 {
		return out
	}
	// A leading "- ", "+ ", ">" or "# " would start a list, a quote or a
	// heading of its own, dashes alone a rule, and "1. " or "1) " a numbered list
	// (a backslash before a digit is no escape: it goes before the mark).
	if listNumber.MatchString(out) {
		mark := strings.IndexAny(out, ".)")
		return out[:mark] + `\` + out[mark:]
	}
	if lineMark.MatchString(out) {
		return `\` + out
	}
	return out
}

var (
	lineMark   = regexp.MustCompile(`^([-+](\s|$)|>|#{1,6}(\s|$)|-[\s-]*$)`)
	listNumber = regexp.MustCompile(`^\d{1,9}[.)](\s|$)`)
	entity     = regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});`)
)

func isPunct(r rune) bool {
	return r > 0 && r < 128 && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", r)
}

func isWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127
}
