package report

import (
	_ "embed"
	"html/template"
	"io"
)

// The HTML report is one file that needs nothing else: its styles are in
// it (for the screen and for print), it runs no script and loads nothing,
// and it is drawn from the same document as the Markdown, by html/template,
// which escapes every piece of text once as it writes it.

//go:embed report.html
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// WriteHTML writes the report to read as one self-contained HTML page.
func (r *Report) WriteHTML(out io.Writer) error {
	return htmlTemplate.ExecuteTemplate(out, "report", r.document())
}
