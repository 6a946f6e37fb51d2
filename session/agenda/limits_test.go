package agenda

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// aliasBombs are agendas whose aliases expand a small file a thousandfold
// and more, in each way YAML allows.
func aliasBombs() map[string]string {
	bombs := map[string]string{}
	// Nested lists, nine of each level.
	var b strings.Builder
	b.WriteString("title: T\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "x%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), ", "))
	}
	b.WriteString("themes: *a8\nsteps: [{title: S, phase: dialogue}]\n")
	bombs["nested lists"] = b.String()
	// One long value named thousands of times (60 KB that would make
	// 225 MB of themes).
	bombs["a long value repeated"] = "title: T\npurpose: &a \"" + strings.Repeat("x", 30000) + "\"\nthemes: [" +
		strings.TrimSuffix(strings.Repeat("*a, ", 7500), ", ") + "]\nsteps: [{title: S, phase: dialogue}]\n"
	// Merge keys.
	b.Reset()
	b.WriteString("title: T\nm0: &m0 {title: t, phase: dialogue}\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "m%d: &m%d {<<: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d, ", i-1), 9), ", "))
	}
	b.WriteString("steps: [*m11]\n")
	bombs["merge keys"] = b.String()
	return bombs
}

func TestAliasBombsAreRefusedUnexpanded(t *testing.T) {
	for name, bomb := range aliasBombs() {
		_, err := Parse([]byte(bomb))
		if err == nil || !strings.Contains(err.Error(), "aliases (*name) expand it to more than") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Aliases that save repeating a few values are fine.
func TestAFewAliasesAreFine(t *testing.T) {
	f, err := Parse([]byte(`title: T
sectors: &s [Council, Community]
themes: *s
steps:
  - {title: First ballot, phase: voting, ballot: &b {dots: 3, top_k: 2}}
  - {title: Second ballot, phase: voting, ballot: *b}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Themes) != 2 || f.Steps[1].Ballot.Dots != 3 {
		t.Fatalf("forum %+v", f)
	}
}

// Every field is bounded, and a value far over its bound is quoted only by
// its first characters: the message stays short whatever the file holds.
func TestEveryFieldIsBoundedAndQuotedShort(t *testing.T) {
	huge := strings.Repeat("Z", 100_000)
	cases := map[string]string{
		"title":        "title: " + huge + "\nsteps: [{title: S, phase: dialogue}]\n",
		"purpose":      "title: T\npurpose: " + huge + "\nsteps: [{title: S, phase: dialogue}]\n",
		"step title":   "title: T\nsteps: [{title: " + huge + ", phase: dialogue}]\n",
		"prompt":       "title: T\nsteps: [{title: S, phase: dialogue, prompt: " + huge + "}]\n",
		"sector":       "title: T\nsectors: [" + huge + "]\nsteps: [{title: S, phase: dialogue}]\n",
		"theme":        "title: T\nthemes: [" + huge + "]\nsteps: [{title: S, phase: dialogue}]\n",
		"scale":        "title: T\nscale: [" + huge + ", b]\nsteps: [{title: S, phase: dialogue}]\n",
		"ballot item":  "title: T\nsteps: [{title: S, phase: voting, ballot: {items: [" + huge + ", b]}}]\n",
		"facilitator":  "title: T\nfacilitators: [" + huge + "]\nsteps: [{title: S, phase: dialogue}]\n",
		"slug":         "slug: " + huge + "\ntitle: T\nsteps: [{title: S, phase: dialogue}]\n",
		"date":         "title: T\ndate: " + huge + "\nsteps: [{title: S, phase: dialogue}]\n",
		"timebox":      "title: T\nsteps: [{title: S, phase: dialogue, timebox: " + huge + "}]\n",
		"phase":        "title: T\nsteps: [{title: S, phase: " + huge + "}]\n",
		"blocking":     "title: T\nblocking: " + huge + "\nsteps: [{title: S, phase: dialogue}]\n",
		"many sectors": "title: T\nsectors: [" + strings.TrimSuffix(strings.Repeat("s, ", 5000), ", ") + "]\nsteps: [{title: S, phase: dialogue}]\n",
		"many themes":  "title: T\nthemes: [" + strings.TrimSuffix(strings.Repeat("t, ", 5000), ", ") + "]\nsteps: [{title: S, phase: dialogue}]\n",
		"many steps":   "title: T\nsteps: [" + strings.TrimSuffix(strings.Repeat("{title: S, phase: dialogue}, ", 2000), ", ") + "]\n",
	}
	for name, doc := range cases {
		_, err := Parse([]byte(doc))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if len(err.Error()) > 2000 {
			t.Errorf("%s: a message of %d bytes: %.200s...", name, len(err.Error()), err)
		}
	}
	if _, err := Parse([]byte("title: T\nsteps: [{title: S, phase: dialogue}]\n" + "# " + strings.Repeat("x", MaxFileBytes))); err == nil || !strings.Contains(err.Error(), "an agenda can be at most 256 KiB") {
		t.Errorf("a file over the bound: %v", err)
	}
}

func TestReadFileStopsAtTheBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, make([]byte, 10<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path); err == nil || !strings.Contains(err.Error(), "an agenda can be at most 256 KiB") {
		t.Fatalf("a 10 MB file: %v", err)
	}
}

func TestShortQuotesAPrefixWholeCharacters(t *testing.T) {
	if got := short(strings.Repeat("é", 100)); got != strings.Repeat("é", 37)+"..." {
		t.Errorf("short: %q", got)
	}
	if got := short("a short one"); got != "a short one" {
		t.Errorf("short: %q", got)
	}
}
