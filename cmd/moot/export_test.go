package main_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"moot/session/report"
)

// Two forums from agenda files on one server, one in French (a
// translation in the data folder's lang/); cards in the other; the report exported offline from the data folder
// while the server runs, in every format, order and language, and over
// SSH by a facilitator (not a participant), byte for byte the same.
func TestExportWhileServing(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	fac, ada := newKey(t), newKey(t)
	facLine := string(gossh.MarshalAuthorizedKey(fac.PublicKey()))
	agendas := map[string]string{
		"riverside.yaml": "slug: riverside\ntitle: Riverside forum\ndate: 2026-12-05\nthemes: [Access]\nsteps:\n  - {title: Barriers, phase: dialogue}\n  - {title: Priorities, phase: voting}\n",
		"harbour.yaml":   "slug: harbour\ntitle: Harbour forum\nlang: fr\nsteps:\n  - {title: Ideas, phase: dialogue}\n",
	}
	for name, body := range agendas {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(data, "lang"), 0o700); err != nil {
		t.Fatal(err)
	}
	french := filepath.Join(data, "lang", "fr.yaml")
	if err := os.WriteFile(french, []byte("report.contents: Sommaire\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	facFile := filepath.Join(dir, "fac.pub")
	if err := os.WriteFile(facFile, []byte(facLine), 0o600); err != nil {
		t.Fatal(err)
	}
	p := serve(t, "--listen", "127.0.0.1:0", "--data", data, "--facilitators", facFile,
		"--agenda", filepath.Join(dir, "riverside.yaml"), "--agenda", filepath.Join(dir, "harbour.yaml"))
	out, _ := p.output()
	if !strings.Contains(out, "serving 2 forums") || !strings.Contains(out, "riverside@127.0.0.1") {
		t.Errorf("the start message does not list the forums:\n%s", out)
	}

	mustExec2 := func(user string, key gossh.Signer, cmd string) string {
		t.Helper()
		r := sshExecAs(t, p.port, user, key, cmd)
		if r.status != 0 {
			t.Fatalf("%s@ %q: %d %q", user, cmd, r.status, r.stderr)
		}
		return r.stdout
	}
	mustExec2("riverside", ada, `name Ada --sector Community`)
	mustExec2("riverside", fac, "step next")
	mustExec2("riverside", ada, `say Buses stop at six`)
	mustExec2("riverside", fac, "theme assign Access 1")
	mustExec2("harbour", ada, "name Ada")

	// Offline, while the server runs.
	md, errOut, code := moot(t, dir, "export", "--data", data, "--forum", "riverside", "--format", "md")
	if code != 0 || !strings.Contains(md, "# Riverside forum") || !strings.Contains(md, "#### Access") || !strings.Contains(md, "- Buses stop at six\n") || strings.Contains(md, "Ada") {
		t.Fatalf("export md: %d %q\n%s", code, errOut, md)
	}
	if _, errOut, code := moot(t, dir, "export", "--data", data, "--format", "md"); code == 0 || !strings.Contains(errOut, "harbour, riverside") {
		t.Errorf("export without --forum on two forums: %d %q", code, errOut)
	}
	refusals := map[string]string{
		"--format pdf":             `unknown format "pdf" (md, html, json or csv)`,
		"--order newest":           `unknown order "newest" (agreed: the agreed statements first, the default; or forum`,
		"--format md --kind cards": "--kind goes with --format csv",
		"--lang xx":                `this server has no language "xx"; there are en, en-XA, fr`,
	}
	for bad, why := range refusals {
		if out, errOut, code := moot(t, dir, append([]string{"export", "--data", data, "--forum", "riverside"}, strings.Fields(bad)...)...); code != 2 || out != "" ||
			!strings.Contains(errOut, why) {
			t.Errorf("export %s: %d %q %q", bad, code, out, errOut)
		}
	}
	html, errOut, code := moot(t, dir, "export", "--data", data, "--forum", "riverside", "--format", "html")
	if code != 0 || !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.Contains(html, "<li>Buses stop at six</li>") || strings.Contains(html, "Ada") {
		t.Fatalf("export html: %d %q\n%s", code, errOut, html)
	}
	js, _, code := moot(t, dir, "export", "--data", data, "--forum", "riverside", "--format", "json")
	var r report.Report
	if err := json.Unmarshal([]byte(js), &r); code != 0 || err != nil {
		t.Fatalf("export json: %d %v\n%s", code, err, js)
	}
	if r.Version != 2 || r.Participation.People != 1 || len(r.Steps) != 2 || len(r.Steps[0].Cards) != 1 || r.Steps[0].Cards[0].Theme.Name != "Access" {
		t.Errorf("json report: %+v", r)
	}
	csvDir := filepath.Join(dir, "csv")
	if _, errOut, code := moot(t, dir, "export", "--data", data, "--forum", "riverside", "--format", "csv", "--out", csvDir); code != 0 {
		t.Fatalf("export csv folder: %d %q", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(csvDir, "riverside-cards.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][6] != "Buses stop at six" {
		t.Errorf("cards.csv: %q %v", rows, err)
	}

	// Over SSH: facilitators only; csv as a zip on standard output.
	if r := sshExecAs(t, p.port, "riverside", ada, "export"); r.status != 1 || !strings.Contains(r.stderr, "facilitator") {
		t.Errorf("a participant exported: %+v", r)
	}
	for bad, why := range refusals {
		if r := sshExecAs(t, p.port, "riverside", fac, "export "+bad); r.status != 1 || r.stdout != "" || !strings.Contains(r.stderr, why) {
			t.Errorf("export %s over SSH: %+v", bad, r)
		}
	}
	if got := mustExec2("riverside", fac, "export --format md"); got != md {
		t.Errorf("export over SSH differs from offline:\n%s\n---\n%s", got, md)
	}
	zipped := mustExec2("riverside", fac, "export --format csv")
	z, err := zip.NewReader(strings.NewReader(zipped), int64(len(zipped)))
	if err != nil || len(z.File) != len(report.Kinds()) {
		t.Fatalf("export csv over SSH is not a zip of %d tables: %v", len(report.Kinds()), err)
	}
	if got := mustExec2("riverside", fac, "export --format csv --kind cards"); !strings.Contains(got, "Buses stop at six") {
		t.Errorf("export --kind cards: %q", got)
	}

	// The same state gives the same bytes, over SSH and offline, in every
	// format: times included (a ballot adds its own).
	mustExec2("riverside", fac, "step next")
	mustExec2("riverside", fac, "ballot open --item Buses --item Parking")
	mustExec2("riverside", ada, "vote 1 1=3 2=2")
	mustExec2("riverside", fac, "ballot close 1")
	zipFile := filepath.Join(dir, "report.zip")
	for _, format := range [][2]string{{"md", ""}, {"html", ""}, {"json", ""}, {"md", "--order forum"}, {"html", "--order forum"}, {"csv", "--kind ballots"}, {"csv", "--kind cards"}, {"csv", ""},
		{"md", "--lang en-XA"}, {"html", "--lang en-xa --order forum"}, {"json", "--lang en-XA"}, {"md", "--lang fr"}} {
		args := []string{"export", "--data", data, "--forum", "riverside", "--format", format[0]}
		cmd := "export --format " + format[0]
		if format[1] != "" {
			args = append(args, strings.Fields(format[1])...)
			cmd += " " + format[1]
		}
		offline, errOut, code := moot(t, dir, append(args, "--out", zipFile)...)
		if code != 0 {
			t.Fatalf("moot %s: %d %q", strings.Join(args, " "), code, errOut)
		}
		if b, err := os.ReadFile(zipFile); err == nil && offline == "" {
			offline = string(b)
		}
		if got := mustExec2("riverside", fac, cmd); got != offline || got == "" {
			t.Errorf("ssh %s differs from moot export:\n%q\n---\n%q", cmd, got, offline)
		}
		if strings.Contains(format[1], "en-") && format[0] != "json" && !strings.Contains(offline, "Çöñţéñţš") ||
			strings.Contains(format[1], "fr") && !strings.Contains(offline, "## Sommaire") {
			t.Errorf("moot %s is not in its language:\n%s", strings.Join(args, " "), offline)
		}
		os.Remove(zipFile)
	}

	// A forum in French is reported in it, both ways alike, unless another
	// language is asked for.
	offline, _, code := moot(t, dir, "export", "--data", data, "--forum", "harbour", "--format", "html")
	if code != 0 || !strings.Contains(offline, `<html lang="fr">`) || !strings.Contains(offline, ">Sommaire</h2>") {
		t.Errorf("the report of a forum in French:\n%s", offline)
	}
	if got := mustExec2("harbour", fac, "export --format html"); got != offline {
		t.Errorf("ssh export of a forum in French differs from moot export:\n%s\n---\n%s", got, offline)
	}
	if english, _, _ := moot(t, dir, "export", "--data", data, "--forum", "harbour", "--format", "html", "--lang", "en"); !strings.Contains(english, `<html lang="en">`) ||
		english != mustExec2("harbour", fac, "export --format html --lang en") {
		t.Errorf("a forum in French, exported in English:\n%s", english)
	}
	p.stop(t)
	// Its translation gone, the report is in English, and moot export
	// says why.
	if err := os.Remove(french); err != nil {
		t.Fatal(err)
	}
	if md, errOut, code := moot(t, dir, "export", "--data", data, "--forum", "harbour"); code != 0 || !strings.Contains(md, "## Contents") ||
		!strings.Contains(errOut, "the forum's language, fr, has no translation in "+filepath.Join(data, "lang")+": the report is in English") {
		t.Errorf("a forum whose translation is gone: %d %q\n%s", code, errOut, md)
	}
}
