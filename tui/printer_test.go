package tui

import (
	"testing"

	"moot/session/catalogue"
)

// What the printer keeps is what the catalogue prints, for every count, a
// count given as a message of its own among them: two messages that differ
// only in a nested count are never taken for one another.
func TestPrinterKeepsWhatTheCataloguePrints(t *testing.T) {
	for _, lang := range []string{"en", catalogue.Pseudo} {
		direct := catalogue.Default().Printer(lang)
		kept := printerOf(direct)
		for round := range 2 { // the second round reads what the first kept
			for all := range 3 {
				for given := range 3 {
					want := direct.T("tui.feedback.summary", all, catalogue.Msg("count.feedback", given))
					if got := kept.T("tui.feedback.summary", all, catalogue.Msg("count.feedback", given)); got != want {
						t.Errorf("%s, round %d: %d and %d feedback printed %q, want %q", lang, round+1, all, given, got, want)
					}
				}
			}
		}
	}
}
