package tui

import (
	"sync"

	"moot/session/catalogue"
)

// printer prints a language's messages on the screens, keeping what it
// has printed: every screen of an audience says the same things at each
// change ("4 cards", "open · live tally"), and putting a message together
// through the catalogue costs more than the rest of drawing it.
type printer struct {
	*catalogue.Printer
	said *memo[said, string]
}

// said names a message as printed: its key and its arguments, kept only
// for arguments that are numbers or plain text.
type said struct {
	key  string
	n    int
	args [4]any
}

// printers holds one printer for each of the catalogue's, so that a
// language's printer is one pointer, which memo keys can hold.
var printers sync.Map // *catalogue.Printer → *printer

func printerOf(p *catalogue.Printer) *printer {
	if kept, ok := printers.Load(p); ok {
		return kept.(*printer)
	}
	kept, _ := printers.LoadOrStore(p, &printer{Printer: p, said: newMemo[said, string]()})
	return kept.(*printer)
}

// T is the message of key with args, in the printer's language.
func (p *printer) T(key string, args ...any) string {
	if len(args) > len(said{}.args) {
		return p.Printer.T(key, args...)
	}
	k := said{key: key, n: len(args)}
	for i, a := range args {
		switch a.(type) {
		case int, int64, string:
			k.args[i] = a
		default:
			// A message, a list or an error among them: printed each time.
			return p.Printer.T(key, args...)
		}
	}
	return p.said.get(k, func() string { return p.Printer.T(key, args...) })
}
