package tui

import (
	"io"
	"strings"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is every style moot draws with, built on one renderer.
type Styles struct {
	renderer *lipgloss.Renderer
	// Renderings shared by every screen with these colours (memo.go).
	drawn     *memo[any, string]
	cardLines *memo[cardKey, []string]

	Bar, BarTitle, BarStep, BarTimer, BarLate lipgloss.Style
	Title, Prompt, Muted, Strong, Plain       lipgloss.Style
	Notice, Error, OK, Key                    lipgloss.Style
	Panel, PanelTitle, Online, Offline        lipgloss.Style
	Input, InputPrompt, Cursor, Placeholder   lipgloss.Style
	Selected                                  lipgloss.Style

	// Markers drawn beside cards, rendered once.
	markSelected, markNew string
	// The escape sequences that open and close the Muted style, for lines
	// put together by hand.
	mutedOpen, mutedClose string
	// Deliberation: words removed and added between revisions, and
	// statements recorded as agreed or not agreed.
	DiffRemoved, DiffAdded, Agreed, NotAgreed lipgloss.Style
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

var (
	themesMu sync.Mutex
	themes   = map[termenv.Profile]*Styles{}
)

// StylesFor returns the styles for a colour profile. Styles are the same for
// every client with the same profile, so they are built once per profile
// and shared: the renderer only converts colours, it never writes or asks.
func StylesFor(p termenv.Profile) *Styles {
	themesMu.Lock()
	defer themesMu.Unlock()
	if s, ok := themes[p]; ok {
		return s
	}
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(p))
	r.SetColorProfile(p)
	// Set, so lipgloss never asks the terminal for its background colour.
	r.SetHasDarkBackground(true)
	s := newStyles(r)
	themes[p] = s
	return s
}

func newStyles(r *lipgloss.Renderer) *Styles {
	accent := lipgloss.Color("#7D56F4")
	subtle := lipgloss.Color("245")
	s := &Styles{renderer: r, drawn: newMemo[any, string](), cardLines: newMemo[cardKey, []string]()}
	s.Bar = r.NewStyle().Background(accent).Foreground(lipgloss.Color("#FFFFFF")).Padding(0, 1)
	s.BarTitle = r.NewStyle().Inherit(s.Bar).Bold(true).Padding(0)
	s.BarStep = r.NewStyle().Inherit(s.Bar).Padding(0)
	s.BarTimer = r.NewStyle().Inherit(s.Bar).Bold(true).Padding(0)
	s.BarLate = r.NewStyle().Background(lipgloss.Color("#C0392B")).Foreground(lipgloss.Color("#FFFFFF")).Bold(true)
	s.Title = r.NewStyle().Bold(true).Foreground(lipgloss.Color("#B39DFF"))
	s.Prompt = r.NewStyle()
	s.Plain = r.NewStyle()
	s.Muted = r.NewStyle().Foreground(subtle)
	s.Strong = r.NewStyle().Bold(true)
	s.Notice = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(subtle).Padding(0, 1)
	s.Error = r.NewStyle().Foreground(lipgloss.Color("#FF5F5F")).Bold(true)
	s.OK = r.NewStyle().Foreground(lipgloss.Color("#5FD787"))
	s.Key = r.NewStyle().Bold(true)
	s.Panel = r.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(subtle).PaddingLeft(1)
	s.PanelTitle = r.NewStyle().Bold(true)
	s.Online = r.NewStyle().Foreground(lipgloss.Color("#5FD787"))
	s.Offline = r.NewStyle().Foreground(subtle)
	s.Input = r.NewStyle()
	s.InputPrompt = r.NewStyle().Foreground(accent).Bold(true)
	s.Cursor = r.NewStyle().Reverse(true)
	s.Placeholder = r.NewStyle().Foreground(subtle)
	s.Selected = r.NewStyle().Foreground(accent).Bold(true)
	s.markSelected, s.markNew = s.Selected.Render("› "), s.Selected.Render("• ")
	muted := s.Muted.Render("M")
	s.mutedOpen, s.mutedClose, _ = strings.Cut(muted, "M")
	s.DiffRemoved = r.NewStyle().Foreground(lipgloss.Color("#FF5F5F")).Strikethrough(true)
	s.DiffAdded = r.NewStyle().Foreground(lipgloss.Color("#5FD787")).Underline(true)
	s.Agreed = r.NewStyle().Foreground(lipgloss.Color("#5FD787")).Bold(true)
	s.NotAgreed = r.NewStyle().Foreground(subtle).Italic(true)
	return s
}
