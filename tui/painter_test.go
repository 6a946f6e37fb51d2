package tui_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/vt"

	"moot/tui"
)

// lines is a model that shows fixed lines.
type lines []string

func (l lines) Init() tea.Cmd                       { return nil }
func (l lines) Update(tea.Msg) (tea.Model, tea.Cmd) { return l, nil }
func (l lines) View() string                        { return strings.Join(l, "\n") }

// A line as wide as the screen keeps its last character, and a full bottom
// line does not scroll the screen. A terminal keeps the cursor on the last
// column after writing there (the wrap is pending), so an erase written
// after the text would take that character away, as xterm does; x/vt does
// the same, so this test would fail on a painter that clears after it draws.
func TestPainterKeepsTheLastColumn(t *testing.T) {
	const width, height = 20, 4
	full := strings.Repeat("a", width-1) + "Z"
	screen := lines{
		full,
		"\x1b[1m" + strings.Repeat("b", width-1) + "Y\x1b[0m", // styled, ending in a reset
		"short",
		strings.Repeat("c", width-2) + "界", // a wide character in the last two columns
	}
	var out bytes.Buffer
	p := tui.NewPainter(screen, &out, width, height)
	p.Init()

	emu := vt.NewEmulator(width, height)
	if _, err := emu.Write(out.Bytes()); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(emu.String(), "\n")
	want := []string{full, strings.Repeat("b", width-1) + "Y", "short", strings.Repeat("c", width-2) + "界"}
	for i, w := range want {
		if i >= len(got) || strings.TrimRight(got[i], " ") != w {
			t.Errorf("line %d shows %q, want %q (a scroll or a lost last column)", i+1, at(got, i), w)
		}
	}
	// After a full line's text only attributes may be reset before the
	// next line is addressed: no erase, nothing printed.
	onlyResets := regexp.MustCompile(`^(\x1b\[[0-9;]*m)*(\x1b\[[0-9]+;1H|$)`)
	for _, l := range []string{full, strings.Repeat("c", width-2) + "界"} {
		rest := out.Bytes()[bytes.Index(out.Bytes(), []byte(l))+len(l):]
		if !onlyResets.Match(rest) {
			t.Errorf("after a full line come %q", rest[:min(len(rest), 16)])
		}
	}

	// A changed line that is now shorter leaves nothing of the old one.
	out.Reset()
	screen[0] = "new"
	p.Update(tea.WindowSizeMsg{Width: width, Height: height}) // same size: only the changed line is drawn
	if _, err := emu.Write(out.Bytes()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(emu.String(), "\n"); strings.TrimRight(got[0], " ") != "new" {
		t.Errorf("a shorter line left %q", got[0])
	}
}

func at(ss []string, i int) string {
	if i < len(ss) {
		return ss[i]
	}
	return "(no line)"
}
