package report

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
)

// Text from people reads as written in the HTML report, escaped once by
// html/template: never as markup, never as a visible escape.
func TestHTMLShowsTextAsWritten(t *testing.T) {
	for _, s := range tricky {
		want := strings.Join(strings.Fields(s), " ")
		doc := &document{Lang: "en", Title: s, Lead: []block{para(text(s))},
			Sections: []*section{{Title: s, Blocks: []block{{Table: &grid{Caption: s, Columns: []column{{Title: s}}, Rows: [][]string{{s}}}}}}}}
		doc.anchors()
		var b bytes.Buffer
		if err := htmlTemplate.ExecuteTemplate(&b, "report", doc); err != nil {
			t.Fatal(err)
		}
		for _, tag := range []string{"title", "h1", "p", "h2", "caption", "th", "td"} {
			m := regexp.MustCompile(`(?s)<` + tag + `(\s[^>]*)?>(.*?)</` + tag + `>`).FindStringSubmatch(b.String())
			if m == nil || strings.Contains(m[2], "<") {
				t.Errorf("%q in <%s>: %v", s, tag, m)
				continue
			}
			if got := strings.Join(strings.Fields(html.UnescapeString(m[2])), " "); got != want {
				t.Errorf("%q in <%s> reads %q", s, tag, got)
			}
		}
	}
}
