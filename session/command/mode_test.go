package command_test

import (
	"strings"
	"testing"

	"moot/session/catalogue"
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

// lang sets the language a person reads moot in, to one the server has,
// and says so in it; asked alone, it says which and lists those there
// are; the person's choice is theirs, seen by nobody else.
func TestLang(t *testing.T) {
	h := newHub(t)
	if _, err := run(h, ada, "name Ada"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ line, says string }{
		{"lang", "moot speaks the forum's language to you, en (lang CODE for another); there are en, en-XA"},
		{"lang EN-xa", catalogue.Default().Printer(catalogue.Pseudo).T("command.lang.saved", "en-XA")},
		{"lang", "moot speaks en-XA to you (lang forum for the forum's, en); there are en, en-XA"},
		{"lang forum", "saved: moot speaks the forum's language to you, en"},
	} {
		out, err := run(h, ada, c.line)
		if err != nil || !strings.Contains(out, c.says) {
			t.Errorf("%s: %q %v, want %q", c.line, out, err, c.says)
		}
	}
	if _, err := run(h, ada, "lang en-XA"); err != nil {
		t.Fatal(err)
	}
	if me, _ := h.Snapshot().ViewFor(ada).Me(); me.Lang != "en-XA" {
		t.Errorf("Ada's language: %q", me.Lang)
	}
	for _, p := range h.Snapshot().ViewFor(facilitator).People() {
		if p.Lang != "" {
			t.Errorf("a facilitator sees %s's language: %q", p.Name, p.Lang)
		}
	}
	seq := h.Snapshot().Seq
	for _, c := range []struct{ line, says string }{
		{"lang fr", `this server has no language "fr"; there are en, en-XA`},
		{"lang en fr", "too many arguments"},
	} {
		if _, err := run(h, ada, c.line); err == nil || !command.IsUsage(err) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want a usage error with %q", c.line, err, c.says)
		}
	}
	if h.Snapshot().Seq != seq {
		t.Errorf("refused commands changed the forum")
	}
}
