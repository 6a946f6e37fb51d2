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
	// foot is how the footer gives it ("w write"); empty keeps it to
	// the help.
	foot  string
	whose whose
}

// bind declares a key: label is how help writes it ("↑/k"), foot how the
// footer gives it ("w write"), long what the help says it does; keys are
// what press it, as bubbletea names them ("up", "k", "ctrl+c", " ").
func bind(label, foot, long string, keys ...string) *keyDef {
	return &keyDef{Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, long)), foot: foot}
}

// steer declares a key that only a facilitator's screen has.
func steer(label, foot, long string, keys ...string) *keyDef {
	k := bind(label, foot, long, keys...)
	k.whose = facilitators
	return k
}

// Keys every screen has.
var (
	keyCommand = bind(":", ": command", "open the command line; type help there for the commands", ":")
	keyHelp    = bind("?", "? keys", "show every key of this screen, and the step's question in full", "?")
	keyQuit    = bind("q", "q quit", "leave (asks first; your place is kept, come back the same way)", "q")
	keyClear   = bind("Esc", "", "clear the message, or close what is open", "esc")
	keyGotIt   = bind("y", "y got it", "say you have written your rejoin code down (whoami shows it again)", "y")

	keyNext   = steer("n", "n next step", "next step (on the last step, asks before closing the forum)", "n")
	keyPrev   = steer("p", "p previous", "previous step", "p")
	keyGoto   = steer("g", "g go to", "go to a step by number (0 is the lobby)", "g")
	keyTimer  = steer("t", "t timer", "start the step's timebox", "t")
	keyExtend = steer("+", "+ 5 min more", "add 5 minutes to the timebox", "+")
	keyStop   = steer("x", "", "stop the timebox", "x")
)

// screenKeys are the keys of every screen, in the order the footer gives
// them room.
var screenKeys = []*keyDef{keyNext, keyPrev, keyGoto, keyTimer, keyExtend, keyStop, keyCommand, keyQuit, keyClear}

// Keys while a text is being written.
var (
	keySend   = bind("Enter", "Enter send", "send what you wrote", "enter")
	keyCancel = bind("Esc", "Esc cancel", "close without sending (what you wrote is dropped)", "esc")
	keyRun    = bind("Enter", "Enter run", "run the command", "enter")
	keyClose  = bind("Esc", "Esc close", "close the command line", "esc")
)

// Keys of the pager, which shows what is taller than the screen: help,
// a command's output, a statement's details.
var (
	keyLineUp   = bind("↑/k", "", "scroll up a line", "up", "k")
	keyLineDown = bind("↓/j", "↑↓ scroll", "scroll down a line", "down", "j")
	keyPageDown = bind("space/f", "space page", "scroll down a page", " ", "f", "pgdown")
	keyPageUp   = bind("b", "", "scroll up a page", "b", "pgup")
	keyTop      = bind("</Home", "", "go to the top", "<", "home")
	keyBottom   = bind(">/End", "", "go to the end", ">", "end")
	keyBack     = bind("Esc/q", "Esc back", "close it and go back", "esc", "q")
)

var pagerKeys = []*keyDef{keyLineDown, keyPageDown, keyBack, keyLineUp, keyPageUp, keyTop, keyBottom}

// Keys for moving through a list.
var (
	keyUp      = bind("↑/k", "", "move up", "up", "k")
	keyDown    = bind("↓/j", "↑↓ move", "move down", "down", "j")
	keyListTop = bind("</Home", "", "go to the first", "<", "home")
	keyListEnd = bind(">/End", "", "go to the last", ">", "end")
	keyPgUp    = bind("PgUp", "", "move up a page", "pgup")
	keyPgDown  = bind("PgDn", "", "move down a page", "pgdown")
	keyDetails = bind("Enter/v", "Enter details", "show the selected one in full (a page of its own)", "enter", "v")
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
func (s *Styles) keyLine(keys []*keyDef, width int, withHelp bool) string {
	if len(keys) > len(keyLineKey{}.keys) {
		return s.layKeys(keys, width, withHelp)
	}
	// Every screen of a step draws the same line: it is laid out once.
	k := keyLineKey{width: width, withHelp: withHelp}
	copy(k.keys[:], keys)
	return s.keyLines.get(k, func() string { return s.layKeys(keys, width, withHelp) })
}

// keyLineKey names a line of keys; the keys are declared once, so their
// addresses name them.
type keyLineKey struct {
	keys     [32]*keyDef
	width    int
	withHelp bool
}

func (s *Styles) layKeys(keys []*keyDef, width int, withHelp bool) string {
	help := s.keyName(keyHelp.foot)
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
		part := s.keyName(k.foot)
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
func (s *Styles) helpRows(keys []*keyDef, width int) []string {
	labelW := 0
	for _, k := range keys {
		labelW = max(labelW, ansi.StringWidth(s.keyName(k.Help().Key)))
	}
	var out []string
	for _, k := range keys {
		desc := k.Help().Desc
		if desc == "" {
			continue
		}
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
