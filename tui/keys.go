package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// Keys are declared once, each beside its help: what presses it, how the
// footer names it and how the help (?) tells what it does, and whose
// screen has it. A screen handles a key by its declaration (pressed) and
// lists the same declarations for the footer and the help, so what a key
// does and what the screen says it does cannot drift apart.
//
// A phase's screen declares its keys with bind (everyone's) and steer (a
// facilitator's), returns them from its keys method as they stand, most
// important first, and handles them with Model.pressed; a list whose
// items open in full embeds details, which brings the pager's keys.

// whose says whose screen has a key.
type whose int

const (
	everyone whose = iota
	facilitators
)

// keyDef is one key of a screen.
type keyDef struct {
	key.Binding
	// footName and foot are how the footer gives it: the key as typed
	// ("w") and the catalogue's key of what it does ("write"); an empty
	// foot keeps it to the help. The help's text (Help().Desc) is a key
	// of the catalogue too: both are worded in the reader's language.
	footName, foot string
	whose          whose
}

// bind declares a key: label is how help writes it ("↑/k"), footName and
// foot how the footer gives it ("w", and the catalogue's key of "write"),
// long the catalogue's key of what the help says it does; keys are what
// press it, as bubbletea names them ("up", "k", "ctrl+c", " ").
func bind(label, footName, foot, long string, keys ...string) *keyDef {
	return &keyDef{Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, long)), footName: footName, foot: foot}
}

// steer declares a key that only a facilitator's screen has.
func steer(label, footName, foot, long string, keys ...string) *keyDef {
	k := bind(label, footName, foot, long, keys...)
	k.whose = facilitators
	return k
}

// footText is how the footer gives a key, in the reader's language.
func (s *Styles) footText(p *printer, k *keyDef) string {
	return s.keyName(k.footName) + " " + p.T(k.foot)
}

// Keys every screen has.
var (
	keyCommand = bind(":", ":", "tui.key.command", "tui.key.command.help", ":")
	keyHelp    = bind("?", "?", "tui.key.help", "tui.key.help.help", "?")
	keyQuit    = bind("q", "q", "tui.key.quit", "tui.key.quit.help", "q")
	keyClear   = bind("Esc", "", "", "tui.key.clear.help", "esc")
	keyGotIt   = bind("y", "y", "tui.key.got_it", "tui.key.got_it.help", "y")
	// keyRedraw is the Painter's (painter.go); it is declared here to be
	// in the help.
	keyRedraw = bind("Ctrl+L", "", "", "tui.key.redraw.help", "ctrl+l")

	keyNext   = steer("n", "n", "tui.key.next", "tui.key.next.help", "n")
	keyPrev   = steer("p", "p", "tui.key.prev", "tui.key.prev.help", "p")
	keyGoto   = steer("g", "g", "tui.key.goto", "tui.key.goto.help", "g")
	keyTimer  = steer("t", "t", "tui.key.timer", "tui.key.timer.help", "t")
	keyExtend = steer("+", "+", "tui.key.extend", "tui.key.extend.help", "+")
	keyStop   = steer("x", "", "", "tui.key.stop.help", "x")
)

// screenKeys are the keys of every screen, in the order the footer gives
// them room.
var screenKeys = []*keyDef{keyNext, keyPrev, keyGoto, keyTimer, keyExtend, keyStop, keyCommand, keyQuit, keyClear, keyRedraw}

// Keys while a text is being written.
var (
	keySend   = bind("Enter", "Enter", "tui.key.send", "tui.key.send.help", "enter")
	keyCancel = bind("Esc", "Esc", "tui.key.cancel", "tui.key.cancel.help", "esc")
	keyRun    = bind("Enter", "Enter", "tui.key.run", "tui.key.run.help", "enter")
	keyClose  = bind("Esc", "Esc", "tui.key.close", "tui.key.close.help", "esc")
)

// Keys of the pager, which shows what is taller than the screen: help,
// a command's output, a statement's details.
var (
	keyLineUp   = bind("↑/k", "", "", "tui.key.line_up.help", "up", "k")
	keyLineDown = bind("↓/j", "↑↓", "tui.key.line_down", "tui.key.line_down.help", "down", "j")
	keyPageDown = bind("space/f", "space", "tui.key.page_down", "tui.key.page_down.help", " ", "f", "pgdown")
	keyPageUp   = bind("b", "", "", "tui.key.page_up.help", "b", "pgup")
	keyTop      = bind("</Home", "", "", "tui.key.top.help", "<", "home")
	keyBottom   = bind(">/End", "", "", "tui.key.bottom.help", ">", "end")
	keyBack     = bind("Esc/q", "Esc", "tui.key.back", "tui.key.back.help", "esc", "q")
)

var pagerKeys = []*keyDef{keyLineDown, keyPageDown, keyBack, keyLineUp, keyPageUp, keyTop, keyBottom}

// Keys for moving through a list.
var (
	keyUp      = bind("↑/k", "", "", "tui.key.up.help", "up", "k")
	keyDown    = bind("↓/j", "↑↓", "tui.key.down", "tui.key.down.help", "down", "j")
	keyListTop = bind("</Home", "", "", "tui.key.list_top.help", "<", "home")
	keyListEnd = bind(">/End", "", "", "tui.key.list_end.help", ">", "end")
	keyPgUp    = bind("PgUp", "", "", "tui.key.pg_up.help", "pgup")
	keyPgDown  = bind("PgDn", "", "", "tui.key.pg_down.help", "pgdown")
	keyDetails = bind("Enter/v", "Enter", "tui.key.details", "tui.key.details.help", "enter", "v")
)

// pressed tells whether msg presses k on this person's screen.
func (m *Model) pressed(msg tea.KeyMsg, k *keyDef) bool {
	if k.whose == facilitators && !m.facilitator() {
		return false
	}
	return key.Matches(msg, k.Binding)
}

// mine keeps the keys this person's screen has.
func (m *Model) mine(keys []*keyDef) []*keyDef {
	return m.appendMine(make([]*keyDef, 0, len(keys)), keys...)
}

// keyName is how a key is written on this screen: arrows in words where
// symbols are ASCII.
func (s *Styles) keyName(label string) string {
	if !s.ascii {
		return label
	}
	return strings.NewReplacer("↑↓", "Up/Down", "↑", "Up", "↓", "Down", "←", "Left", "→", "Right").Replace(label)
}

// keyLine is the footer's line of keys: as many of keys as fit in width,
// in their order, each whole, and always the key for help, at the right
// end, where it is found on every screen.
func (s *Styles) keyLine(p *printer, keys []*keyDef, width int, withHelp bool) string {
	if len(keys) > len(keyLineKey{}.keys) {
		return s.layKeys(p, keys, width, withHelp)
	}
	// Every screen of a step draws the same line: it is laid out once
	// for each language.
	k := keyLineKey{p: p, width: width, withHelp: withHelp}
	copy(k.keys[:], keys)
	return s.keyLines.get(k, func() string { return s.layKeys(p, keys, width, withHelp) })
}

// keyLineKey names a line of keys; the keys are declared once, so their
// addresses name them, and a language has one printer.
type keyLineKey struct {
	keys     [32]*keyDef
	p        *printer
	width    int
	withHelp bool
}

func (s *Styles) layKeys(p *printer, keys []*keyDef, width int, withHelp bool) string {
	help := s.footText(p, keyHelp)
	if !withHelp {
		// Typing: ? is a character like any other.
		help = ""
	}
	room := width - textWidth(help)
	var parts []string
	seen := map[*keyDef]bool{}
	for _, k := range keys {
		if k.foot == "" || k == keyHelp || seen[k] {
			continue
		}
		seen[k] = true
		part := s.footText(p, k)
		w := textWidth(part) + textWidth(s.sym.sep)
		if w > room {
			continue
		}
		room -= w
		parts = append(parts, part)
	}
	line := strings.Join(parts, s.sym.sep)
	gap := width - textWidth(line) - textWidth(help)
	if line != "" {
		gap = max(gap, textWidth(s.sym.sep))
	}
	return s.once(&s.Muted, line+strings.Repeat(" ", max(gap, 0))+help)
}

// helpRows writes keys as the help lists them: the key, then what it
// does, wrapped to width.
func (s *Styles) helpRows(p *printer, keys []*keyDef, width int) []string {
	labelW := 0
	for _, k := range keys {
		labelW = max(labelW, ansi.StringWidth(s.keyName(k.Help().Key)))
	}
	var out []string
	for _, k := range keys {
		if k.Help().Desc == "" {
			continue
		}
		desc := p.T(k.Help().Desc)
		label := s.keyName(k.Help().Key)
		text := strings.Split(s.wrap(&s.Plain, max(width-labelW-4, 10), desc), "\n")
		for i, t := range text {
			if i == 0 {
				out = append(out, "  "+s.once(&s.Key, pad(label, labelW))+"  "+t)
			} else {
				out = append(out, strings.Repeat(" ", labelW+4)+t)
			}
		}
	}
	return out
}

// asText is a key given to a text field. Keys typed fast, or pasted by a
// terminal that does not mark pastes, come as one message of several
// letters, and keys are matched by name: a word such as "home", "end",
// "up", "enter" or "esc" arriving whole would be taken for that key, and
// move the cursor, send the text or throw it away instead of being
// written. Such a message is text, as a marked paste is.
func asText(msg tea.KeyMsg) tea.KeyMsg {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
		msg.Paste = true
	}
	return msg
}
