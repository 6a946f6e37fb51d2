package command_test

import (
	"strings"
	"testing"

	"moot/session/command"
)

// mode and quiet set a person's own prefs; each says what it saved and,
// asked alone, what is set; anything else is refused and changes nothing.
func TestModeAndQuiet(t *testing.T) {
	h := newHub(t)
	if _, err := run(h, ada, "quiet on"); err == nil || !strings.Contains(err.Error(), "give your name first") {
		t.Fatalf("quiet before a name: %v", err)
	}
	if _, err := run(h, ada, "name Ada"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ line, says string }{
		{"mode", "open the full screen"},
		{"quiet", "quiet is off"},
		{"mode LINE", "saved: from your next session on, your terminal sessions open in line mode"},
		{"mode", "open in line mode"},
		{"quiet on", "saved: quiet is on"},
		{"quiet", "quiet is on"},
		{"quiet off", "saved: quiet is off"},
		{"mode screen", "saved: from your next session on, your terminal sessions open the full screen"},
	} {
		out, err := run(h, ada, c.line)
		if err != nil || !strings.Contains(out, c.says) {
			t.Errorf("%s: %q %v, want %q", c.line, out, err, c.says)
		}
	}
	seq := h.Snapshot().Seq
	for _, c := range []struct{ line, says string }{
		{"mode braille", "modes are line and screen"},
		{"quiet loud", "on or off"},
		{"quiet on off", "too many arguments"},
		{"live", "ssh HOST live"},
	} {
		if _, err := run(h, ada, c.line); err == nil || !command.IsUsage(err) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want a usage error with %q", c.line, err, c.says)
		}
	}
	if h.Snapshot().Seq != seq {
		t.Errorf("refused commands changed the forum")
	}
}
