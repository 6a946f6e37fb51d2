package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The quick measures of width (narrowWidth for plain text, cellBounds for
// the Painter's lines) agree with the full measure of graphemes:
// narrowWidth wherever it answers, cellBounds in holding the measure
// between its fewest and its most.
func TestQuickWidthsAgreeWithTheMeasure(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		text := "ab" + string(r) + "c"
		if n, ok := narrowWidth(text); ok && n != ansi.StringWidth(text) {
			t.Errorf("narrowWidth(%q) = %d, the measure says %d", text, n, ansi.StringWidth(text))
		}
		for _, line := range []string{text, "\x1b[1m" + text + "\x1b[0m", string(r) + "\ufe0f", string(r) + "\u0301"} {
			w := ansi.StringWidth(line)
			if least, most := cellBounds(line); least > w || most < w {
				t.Errorf("cellBounds(%q) = %d, %d, but it takes %d cells", line, least, most, w)
			}
		}
	}
	for _, text := range []string{"Step 2/4 · Voting", "3 connected · you are Zoë (Community)", "naïve café", strings.Repeat("é", 40)} {
		if n, ok := narrowWidth(text); !ok || n != ansi.StringWidth(text) {
			t.Errorf("narrowWidth(%q) = %d, %v; the measure says %d", text, n, ok, ansi.StringWidth(text))
		}
	}
}
