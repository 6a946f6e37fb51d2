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
		tm.waitFor(t, wait, ": "+string([]rune(xa.T("tui.command_line.placeholder"))[:20]))
		tm.typ(t, c.line)
		tm.waitFor(t, wait, ": "+c.line)
		tm.typ(t, "\r")
		tm.waitFor(t, wait, c.shows)
	}
}

// A person who types :lang en-XA at their screen sees it drawn again in
// that language at once, without reconnecting: the step, the bar, the
// keys and the status line; someone else's screen in the same forum stays
// in the forum's language; :lang en brings the English back.
func TestScreenRedrawsInTheChosenLanguage(t *testing.T) {
	ts := startServer(t)
	xa := catalogue.Default().Printer(catalogue.Pseudo)
	ada := newKey(t)
	ts.mustExec(t, ts.facilitator, "name Fran")
	ts.mustExec(t, ada, "name Ada")
	mine, theirs := ts.openTerminal(t, "Ada", ada), ts.openTerminal(t, "Fran", ts.facilitator)
	for _, tm := range []*terminal{mine, theirs} {
		tm.waitFor(t, wait, "Waiting to begin", "Lobby", "? keys", "you are ")
	}

	mine.typ(t, ":lang en-XA\r")
	mine.waitFor(t, wait, xa.T("tui.lobby.title"), xa.T("tui.bar.lobby"), "? "+xa.T("tui.key.help"), xa.T("tui.key.quit"))
	if screen := mine.screen(); strings.Contains(screen, "Waiting to begin") || strings.Contains(screen, "? keys") {
		t.Errorf("English left on the screen in en-XA:\n%s", frame(screen))
	}
	ts.mustExec(t, ts.facilitator, "step next")
	mine.waitFor(t, wait, xa.T("tui.cards.none"), xa.T("tui.bar.step", 1, 4, xa.T("tui.phase.dialogue")))
	theirs.waitFor(t, wait, "No cards yet: w writes the first.", "Step 1/4 · Dialogue")
	if screen := theirs.screen(); strings.ContainsAny(screen, "ŵŕĩţéš") {
		t.Errorf("another person's screen changed language:\n%s", frame(screen))
	}

	mine.typ(t, ":lang en\r")
	mine.waitFor(t, wait, "No cards yet: w writes the first.", "Step 1/4 · Dialogue", "? keys")
}
