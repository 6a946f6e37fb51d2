package tui

import "testing"

// Compact never makes a line longer.
func TestCompactNeverLonger(t *testing.T) {
	for _, line := range []string{
		"",
		"plain   ",
		"\x1b[1mbold\x1b[0m   ",
		"\x1b[38;5;231;48;5;98m \x1b[0m\x1b[1;38;5;231;48;5;98mCo-production\x1b[0m\x1b[38;5;231;48;5;98m   \x1b[0m\x1b[1;38;5;231;48;5;98m\x1b[0m",
		"\x1b]8;;https://example.org\x1b\\link\x1b]8;;\x1b\\",
	} {
		if got := compact(line); len(got) > len(line)+len("\x1b[0m") {
			t.Errorf("compact(%q) = %q, longer", line, got)
		}
	}
}
