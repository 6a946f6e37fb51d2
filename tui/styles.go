package tui

import (
	"io"
	"strings"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is every style moot draws with, built on one renderer, and the
// symbols it draws: Unicode, or plain ASCII for a terminal whose locale is
// not UTF-8.
type Styles struct {
	renderer *lipgloss.Renderer
	profile  termenv.Profile
	// ascii is set when symbols are drawn in plain ASCII.
	ascii bool
	sym   symbols
	// plain turns the symbols of a text into ASCII; nil when drawing
	// Unicode.
	plain *strings.Replacer
	// Renderings shared by every screen with these colours (memo.go).
	drawn     *memo[any, string]
	cardLines *memo[cardKey, []string]
	// Memos of the renderings every screen asks for at every change, each
	// with a key of its own type, which a lookup need not box.
	onces    *memo[onceKey, string]
	wraps    *memo[wrapKey, string]
	keyLines *memo[keyLineKey, string]
	bars     *memo[headerKey, string]
	heads    *memo[stepHeadKey, string]
	wheres   *memo[whereKey, [2]string]
	// cardLists holds how each list of cards lies in lines (dialogue.go);
	// each is as large as its list, so few are kept.
	cardLists *memo[cardListKey, *cardList]

	Bar, BarTitle, BarStep, BarTimer, BarLate lipgloss.Style
	Title, Prompt, Muted, Strong, Plain       lipgloss.Style
	Notice, Error, OK, Key                    lipgloss.Style
	Panel, PanelTitle, Online, Offline        lipgloss.Style
	Input, InputPrompt, Cursor, Placeholder   lipgloss.Style
	Selected, Badge                           lipgloss.Style

	// Markers drawn beside cards, rendered once.
	markSelected, markNew string
	// The escape sequences that open and close the Muted style, for lines
	// put together by hand.
	mutedOpen, mutedClose string
	// Deliberation: words removed and added between revisions, and
	// statements recorded as agreed or not agreed.
	DiffRemoved, DiffAdded, Agreed, NotAgreed lipgloss.Style
}

// symbols are the marks screens draw besides text.
type symbols struct {
	sep, selected, unseen, on, off, bar, block, timer string
	agreed, notAgreed, tick, arrow, star, newBelow    string
	item, ellipsis, dash, rule, up, down              string
}

var unicodeSymbols = symbols{
	sep: " · ", selected: "› ", unseen: "• ", on: "●", off: "○", bar: "▇", block: "█", timer: "⏱ ",
	agreed: "✔", notAgreed: "✗", tick: "✓", arrow: "→", star: "★", newBelow: "▼",
	item: "▪", ellipsis: "…", dash: "—", rule: "│", up: "↑", down: "↓",
}

// asciiSymbols stand in for unicodeSymbols one cell for one cell, so that
// a screen lays out alike in both; the timer's mark is only left out.
var asciiSymbols = symbols{
	sep: " | ", selected: "> ", unseen: "* ", on: "*", off: "o", bar: "#", block: "#", timer: "",
	agreed: "+", notAgreed: "x", tick: "+", arrow: ">", star: "*", newBelow: "v",
	item: "-", ellipsis: "~", dash: "-", rule: "|", up: "^", down: "v",
}

// toASCII turns the symbols screens and people write into ASCII of the
// same width.
var toASCII = strings.NewReplacer(
	"·", "|", "›", ">", "‹", "<", "•", "*", "●", "*", "○", "o", "▇", "#", "█", "#", "✔", "+", "✓", "+",
	"✗", "x", "→", ">", "←", "<", "↑", "^", "↓", "v", "★", "*", "▼", "v", "▲", "^", "▪", "-",
	"…", "~", "—", "-", "–", "-", "│", "|", "×", "x", "“", `"`, "”", `"`, "‘", "'", "’", "'",
)

// text is a text as these styles draw it: its symbols in ASCII where the
// terminal cannot show Unicode.
func (s *Styles) text(t string) string {
	if s.plain == nil {
		return t
	}
	return s.plain.Replace(t)
}

// ProfileFor picks the colour depth a client can show from what it told the
// server: its TERM (sent with the PTY request) and COLORTERM (sent only when
// configured). Nothing is asked of the terminal, so a client that never
// answers a query cannot stall its session.
func ProfileFor(term string, env []string) termenv.Profile {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			return termenv.Ascii
		}
		if v, ok := strings.CutPrefix(kv, "COLORTERM="); ok && (v == "truecolor" || v == "24bit") {
			return termenv.TrueColor
		}
	}
	switch {
	case term == "" || term == "dumb":
		return termenv.Ascii
	case strings.Contains(term, "direct") || term == "xterm-kitty" || term == "xterm-ghostty" || term == "alacritty":
		return termenv.TrueColor
	case strings.Contains(term, "256"):
		return termenv.ANSI256
	}
	return termenv.ANSI
}

// UTF8 tells whether a client's locale, as its environment says, shows
// UTF-8: the first of LC_ALL, LC_CTYPE and LANG that is set decides, as
// it does on the client. A client that sends none is taken to (OpenSSH
// sends them only where ssh_config has SendEnv LANG LC_*, as Debian's
// does); a person whose terminal cannot show Unicode then chooses ASCII
// with the symbols command.
func UTF8(env []string) bool {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := vars[k]; v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return true
}

type look struct {
	profile termenv.Profile
	ascii   bool
}

var (
	themesMu sync.Mutex
	themes   = map[look]*Styles{}
)

// StylesFor returns the styles for a colour profile, with Unicode symbols.
// Styles are the same for every client with the same profile and symbols,
// so they are built once for each and shared: the renderer only converts
// colours, it never writes or asks.
func StylesFor(p termenv.Profile) *Styles { return stylesFor(look{profile: p}) }

// StylesForTerminal returns the styles for a client's terminal, from its
// TERM and the environment it sent.
func StylesForTerminal(term string, env []string) *Styles {
	return stylesFor(look{profile: ProfileFor(term, env), ascii: !UTF8(env)})
}

// withSymbols is these styles with ASCII symbols, or Unicode ones.
func (s *Styles) withSymbols(ascii bool) *Styles {
	if s.ascii == ascii {
		return s
	}
	return stylesFor(look{profile: s.profile, ascii: ascii})
}

func stylesFor(l look) *Styles {
	themesMu.Lock()
	defer themesMu.Unlock()
	if s, ok := themes[l]; ok {
		return s
	}
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(l.profile))
	r.SetColorProfile(l.profile)
	// Set, so lipgloss never asks the terminal for its background colour.
	r.SetHasDarkBackground(true)
	s := newStyles(r, l.ascii)
	themes[l] = s
	return s
}

// The palette. Every colour drawn on the terminal's own background has a
// contrast of at least 4.5:1 on black and on white alike (its relative
// luminance is near 0.18), so text is readable on dark and light
// terminals without asking which one this is. Each is named by its
// number among the 256 colours too, so that a 256-colour terminal shows
// that very colour (termenv's nearest match for #767676 is a lighter
// grey). The bar's white text has at least 4.5:1 on its backgrounds.
// TestColoursReadable checks them all; a 16-colour terminal shows its own
// theme's colours.
var (
	colourAccent = lipgloss.CompleteColor{TrueColor: "#875FD7", ANSI256: "98", ANSI: "5"}
	colourMuted  = lipgloss.CompleteColor{TrueColor: "#767676", ANSI256: "243", ANSI: "8"}
	colourGood   = lipgloss.CompleteColor{TrueColor: "#00875F", ANSI256: "29", ANSI: "2"}
	colourBad    = lipgloss.CompleteColor{TrueColor: "#AF5F5F", ANSI256: "131", ANSI: "1"}
	// colourLate is a background, behind white.
	colourLate  = lipgloss.CompleteColor{TrueColor: "#AF0000", ANSI256: "124", ANSI: "1"}
	colourOnBar = lipgloss.CompleteColor{TrueColor: "#FFFFFF", ANSI256: "231", ANSI: "15"}
)

func newStyles(r *lipgloss.Renderer, ascii bool) *Styles {
	accent, subtle, good, bad := colourAccent, colourMuted, colourGood, colourBad
	s := &Styles{renderer: r, profile: r.ColorProfile(), ascii: ascii, sym: unicodeSymbols,
		drawn: newMemo[any, string](), cardLines: newMemo[cardKey, []string](), cardLists: newWaitingMemo[cardListKey, *cardList](64),
		onces: newMemo[onceKey, string](), wraps: newMemo[wrapKey, string](), keyLines: newMemo[keyLineKey, string](),
		bars: newMemo[headerKey, string](), heads: newMemo[stepHeadKey, string](), wheres: newMemo[whereKey, [2]string]()}
	border := lipgloss.RoundedBorder()
	if ascii {
		s.sym, s.plain = asciiSymbols, toASCII
		border = lipgloss.Border{Top: "-", Bottom: "-", Left: "|", Right: "|", TopLeft: "+", TopRight: "+", BottomLeft: "+", BottomRight: "+"}
	}
	s.Bar = r.NewStyle().Background(accent).Foreground(colourOnBar).Padding(0, 1)
	s.BarTitle = r.NewStyle().Inherit(s.Bar).Bold(true).Padding(0)
	s.BarStep = r.NewStyle().Inherit(s.Bar).Padding(0)
	s.BarTimer = r.NewStyle().Inherit(s.Bar).Bold(true).Padding(0)
	s.BarLate = r.NewStyle().Background(colourLate).Foreground(colourOnBar).Bold(true)
	s.Title = r.NewStyle().Bold(true).Foreground(accent)
	s.Prompt = r.NewStyle()
	s.Plain = r.NewStyle()
	s.Muted = r.NewStyle().Foreground(subtle)
	s.Strong = r.NewStyle().Bold(true)
	s.Notice = r.NewStyle().Border(border).BorderForeground(accent).Padding(0, 1)
	s.Error = r.NewStyle().Foreground(bad).Bold(true)
	s.OK = r.NewStyle().Foreground(good)
	s.Key = r.NewStyle().Bold(true)
	s.Panel = r.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(subtle).PaddingLeft(1)
	s.PanelTitle = r.NewStyle().Bold(true)
	s.Online = r.NewStyle().Foreground(good)
	s.Offline = r.NewStyle().Foreground(subtle)
	s.Input = r.NewStyle()
	s.InputPrompt = r.NewStyle().Foreground(accent).Bold(true)
	s.Cursor = r.NewStyle().Reverse(true)
	s.Placeholder = r.NewStyle().Foreground(subtle)
	s.Selected = r.NewStyle().Foreground(accent).Bold(true)
	// The facilitator's badge: drawn by the screen, never by a name.
	s.Badge = r.NewStyle().Foreground(accent).Bold(true)
	s.markSelected, s.markNew = s.Selected.Render(s.sym.selected), s.Selected.Render(s.sym.unseen)
	muted := s.Muted.Render("M")
	s.mutedOpen, s.mutedClose, _ = strings.Cut(muted, "M")
	s.DiffRemoved = r.NewStyle().Foreground(bad).Strikethrough(true)
	s.DiffAdded = r.NewStyle().Foreground(good).Underline(true)
	s.Agreed = r.NewStyle().Foreground(good).Bold(true)
	s.NotAgreed = r.NewStyle().Foreground(subtle).Italic(true)
	return s
}
