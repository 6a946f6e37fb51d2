package report

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// commonMark reads Markdown as GitHub does (CommonMark, its tables and
// strikethrough), to check what a reader of the rendered report sees.
var commonMark = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

func render(t testing.TB, md string) string {
	t.Helper()
	var b bytes.Buffer
	if err := commonMark.Convert([]byte(md), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The texts people type that Markdown would read as markup.
var tricky = []string{
	"resources & assets", "Fish & chips &amp; peas", "&#38; &copy; &nbsp", "a_b_c snake_case", "_emph_ and __strong__", "*bold* and **more**",
	"`code` and ``more``", "<b>bold</b> <!-- c --> <http://x>", "[link](http://x) ![img](x.png) [ref]", "# heading", "## two", "#hashtag",
	"- item", "+ item", "* item", "1. item", "2) item", "2026. A year", "> quote", "a | b | c", "~~strike~~ ~one~", `C:\path\ and \* and \\`,
	"trailing #", "ends with ##", "x *y* z", "100% = 1+2", "=HYPERLINK(\"x\")", "---", "===", "a  b", "\\", "emoji ★ and “quotes”", "tab\tin",
	"line\nbreak", "*", "_", "<", "&", "[", "]", "!", "#", "see www.example.org today", "https://evil.example/path?q=1", "mail ada@example.org",
}

// Text from people reads as written once rendered, wherever the report
// puts it: a paragraph, a list item, a note, a heading, a table cell.
func TestMarkdownShowsTextAsWritten(t *testing.T) {
	for _, s := range tricky {
		want := strings.Join(strings.Fields(s), " ")
		places := []struct {
			name string
			doc  *document
			tag  string
		}{
			{"paragraph", &document{Title: "T", Lead: []block{para(text(s))}}, "p"},
			{"list item", &document{Title: "T", Lead: []block{list([]span{text(s)})}}, "li"},
			{"note", &document{Title: "T", Lead: []block{note(s)}}, "em"},
			{"quote", &document{Title: "T", Lead: []block{quote(s)}}, "p"},
			{"after a number", &document{Title: "T", Lead: []block{para(strong("1."), text(" "+s))}}, "p"},
			{"heading", &document{Title: s}, "h1"},
			{"table cell", &document{Title: "T", Lead: []block{{Table: &grid{Columns: []column{{Title: s}, {Title: "n"}}, Rows: [][]string{{s, "1"}}}}}}, "td"},
		}
		for _, p := range places {
			var w mdWriter
			w.document(p.doc)
			out := render(t, w.b.String())
			got, ok := textOf(out, p.tag, p.name == "after a number")
			if !ok || got != want {
				t.Errorf("%q in a %s: Markdown\n%s\nrenders as\n%s\nwant the text %q", s, p.name, w.b.String(), out, want)
			}
		}
	}
}

// textOf finds the text of the first element with the tag in rendered
// HTML, and says whether it held nothing but text (after a number: the
// <strong> number first).
func textOf(out, tag string, numbered bool) (string, bool) {
	m := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`).FindStringSubmatch(out)
	if tag == "h1" {
		m = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`).FindStringSubmatch(out)
	}
	if m == nil {
		return "", false
	}
	// The empty comment that keeps an address from being a link shows as
	// nothing.
	inner := strings.ReplaceAll(m[1], "<!-- raw HTML omitted -->", "")
	if numbered {
		var ok bool
		if inner, ok = strings.CutPrefix(inner, "<strong>1.</strong> "); !ok {
			return "", false
		}
	}
	if strings.Contains(inner, "<") {
		return inner, false
	}
	return strings.Join(strings.Fields(html.UnescapeString(inner)), " "), true
}

// An & or a # in the middle of a sentence reads as itself in the
// Markdown file too: only what Markdown would take as markup is escaped.
func TestMarkdownEscapesOnlyMarkup(t *testing.T) {
	for in, want := range map[string]string{
		"resources & assets": "resources & assets",
		"&amp;":              `\&amp;`,
		"a_b":                "a_b",
		"_a_":                `\_a\_`,
		"#1 priority":        "#1 priority",
		"# heading":          `\# heading`,
		"- item":             `\- item`,
		"-5 degrees":         "-5 degrees",
		"1. item":            `1\. item`,
		"<b>":                `\<b>`,
		"100% sure!":         "100% sure!",
	} {
		if got := escape(in, inText); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzMarkdownText(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.Join(strings.Fields(s), " ")
		if s == "" || strings.ContainsAny(s, "\x00\r") || !utf8.ValidString(s) {
			return
		}
		var w mdWriter
		w.document(&document{Title: "T", Lead: []block{list([]span{text(s)})}})
		got, ok := textOf(render(t, w.b.String()), "li", false)
		if !ok || got != s {
			t.Errorf("%q renders as %q", s, got)
		}
	})
}
