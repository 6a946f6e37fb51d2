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
// for arguments that are numbers, plain text or a message of such (as a
// count: "4 cards" in "4 cards, 2 themes").
type said struct {
	key  string
	n    int
	args [4]any
}

// saidText names a message given as an argument, by its key and its
// arguments.
type saidText struct {
	key  string
	n    int
	args [2]any
}

// plainArg is arg as a memo key can hold it, if it is a number or plain
// text.
func plainArg(arg any) bool {
	switch arg.(type) {
	case int, int64, string:
		return true
	}
	return false
}

// keyArg is arg as a memo key can hold it, and whether it can.
func keyArg(arg any) (any, bool) {
	if plainArg(arg) {
		return arg, true
	}
	t, ok := arg.(catalogue.Text)
	if !ok || len(t.Args) > len(saidText{}.args) {
		return nil, false
	}
	k := saidText{key: t.Key, n: len(t.Args)}
	for i, a := range t.Args {
		if !plainArg(a) {
			return nil, false
		}
		k.args[i] = a
	}
	return k, true
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
		held, ok := keyArg(a)
		if !ok {
			// A list or an error among them: printed each time.
			return p.Printer.T(key, args...)
		}
		k.args[i] = held
	}
	return p.said.get(k, func() string { return p.Printer.T(key, args...) })
}
