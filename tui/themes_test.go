package tui_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"moot/session"
	"moot/tui"
)

var update = flag.Bool("update", false, "rewrite the golden screens from what the code draws now")

// clockTime matches a time of day, which screens show in local time.
var clockTime = regexp.MustCompile(`\b\d\d:\d\d\b`)

// golden compares a screen with testdata/NAME.golden (rewritten with
// -update), times of day written as hh:mm.
func golden(t *testing.T, name, view string) {
	t.Helper()
	view = clockTime.ReplaceAllString(view, "hh:mm")
	file := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(view), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if string(want) != view {
		t.Errorf("%s differs from %s:\n%s", name, file, view)
	}
}

// A principle a forum agrees runs to 120 characters: screens shorten it
// where it heads a group on one line, and the details give it in full.
func TestLongThemeNamesOnScreens(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	long := "Everyone who lives here should be involved in the decisions that affect them, from the first idea to the final review"
	if len([]rune(long)) > session.MaxThemeLength {
		t.Fatalf("the theme is %d characters", len([]rune(long)))
	}
	for _, c := range []struct {
		who string
		cmd session.Command
	}{
		{facilitator, session.Register{Name: "Fran"}},
		{ada, session.Register{Name: "Ada", Sector: "Community"}},
		{facilitator, session.AddTheme{Name: long}},
		{facilitator, session.GoToStep{To: 1}},
		{ada, session.AddCard{Text: "Nobody asked the tenants before the car park was built"}},
		{facilitator, session.AssignCards{Theme: 1, Cards: []int64{1}}},
	} {
		if err := h.Do(ctx, c.who, c.cmd); err != nil {
			t.Fatal(err)
		}
	}
	// No line that names the theme is wider than the screen.
	fits := func(name, view string, width int) {
		t.Helper()
		for i, line := range strings.Split(view, "\n") {
			if w := lipgloss.Width(line); w > width && strings.Contains(line, "Everyone") {
				t.Errorf("%s: line %d is %d cells wide on a screen of %d: %q", name, i+1, w, width, line)
			}
		}
	}
	sizes := []struct {
		name          string
		width, height int
	}{{"80x24", 80, 24}, {"40x15", 40, 15}}
	for _, size := range sizes {
		m := tui.New(ctx, h, ada, tui.StylesFor(termenv.Ascii), size.width, size.height)
		fits(size.name, m.View(), size.width)
		golden(t, "long-theme-dialogue-"+size.name, m.View())
	}

	for _, c := range []session.Command{
		session.GoToStep{To: 3},
		session.ProposeStatement{Text: "Ask tenants first", Theme: 1},
	} {
		if err := h.Do(ctx, facilitator, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, size := range sizes {
		s := &screen{t: t, hub: h, m: tui.New(ctx, h, ada, tui.StylesFor(termenv.Ascii), size.width, size.height)}
		fits(size.name, s.m.View(), size.width)
		golden(t, "long-theme-deliberation-"+size.name, s.m.View())
		s.key(tea.KeyEnter) // the statement's details
		view := s.m.View()
		fits(size.name, view, size.width)
		golden(t, "long-theme-details-"+size.name, view)
		// In full, wrapped, from the first line of the details (a
		// short screen shows the rest as it scrolls).
		if got := strings.Join(strings.Fields(view), " "); size.height >= 24 && !strings.Contains(got, "Theme: "+long) ||
			!strings.Contains(view, "Theme: Everyone who lives here") {
			t.Errorf("%s: the details do not give the theme in full:\n%s", size.name, view)
		}
	}
}
