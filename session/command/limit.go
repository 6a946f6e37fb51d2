package command

// MaxLineBytes bounds a command line, typed at ":" or sent as ssh HOST
// COMMAND, before anything reads it. The longest command a person types (a
// statement's new wording and its reason, in a script of three bytes a
// character) fits with room to spare; a longer line is refused unread, so
// that no one can make the server spend its time splitting a huge one.
const MaxLineBytes = 4 << 10

// CheckLine refuses a command line longer than MaxLineBytes.
func CheckLine(line string) error {
	if len(line) > MaxLineBytes {
		return usage("command.too_long", len(line), MaxLineBytes, MaxLineBytes>>10)
	}
	return nil
}
