package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"moot/session"
)

// Formats the report is written in.
const (
	Markdown = "md"
	JSON     = "json"
	CSV      = "csv"
)

// mdWriter gathers Markdown.
type mdWriter struct{ b strings.Builder }

func (w *mdWriter) line(s string) { w.b.WriteString(s + "\n") }
func (w *mdWriter) blank()        { w.b.WriteString("\n") }
func (w *mdWriter) heading(level int, s string) {
	w.line(strings.Repeat("#", level) + " " + s)
	w.blank()
}

// paragraphs writes text from people or the agenda, escaped, keeping its
// paragraphs.
func (w *mdWriter) paragraphs(text, prefix string) {
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			w.line(prefix + inline(p))
			w.blank()
		}
	}
}

// Sections of the Markdown report. forumSections come before the steps,
// closingSections after them; stepSections draw a phase's work under each
// of its steps and say whether they drew anything.
var (
	forumSections   = []func(r *Report, w *mdWriter){headerSection, participationSection}
	stepSections    = map[session.Phase][]func(r *Report, s *Step, w *mdWriter) bool{}
	closingSections []func(r *Report, w *mdWriter)
)

// WriteMarkdown writes the report to read.
func (r *Report) WriteMarkdown(out io.Writer) error {
	var w mdWriter
	for _, section := range forumSections {
		section(r, &w)
	}
	for i := range r.Steps {
		s := &r.Steps[i]
		w.heading(2, fmt.Sprintf("Step %d. %s (%s)", s.Number, inline(s.Title), s.Phase))
		if s.Prompt != "" {
			w.paragraphs(s.Prompt, "> ")
		}
		drew := false
		for _, section := range stepSections[s.Phase] {
			if section(r, s, &w) {
				drew = true
			}
		}
		if !drew {
			if s.StartedAt == nil {
				w.line("_The forum did not reach this step._")
			} else {
				w.line("_Nothing was recorded on this step._")
			}
			w.blank()
		}
	}
	for _, section := range closingSections {
		section(r, &w)
	}
	_, err := io.WriteString(out, strings.TrimRight(w.b.String(), "\n")+"\n")
	return err
}

func headerSection(r *Report, w *mdWriter) {
	w.heading(1, inline(r.Forum.Title))
	var facts []string
	if r.Forum.Date != "" {
		if d, err := time.Parse("2006-01-02", r.Forum.Date); err == nil {
			facts = append(facts, d.Format("2 January 2006"))
		}
	}
	facts = append(facts, "forum `"+r.Forum.Slug+"`")
	switch {
	case r.Archived:
		facts = append(facts, "archived")
	case r.Stage == session.Closed:
		facts = append(facts, "closed")
	case r.Stage == session.Lobby:
		facts = append(facts, "not yet begun")
	default:
		facts = append(facts, fmt.Sprintf("in progress (step %d of %d)", r.CurrentStep, len(r.Steps)))
	}
	w.line(strings.Join(facts, " · "))
	w.blank()
	if r.Forum.Purpose != "" {
		w.heading(2, "Purpose")
		w.paragraphs(r.Forum.Purpose, "")
	}
}

func participationSection(r *Report, w *mdWriter) {
	w.heading(2, "Participation")
	p := r.Participation
	switch p.People {
	case 0:
		w.line("Nobody has joined yet.")
		w.blank()
		return
	default:
		line := session.Count(p.Participants, "person took part", "people took part") + ". They are counted by the sector they chose, and named only if they asked to be."
		if p.Facilitators > 0 {
			line += " " + session.Count(p.Facilitators, "facilitator is", "facilitators are") + " counted apart."
		}
		w.line(line)
	}
	w.blank()
	if len(p.Named) > 0 {
		names := make([]string, len(p.Named))
		for i, n := range p.Named {
			names[i] = inline(n)
		}
		w.line("Named here because they asked to be: " + strings.Join(names, ", ") + ".")
		w.blank()
	}
	if len(p.BySector) > 0 {
		w.line("| Sector | People |")
		w.line("| --- | ---: |")
		for _, s := range p.BySector {
			name := cell(session.GroupLabel(s.Sector, s.Pooled))
			if s.Sector == "" {
				name = "_" + session.NoSectorLabel + "_"
			}
			w.line(fmt.Sprintf("| %s | %d |", name, s.People))
		}
		w.blank()
	}
	if p.BySectorNote != "" {
		w.line("_" + inline(p.BySectorNote) + "_")
		w.blank()
	}
}

// inline escapes text for Markdown so that what people wrote shows as
// written and cannot add links, images, HTML or headings of its own.
func inline(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '!', '&':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := strings.ReplaceAll(b.String(), "\n", " ")
	// A leading "-", "+" or "1." would start a list of its own.
	if listStart.MatchString(out) {
		out = "\\" + out
	}
	return out
}

var listStart = regexp.MustCompile(`^([-+=]|\d+[.)])`)

// cell is inline text for a table cell.
func cell(s string) string { return inline(s) }

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
// Numbers, negative ones included, are left alone.
func defuse(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

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
