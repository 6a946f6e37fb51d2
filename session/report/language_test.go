package report_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"moot/session"
	"moot/session/catalogue"
	"moot/session/report"
)

// The report to read is in the language asked for, else the forum's;
// what is for programs (JSON and CSV) is the same in every language.
func TestReportIsInItsLanguage(t *testing.T) {
	h := forum(t) // a forum with no language of its own
	write := func(lang, format string) string {
		t.Helper()
		var b bytes.Buffer
		if err := buildLang(t, h, "", lang).Write(&b, format, ""); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	english, golden := write("", report.Markdown), must(os.ReadFile(filepath.Join("testdata", "report.md.golden")))
	if english != string(golden) || write(catalogue.English, report.Markdown) != english {
		t.Errorf("a forum with no language of its own is not reported in English")
	}
	pseudo := write(catalogue.Pseudo, report.Markdown)
	if pseudo == english || !strings.Contains(pseudo, "## \\[Çöñţéñţš ōñé\\]") || !strings.Contains(pseudo, "Meet at varied times, some on Tuesday evenings, with childcare") {
		t.Errorf("the report asked for in en-XA:\n%s", pseudo)
	}
	if html := write(catalogue.Pseudo, report.HTML); !strings.Contains(html, `<html lang="en-XA">`) {
		t.Errorf("the HTML in en-XA does not say so")
	}
	for _, format := range []string{report.JSON, report.CSV} {
		if write(catalogue.Pseudo, format) != write("", format) {
			t.Errorf("%s differs by language: it is for programs, in English", format)
		}
	}

	// A forum in en-XA is reported in it, unless another is asked for.
	inPseudo := hubOf(t, &session.Forum{Slug: "f", Title: "Riverside forum", Lang: catalogue.Pseudo, Date: "2026-12",
		Steps: []session.Step{{Title: "Ideas", Phase: session.Dialogue}}})
	var b bytes.Buffer
	if err := buildLang(t, inPseudo, "", "").WriteMarkdown(&b); err != nil || !strings.Contains(b.String(), "\\[Ţĥĩš ŕéþöŕţ ŵåš ɱåðé ƀéƒöŕé ţĥé ƒöŕûɱ ƀéĝåñ.") ||
		!strings.Contains(b.String(), "\n\\[Ðéçéɱƀéŕ 2026 ōñé") {
		t.Errorf("a forum in en-XA, reported in its language: %v\n%s", err, b.String())
	}
	b.Reset()
	if err := buildLang(t, inPseudo, "", catalogue.English).WriteMarkdown(&b); err != nil || !strings.Contains(b.String(), "_This report was made before the forum began._") ||
		!strings.Contains(b.String(), "\nDecember 2026\n") {
		t.Errorf("a forum in en-XA, reported in English: %v\n%s", err, b.String())
	}
}

// A translation gives the report its words, its dates and its numbers:
// the month's name after a day, counts in words, the decimal comma.
func TestReportInATranslation(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fr.yaml"), []byte(`report.day.december: "{day} décembre {year}"
report.contents: "Sommaire"
report.number:
  =1: "une"
  =2: "deux"
  other: "{n}"
report.persons:
  one: "{count} personne"
  other: "{count} personnes"
report.reached.amended_by: "amendée par {people}"
report.poll.mean: "Moyenne {mean}, écart {spread} (écart type)."
report.percent: "{percent} %"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	ts, err := catalogue.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalogue.New(ts...)
	if err != nil {
		t.Fatal(err)
	}
	lang, err := report.Language(cat, "FR")
	if err != nil || lang != "fr" {
		t.Fatalf("fr: %q %v", lang, err)
	}
	write := func(h *session.Hub) string {
		t.Helper()
		snap := h.Snapshot()
		log, err := h.Log(context.Background(), snap.Seq)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := report.Build(report.Input{Snapshot: snap, Log: log, Catalogue: cat, Lang: lang}).WriteMarkdown(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	md := write(forum(t))
	for _, want := range []string{"\n5 décembre 2026\n", "## Sommaire", "amendée par deux personnes", "| 38 % |",
		"_Each person had 5 dots to spend."} { // what it leaves out is in English
		if !strings.Contains(md, want) {
			t.Errorf("the report in French does not say %q:\n%s", want, md)
		}
	}
	polls := write(tablesForum(t))
	for _, want := range []string{"Moyenne 2,75, écart 1,42 (écart type).", "| 2,50 |"} {
		if !strings.Contains(polls, want) {
			t.Errorf("the report in French does not say %q:\n%s", want, polls)
		}
	}
	if _, err := report.Language(cat, "de"); err == nil || err.Error() != `this server has no language "de"; there are en, en-XA, fr` {
		t.Errorf("a language the server has not: %v", err)
	}
	if lang, err := report.Language(nil, ""); err != nil || lang != "" {
		t.Errorf("no language asked: %q %v", lang, err)
	}
}
