package catalogue

// Error is a message of the catalogue given as an error: what a part of
// moot refuses is decided there, and worded only where it is shown, in its
// reader's language (Printer.Error). Error() is the English, for logs and
// for whatever shows errors in English still.
type Error struct {
	Text
	// Kind is a sentinel that errors.Is matches the error with (as
	// session.ErrForbidden); nil for none.
	Kind error
}

// Err is the error of key with args. An argument that is an error or a
// Text is printed in the reader's language too, and errors.Is looks into
// the errors among them.
func Err(key string, args ...any) error { return &Error{Text: Msg(key, args...)} }

// ErrOf is Err of a kind: errors.Is(err, kind) holds.
func ErrOf(kind error, key string, args ...any) error {
	return &Error{Text: Msg(key, args...), Kind: kind}
}

func (e *Error) Error() string { return e.Text.String() }

// Unwrap is the error's kind and the errors among its arguments.
func (e *Error) Unwrap() []error {
	var out []error
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			out = append(out, err)
		}
	}
	return out
}

// Error prints an error for a person: a message of the catalogue in the
// printer's language; any other error as it says itself (a fault of the
// machine, such as a disk that failed, which moot does not word).
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok {
		return p.T(e.Key, e.Args...)
	}
	return err.Error()
}
