package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Formats the report is written in.
const (
	Markdown = "md"
	HTML     = "html"
	JSON     = "json"
	CSV      = "csv"
)

// Formats lists the formats, as export names them.
var Formats = []string{Markdown, HTML, JSON, CSV}

// CheckFormat says what is wrong with a format and a CSV kind asked of an
// export, in the words of its options, or nil. Both ways to export (moot
// export and export over SSH) ask it, so they refuse alike.
func CheckFormat(format, kind string) error {
	switch {
	case !slices.Contains(Formats, format):
		return fmt.Errorf("unknown format %q (md, html, json or csv)", format)
	case kind != "" && format != CSV:
		return fmt.Errorf("--kind goes with --format csv")
	case kind != "" && !slices.Contains(Kinds(), kind):
		return fmt.Errorf("no CSV table %q (one of: %s)", kind, strings.Join(Kinds(), ", "))
	}
	return nil
}

// Write writes the report in a format: md, html, json, one CSV table
// (kind), or every CSV table as a zip (csv without kind).
func (r *Report) Write(out io.Writer, format, kind string) error {
	if err := CheckFormat(format, kind); err != nil {
		return err
	}
	switch {
	case format == Markdown:
		return r.WriteMarkdown(out)
	case format == HTML:
		return r.WriteHTML(out)
	case format == JSON:
		return r.WriteJSON(out)
	case kind != "":
		return r.WriteCSV(out, kind)
	}
	return r.WriteZip(out)
}

// WriteJSON writes the complete report as indented JSON.
func (r *Report) WriteJSON(out io.Writer) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// A table is one kind of CSV: its rows, the header first.
type table struct {
	kind string
	rows func(r *Report) [][]string
}

var tables = []table{{"participation", participationTable}, {"steps", stepsTable}}

// Kinds lists the kinds of CSV table, in order.
func Kinds() []string {
	out := make([]string, len(tables))
	for i, t := range tables {
		out[i] = t.kind
	}
	return out
}

// WriteCSV writes one kind of table.
func (r *Report) WriteCSV(out io.Writer, kind string) error {
	for _, t := range tables {
		if t.kind == kind {
			w := csv.NewWriter(out)
			for _, row := range t.rows(r) {
				for i := range row {
					row[i] = defuse(row[i])
				}
				if err := w.Write(row); err != nil {
					return err
				}
			}
			w.Flush()
			return w.Error()
		}
	}
	return fmt.Errorf("no CSV table %q (one of: %s)", kind, strings.Join(Kinds(), ", "))
}

// WriteZip writes every table, one file SLUG-KIND.csv each, as a zip.
func (r *Report) WriteZip(out io.Writer) error {
	z := zip.NewWriter(out)
	for _, kind := range Kinds() {
		f, err := z.CreateHeader(&zip.FileHeader{Name: r.Forum.Slug + "-" + kind + ".csv", Method: zip.Deflate, Modified: r.ExportedAt})
		if err != nil {
			return err
		}
		if err := r.WriteCSV(f, kind); err != nil {
			return err
		}
	}
	return z.Close()
}

// Files is every table as file name and contents, for writing a folder.
func (r *Report) Files() (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, kind := range Kinds() {
		var b bytes.Buffer
		if err := r.WriteCSV(&b, kind); err != nil {
			return nil, err
		}
		files[r.Forum.Slug+"-"+kind+".csv"] = b.Bytes()
	}
	return files, nil
}

// defuse keeps a spreadsheet from running a cell as a formula: a cell that
// starts with = + - @ (or a tab or carriage return) gets a leading '.
// Plain decimal numbers, negative ones included, are left alone; anything
// else a number parser might take (-Inf, +NaN, 0x1p3, 1_000) is not a
// number a person wrote, and is defused like the rest.
func defuse(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if decimal.MatchString(s) {
		return s
	}
	return "'" + s
}

// decimal is a plain decimal number: a sign, digits, a point, an exponent.
var decimal = regexp.MustCompile(`^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)

// Undefuse reverses defuse, for programs that read the CSV back.
func Undefuse(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

func participationTable(r *Report) [][]string {
	rows := [][]string{{"sector", "people", "pooled"}}
	for _, s := range r.Participation.BySector {
		rows = append(rows, []string{s.Sector, strconv.Itoa(s.People), strings.Join(s.Pooled, "; ")})
	}
	return rows
}

func stepsTable(r *Report) [][]string {
	rows := [][]string{{"step", "title", "phase", "prompt", "timebox_minutes", "started_at"}}
	for _, s := range r.Steps {
		started := ""
		if s.StartedAt != nil {
			started = s.StartedAt.Format(time.RFC3339)
		}
		rows = append(rows, []string{strconv.Itoa(s.Number), s.Title, string(s.Phase), s.Prompt, strconv.Itoa(s.TimeboxMinutes), started})
	}
	return rows
}
