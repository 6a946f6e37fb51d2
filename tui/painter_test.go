package tui_test

import (
	"bytes"
	"fmt"
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

// typist shows what was typed and, on the line below, the last other
// message it took; it counts how often it was drawn.
type typist struct {
	typed, other string
	views        int
}

func (m *typist) Init() tea.Cmd { return nil }
func (m *typist) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		m.typed += k.String()
	} else if s, ok := msg.(string); ok {
		m.other = s
	}
	return m, nil
}
func (m *typist) View() string { m.views++; return m.typed + "\n" + m.other }

// With painting deferred, Init and Update draw nothing: they leave it to
// Paint, which draws what they changed once, and the same screen as
// painting at once would (Ctrl+L's whole screen too).
func TestDeferredPaintingDrawsOnlyInPaint(t *testing.T) {
	const width, height = 30, 2
	screen := func(out []byte) string {
		emu := vt.NewEmulator(width, height)
		if _, err := emu.Write(out); err != nil {
			t.Fatal(err)
		}
		return emu.String()
	}
	var now, later bytes.Buffer
	atOnce := tui.NewPainter(&typist{}, &now, width, height)
	m := &typist{}
	deferred := tui.NewPainter(m, &later, width, height)
	deferred.DeferPainting()
	atOnce.Init()
	deferred.Init()
	entered := later.Len()
	if m.views != 0 {
		t.Fatalf("Init drew %d times, want none", m.views)
	}
	paint := func(what string) {
		t.Helper()
		n := later.Len()
		if cmd := deferred.Paint(); cmd != nil {
			t.Fatalf("%s: Paint asked for a command", what)
		}
		if later.Len() == n {
			t.Fatalf("%s: Paint drew nothing", what)
		}
		if views := m.views; deferred.Paint() != nil || m.views != views {
			t.Fatalf("%s: a second Paint, with nothing owed, drew again", what)
		}
		if got, want := screen(later.Bytes()), screen(now.Bytes()); got != want {
			t.Fatalf("%s: the screen shows\n%s\nwant, as painted at once,\n%s", what, got, want)
		}
	}
	paint("Init")
	for _, msg := range []tea.Msg{"a snapshot", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("w")}, tea.KeyMsg{Type: tea.KeyCtrlL}} {
		views, n := m.views, later.Len()
		_, cmd := atOnce.Update(msg)
		if cmd != nil {
			atOnce.Update(cmd()) // a key's drawing comes round the loop
		}
		if _, cmd := deferred.Update(msg); cmd != nil {
			deferred.Update(cmd())
		}
		if m.views != views || later.Len() != n {
			t.Fatalf("%v: Update drew (%d bytes) with painting deferred", msg, later.Len()-n)
		}
		paint(fmt.Sprint(msg))
	}
	if !strings.HasPrefix(later.String()[entered:], "\x1b[0m\x1b[2J") {
		t.Errorf("the first Paint did not clear the screen: %q", later.String()[entered:])
	}
}

// A panic in the model while Paint draws is told, and Paint asks to quit,
// as Update does.
func TestAPanicInADeferredPaintQuits(t *testing.T) {
	p := tui.NewPainter(&panicView{}, &bytes.Buffer{}, 20, 2)
	p.DeferPainting()
	var told any
	p.OnPanic(func(v any, _ []byte) { told = v })
	p.Init()
	cmd := p.Paint()
	if told == nil || cmd == nil {
		t.Fatalf("told %v, command %v: want the panic told and a command", told, cmd)
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("the command after the panic is not tea.Quit")
	}
}

type panicView struct{}

func (panicView) Init() tea.Cmd                         { return nil }
func (v panicView) Update(tea.Msg) (tea.Model, tea.Cmd) { return v, nil }
func (panicView) View() string                          { panic("a bug in drawing") }

// Keys that come together are drawn once, after the last of them, by the
// message the first one's command sends; anything else is drawn at once,
// and draws the keys taken before it, after which the keys' own message
// draws nothing. Each screen ends as drawing after every key would leave
// it.
func TestPainterDrawsABurstOfKeysOnce(t *testing.T) {
	const width, height = 30, 2
	keys := []tea.KeyMsg{
		{Type: tea.KeyRunes, Runes: []rune("wA")}, {Type: tea.KeySpace, Runes: []rune(" ")},
		{Type: tea.KeyRunes, Runes: []rune("point")}, {Type: tea.KeySpace, Runes: []rune(" ")},
		{Type: tea.KeyRunes, Runes: []rune("made")},
	}
	screen := func(out []byte) string {
		emu := vt.NewEmulator(width, height)
		if _, err := emu.Write(out); err != nil {
			t.Fatal(err)
		}
		return emu.String()
	}

	// Drawn after every key, as a screen whose keys come one at a time.
	var each bytes.Buffer
	one := &typist{}
	p := tui.NewPainter(one, &each, width, height)
	p.Init()
	for _, k := range keys {
		_, cmd := p.Update(k)
		if cmd == nil {
			t.Fatalf("key %q alone: no command to draw it", k)
		}
		if _, cmd := p.Update(cmd()); cmd != nil {
			t.Errorf("drawing key %q asked for more", k)
		}
	}
	if one.views != 1+len(keys) {
		t.Errorf("keys one at a time drawn %d times, want %d", one.views, 1+len(keys))
	}

	// The same keys in one burst.
	var burst bytes.Buffer
	m := &typist{}
	p = tui.NewPainter(m, &burst, width, height)
	p.Init()
	var draw tea.Cmd
	for i, k := range keys {
		_, cmd := p.Update(k)
		switch {
		case i == 0 && cmd == nil:
			t.Fatal("the first key of a burst: no command to draw it")
		case i == 0:
			draw = cmd
		case cmd != nil:
			t.Errorf("key %d of a burst asked for another drawing", i+1)
		}
	}
	if m.views != 1 {
		t.Errorf("drawn %d times before the burst's message, want once (Init)", m.views)
	}
	p.Update(draw())
	if m.views != 2 {
		t.Errorf("a burst of %d keys drawn %d times, want once", len(keys), m.views-1)
	}
	if got, want := screen(burst.Bytes()), screen(each.Bytes()); got != want {
		t.Errorf("after a burst the screen shows\n%s\nwant, as after each key,\n%s", got, want)
	}
	if !strings.HasPrefix(screen(burst.Bytes()), "wA point made") {
		t.Errorf("the screen shows %q", screen(burst.Bytes()))
	}

	// Something else arriving before the burst's message draws the keys.
	_, draw = p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("!")})
	p.Update("a snapshot")
	if m.views != 3 || !strings.HasPrefix(screen(burst.Bytes()), "wA point made!\na snapshot") {
		t.Errorf("a message after a key: drawn %d times, screen %q", m.views, screen(burst.Bytes()))
	}
	n := burst.Len()
	if _, cmd := p.Update(draw()); cmd != nil || burst.Len() != n || m.views != 3 {
		t.Errorf("the keys' message after they were drawn: wrote %q, drawn %d times", burst.Bytes()[n:], m.views)
	}
	// And the next key asks for its own drawing again.
	if _, cmd := p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")}); cmd == nil {
		t.Error("a key after the drawing: no command to draw it")
	}
}
