package agenda

import (
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
		"empty": {"", []string{"the file is empty"}},
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

func TestExampleCoversEveryField(t *testing.T) {
	f, err := Parse(Example)
	if err != nil {
		t.Fatalf("the example agenda does not parse:\n%v", err)
	}
	if f.Slug != "riverside" || len(f.Steps) != 4 || len(f.Themes) != 2 || f.Date == "" || f.Purpose == "" {
		t.Errorf("example = %+v", f)
	}
	// Every field the parser knows appears in the example, set or
	// commented out.
	for _, field := range []string{"slug:", "title:", "purpose:", "date:", "sectors:", "facilitators:", "join_code:",
		"themes:", "anonymous_cards:", "steps:", "phase:", "prompt:", "timebox:"} {
		if !strings.Contains(string(Example), field) {
			t.Errorf("the example does not show %s", field)
		}
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
