package tui

import (
	"fmt"
	"math"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/vt"
	"github.com/muesli/termenv"
)

// luminance is a colour's relative luminance (WCAG 2).
func luminance(c termenv.Color) float64 {
	rgb := termenv.ConvertToRGB(c)
	lin := func(v float64) float64 {
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(rgb.R) + 0.7152*lin(rgb.G) + 0.0722*lin(rgb.B)
}

// contrast is the WCAG contrast ratio of two luminances.
func contrast(a, b float64) float64 {
	return (max(a, b) + 0.05) / (min(a, b) + 0.05)
}

// Every colour drawn on the terminal's own background reads at 4.5:1 or
// better on black and on white, as a true-colour terminal shows it and as
// a 256-colour one does; the bar's white text reads at 4.5:1 on its
// backgrounds.
func TestColoursReadable(t *testing.T) {
	const black, white = 0.0, 1.0
	as := func(p termenv.Profile, c lipgloss.CompleteColor) termenv.Color {
		if p == termenv.ANSI256 {
			return p.Color(c.ANSI256)
		}
		return p.Color(c.TrueColor)
	}
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256} {
		for _, hex := range []lipgloss.CompleteColor{colourAccent, colourMuted, colourGood, colourBad} {
			c := as(p, hex)
			l := luminance(c)
			for _, bg := range []struct {
				name string
				l    float64
			}{{"black", black}, {"white", white}} {
				if r := contrast(l, bg.l); r < 4.5 {
					t.Errorf("%s as %v on %s: contrast %.2f:1, want at least 4.5:1", hex, c, bg.name, r)
				}
			}
		}
		for _, bg := range []lipgloss.CompleteColor{colourAccent, colourLate} {
			if r := contrast(luminance(as(p, colourOnBar)), luminance(as(p, bg))); r < 4.5 {
				t.Errorf("%v text on %v as %v: contrast %.2f:1", colourOnBar, bg, as(p, bg), r)
			}
		}
	}
}

// The styles draw with the palette's own numbers on a 256-colour
// terminal, not termenv's nearest match.
func TestStylesUseThePalette(t *testing.T) {
	s := StylesFor(termenv.ANSI256)
	for style, want := range map[string]string{s.Muted.Render("x"): "38;5;243", s.OK.Render("x"): "38;5;29", s.Title.Render("x"): "38;5;98"} {
		if !contains(style, want) {
			t.Errorf("%q does not set %s", style, want)
		}
	}
}

// The top bar is one band of colour: every cell, in the gaps between its
// pieces too, has the bar's background, at any width.
func TestBarFillsItsWidth(t *testing.T) {
	s := StylesFor(termenv.ANSI256)
	for _, width := range []int{200, 80, 40, 24} {
		for _, timer := range []string{"", "7:05 left"} {
			key := headerKey{title: "Co-production in our town", mid: "Step 1/4 · Dialogue", short: "1/4 Dialogue", timer: timer, width: width}
			emu := vt.NewEmulator(width, 1)
			if _, err := emu.Write([]byte(bar(s, key))); err != nil {
				t.Fatal(err)
			}
			for x := 0; x < width; x++ {
				if c := emu.CellAt(x, 0); c == nil || c.Style.Bg == nil {
					t.Errorf("width %d, timer %q: column %d has no background: %q", width, timer, x, emu.String())
					break
				}
			}
			if got := fmt.Sprint(emu.String()); width >= 40 && !contains(got, "Step 1/4 · Dialogue", "1/4 Dialogue") {
				t.Errorf("width %d: the bar does not say where the forum is: %q", width, got)
			}
		}
	}
}

func contains(s string, any ...string) bool {
	for _, a := range any {
		if len(a) > 0 && len(s) >= len(a) {
			for i := 0; i+len(a) <= len(s); i++ {
				if s[i:i+len(a)] == a {
					return true
				}
			}
		}
	}
	return false
}
