package agenda

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"moot/session"
)

func TestDemoParses(t *testing.T) {
	f, err := Parse(Demo)
	if err != nil {
		t.Fatal(err)
	}
	if f.Slug != "demo" || len(f.Steps) != 4 || f.Steps[0].Timebox != 20*time.Minute || f.Steps[1].Phase != session.Voting {
		t.Errorf("demo = %+v", f)
	}
	if strings.Contains(f.Steps[0].Prompt, "\n") {
		t.Errorf("prompt keeps the file's line breaks: %q", f.Steps[0].Prompt)
	}
}

func TestFacilitatorKeys(t *testing.T) {
	const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGuo3D3ykR9wUSvdy0F/WQfbg6WSEpmf3iYpnm8zMzbt fac"
	f, err := Parse([]byte("title: T\nfacilitators:\n  - " + key + "\nsteps:\n  - {title: S, phase: dialogue}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Fingerprint(key)
	if len(f.Facilitators) != 1 || f.Facilitators[0] != want || !strings.HasPrefix(want, "SHA256:") {
		t.Errorf("facilitators = %v, want [%s]", f.Facilitators, want)
	}
	fps, err := ParseAuthorizedKeys([]byte("# team\n\n" + key + "\n"))
	if err != nil || len(fps) != 1 || fps[0] != want {
		t.Errorf("authorized keys = %v, %v", fps, err)
	}
	if _, err := ParseAuthorizedKeys([]byte(key + "\nnot a key\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad key line: %v", err)
	}
}

func TestProblemsHaveLines(t *testing.T) {
	for name, c := range map[string]struct {
		yaml string
		want []string
	}{
		"unknown phase": {"title: T\nsteps:\n  - title: A\n    phase: chatting\n", []string{"line 4: step 1: unknown phase"}},
		"no phase":      {"title: T\nsteps:\n  - title: A\n  - title: B\n    phase: voting\n", []string{"line 3: step 1 has no phase"}},
		"bad timebox":   {"title: T\nsteps:\n  - title: A\n    phase: voting\n    timebox: soon\n", []string{"line 5: step 1: timebox"}},
		"unknown field": {"title: T\ncolour: red\nsteps:\n  - {title: A, phase: voting}\n", []string{"line 2: field colour not found"}},
		"syntax":        {"title: T\nsteps: [\n", []string{"line 2"}},
		"no steps":      {"title: T\n", []string{"steps: a forum needs at least one step"}},
		"no title":      {"steps:\n  - {title: A, phase: voting}\n", []string{"title: every forum needs a title"}},
		"bad slug":      {"slug: Big Forum\ntitle: T\nsteps:\n  - {title: A, phase: voting}\n", []string{"line 1: slug"}},
		"bad key":       {"title: T\nfacilitators:\n  - hello\nsteps:\n  - {title: A, phase: voting}\n", []string{"line 3: facilitators"}},
		"several": {"title: T\nsteps:\n  - title: A\n    phase: x\n  - title: B\n    phase: voting\n    timebox: 0\n",
			[]string{"line 4:", "line 7:"}},
		"empty":           {"", []string{"the file is empty"}},
		"scale too short": {"title: T\nscale: [yes]\nsteps:\n  - {title: A, phase: voting}\n", []string{"line 2: scale: a scale of agreement has from 2 to 9 levels"}},
		"scale twice":     {"title: T\nscale: [yes, Yes]\nsteps:\n  - {title: A, phase: voting}\n", []string{"line 2: scale: \"Yes\" is listed twice"}},
		"bad blocking": {"title: T\nscale: [consent, stand aside, object]\nblocking: veto\nsteps:\n  - {title: A, phase: voting}\n",
			[]string{"line 3: blocking: \"veto\" is not a level"}},
		"blocking off the scale": {"title: T\nblocking: 6\nsteps:\n  - {title: A, phase: voting}\n", []string{"line 2: blocking: level 6 is not on the scale"}},
		"min_group of two":       {"title: T\nmin_group: 2\nsteps:\n  - {title: A, phase: voting}\n", []string{"line 2: min_group 2: the fewest people a count may show is from 3 to 100"}},
		"min_group too large":    {"title: T\nmin_group: 101\nsteps:\n  - {title: A, phase: voting}\n", []string{"line 2: min_group 101"}},
		"min_group not a number": {"title: T\nmin_group: few\nsteps:\n  - {title: A, phase: voting}\n", []string{"line 2:"}},
	} {
		_, err := Parse([]byte(c.yaml))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", name, err, w)
			}
		}
	}
}

func TestTimebox(t *testing.T) {
	for in, want := range map[string]time.Duration{"10": 10 * time.Minute, "1h30m": 90 * time.Minute, "90s": 90 * time.Second} {
		if got, err := parseTimebox(in); err != nil || got != want {
			t.Errorf("parseTimebox(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "30s", "-5", "300", "soon"} {
		if _, err := parseTimebox(in); err == nil {
			t.Errorf("parseTimebox(%q) accepted", in)
		}
	}
}

func TestBallotInAgenda(t *testing.T) {
	f, err := Parse([]byte(`title: T
steps:
  - title: Vote
    phase: voting
    ballot:
      dots: 3
      secret: false
      items: [Transport, "Cost"]
`))
	if err != nil {
		t.Fatal(err)
	}
	b := f.Steps[0].Ballot
	if b == nil || b.Dots != 3 || b.Secret == nil || *b.Secret || len(b.Items) != 2 || b.Items[1] != "Cost" {
		t.Fatalf("ballot: %+v", b)
	}
	_, err = Parse([]byte(`title: T
steps:
  - title: Talk
    phase: dialogue
    ballot:
      dots: 3
  - title: Vote
    phase: voting
    ballot:
      dots: 0
      max_per_item: 9
      top_k: 0
      items:
        - ""
`))
	want := []string{"line 5: step 1: a ballot belongs to a voting step", "line 10: step 2: ballot dots must be from 1",
		"line 11: step 2: ballot max_per_item", "line 12: step 2: ballot top_k", "line 14: step 2: a ballot item cannot be empty"}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("want %q in:\n%v", w, err)
		}
	}
}

func TestExampleCoversEveryField(t *testing.T) {
	f, err := Parse(Example)
	if err != nil {
		t.Fatalf("the example agenda does not parse:\n%v", err)
	}
	if f.Slug != "riverside" || len(f.Steps) != 4 || len(f.Themes) != 2 || f.Date == "" || f.Purpose == "" {
		t.Errorf("example = %+v", f)
	}
	if f.JoinCode == "" || len(f.Scale) != 4 || f.AgreementScale().Blocking != 4 || f.Steps[1].Ballot == nil || f.Steps[1].Ballot.MaxPerItem != 3 {
		t.Errorf("example's settings = %+v", f)
	}
	// Every field the parser knows appears in the example, set or
	// commented out: the fields are read from the parser's own types, so
	// a field added later fails here until the example shows it.
	var fields []string
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			fields = append(fields, name)
			ft := sf.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && !strings.HasPrefix(ft.Name(), "field[") {
				walk(ft)
			}
		}
	}
	walk(reflect.TypeOf(file{}))
	if len(fields) < 20 {
		t.Fatalf("found only %d agenda fields: %v", len(fields), fields)
	}
	for _, field := range fields {
		if !strings.Contains(string(Example), field+":") {
			t.Errorf("the example does not show %s", field)
		}
	}
}

func TestMinGroup(t *testing.T) {
	f, err := Parse([]byte("title: T\nmin_group: 5\nsteps:\n  - {title: A, phase: voting}\n"))
	if err != nil || f.MinGroup != 5 || f.GroupThreshold() != 5 {
		t.Fatalf("min_group 5: %v %+v", err, f)
	}
	d, _ := Parse(Demo)
	if d.MinGroup != 0 || d.GroupThreshold() != session.DefaultMinGroup {
		t.Errorf("demo min_group %d, threshold %d", d.MinGroup, d.GroupThreshold())
	}
}

func TestScaleOfAgreement(t *testing.T) {
	f, err := Parse([]byte("title: T\nparticipants_propose: true\nshow_distribution: true\nscale: [consent, stand aside, object]\nsteps:\n  - {title: A, phase: deliberation}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := f.AgreementScale()
	if !f.ParticipantsPropose || !f.ShowDistribution || len(s.Labels) != 3 || s.Blocking != 3 {
		t.Errorf("forum %+v scale %+v", f, s)
	}
	f, err = Parse([]byte("title: T\nscale: [consent, stand aside, object]\nblocking: none\nsteps:\n  - {title: A, phase: deliberation}\n"))
	if err != nil || f.AgreementScale().Blocking != 0 {
		t.Errorf("blocking none: %v %+v", err, f)
	}
	f, err = Parse([]byte("title: T\nblocking: Stand aside\nscale: [consent, stand aside, object]\nsteps:\n  - {title: A, phase: deliberation}\n"))
	if err != nil || f.AgreementScale().Blocking != 2 {
		t.Errorf("blocking by label: %v %+v", err, f)
	}
	d, _ := Parse(Demo)
	if s := d.AgreementScale(); len(s.Labels) != 5 || s.Blocking != 5 || s.Labels[4] != "block" {
		t.Errorf("demo scale %+v", s)
	}
}

func TestJoinCodeAndThemes(t *testing.T) {
	f, err := Parse([]byte("title: T\njoin_code: river-2026\nthemes:\n  - Access\n  - \"\\e[31mTrust\"\nsteps:\n  - {title: S, phase: dialogue}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f.JoinCode != "river-2026" || len(f.Themes) != 2 || f.Themes[0] != "Access" || f.Themes[1] != "Trust" {
		t.Errorf("join code %q, themes %q", f.JoinCode, f.Themes)
	}
}

// A type error or an unknown field does not hide the other problems.
func TestEveryProblemAtOnce(t *testing.T) {
	_, err := Parse([]byte("title: T\ncolour: red\njoin_code: no\nthemes:\n  - A\n  - a\nanonymous_cards: maybe\nsteps:\n  - title: A\n    phase: x\n"))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, w := range []string{"line 2: field colour not found", "line 3: join_code", "line 6: themes: \"a\" is listed twice", "line 7:", "line 10: step 1: unknown phase"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not say %q:\n%v", w, err)
		}
	}
	if strings.Contains(err.Error(), "agenda.file") {
		t.Errorf("error names a Go type:\n%v", err)
	}
}

// A forum planned before its day is set gives a month or a year.
func TestDates(t *testing.T) {
	for date, ok := range map[string]bool{
		"2026-12-05": true, "2026-12": true, "2026": true, `"2026"`: true,
		"2026-13": false, "2026-12-32": false, "26": false, "2026-1": false, "December 2026": false, "2026-12-05T10:00:00Z": false,
	} {
		f, err := Parse([]byte("title: T\ndate: " + date + "\nsteps:\n  - {title: A, phase: voting}\n"))
		switch {
		case ok && err != nil:
			t.Errorf("date %s: %v", date, err)
		case ok && f.Date != strings.Trim(date, `"`):
			t.Errorf("date %s: read as %q", date, f.Date)
		case !ok && (err == nil || !strings.Contains(err.Error(), "line 2: date")):
			t.Errorf("date %s: %v", date, err)
		}
	}
}

// An agenda's lang is a language the server has: English and the
// pseudo-locale, or a translation it was given.
func TestAgendaLanguage(t *testing.T) {
	_, err := Parse([]byte("title: T\nlang: fr\nsteps:\n  - {title: A, phase: voting}\n"))
	if err == nil || !strings.Contains(err.Error(), `line 2: lang "fr": this server has no such language (it has en, en-XA; a translation is a file lang/fr.yaml in the data folder`) {
		t.Errorf("lang fr on a server without it: %v", err)
	}
	f, err := Parse([]byte("title: T\nlang: en-XA\nsteps:\n  - {title: A, phase: voting}\n"))
	if err != nil || f.Lang != "en-XA" {
		t.Errorf("lang en-XA: %v %+v", err, f)
	}
}
