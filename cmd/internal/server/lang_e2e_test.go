package server_test

import (
	"strings"
	"testing"

	"moot/session/catalogue"
)

// A person who chose a language reads the commands' answers, and why one
// was refused, in it: over SSH, at a screen's : line and in line mode,
// where the answers are also in their spoken form (card 1, not card #1).
// Someone else in the same forum reads them in the forum's language.
func TestCommandsAnswerInThePersonsLanguage(t *testing.T) {
	ts := startServer(t)
	xa := catalogue.Default().Printer(catalogue.Pseudo)
	ada := newKey(t)
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ada, "name Ada")
	ts.mustExec(t, ada, "lang en-XA")

	// Over SSH.
	if out := ts.mustExec(t, ada, "status"); !strings.Contains(out, xa.T("command.status.no_timebox")) {
		t.Errorf("status in en-XA:\n%s", out)
	}
	refused := ts.exec(t, ada, "step next")
	if want := "moot: " + xa.T("command.only_facilitator", "step"); refused.status != 1 || strings.TrimSpace(refused.stderr) != want {
		t.Errorf("a refusal in en-XA: status %d, %q, want %q", refused.status, refused.stderr, want)
	}
	ts.mustExec(t, ts.facilitator, "step next")
	if r := ts.exec(t, ada, "card edit 9 Buses"); !strings.Contains(r.stderr, xa.T("session.card.no_such", 9)) {
		t.Errorf("the forum's refusal in en-XA: %q", r.stderr)
	}
	if out := ts.mustExec(t, ts.facilitator, "status"); !strings.Contains(out, "timebox:      not running") {
		t.Errorf("the facilitator, who chose no language, reads the forum's, English:\n%s", out)
	}

	// In line mode, read aloud.
	line := ts.openLine(t, "Ada", ada, "live", "")
	line.typeLine(t, "say Buses stop at six")
	line.waitLines(t, xa.Spoken().T("command.say.saved", 1))
	line.typeLine(t, "card edit 9 Buses")
	line.waitLines(t, xa.T("line.failed", xa.Spoken().T("session.card.no_such", 9))+".")
	if said := line.transcript(); strings.Contains(said, "#1") || strings.Contains(said, "#9") {
		t.Errorf("line mode read a number as #N:\n%s", said)
	}

	// At a screen's : line, each line typed in one go, as a fast typist's
	// keys arrive: the "up" of "hand up" is not taken for the arrow key.
	tm := ts.openTerminal(t, "Ada", ada)
	for _, c := range []struct{ line, shows string }{
		{"step next", "öñļý å ƒåçĩļĩţåţöŕ çåñ ðö ţĥåţ"},
		{"hand up", "ýöûŕ ĥåñð ĩš ûþ"},
	} {
		tm.typ(t, ":")
		tm.waitFor(t, wait, ": a command, e.g. help")
		tm.typ(t, c.line)
		tm.waitFor(t, wait, ": "+c.line)
		tm.typ(t, "\r")
		tm.waitFor(t, wait, c.shows)
	}
}
