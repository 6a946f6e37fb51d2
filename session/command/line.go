package command

import (
	"strings"

	"moot/session"
)

// How a command line is read. It is read from the line as the server
// received it, never split and joined again: ssh joins the words of
// `ssh HOST say It's late` with spaces and sends the line, quotes and
// apostrophes as they arrived, so what a person typed is what is stored.
//
//   - The first word names the command.
//   - Fixed arguments (numbers, verbs like add or open, a theme named
//     where more follows it) are words between white space. A word may be
//     put in double or single quotes to hold spaces ("Getting involved");
//     the quotes are not part of it.
//   - Free text (a card, a statement, a reason, the owners of an action)
//     is the rest of the line as typed, up to the next of the command's
//     own options: nothing in it is split, unquoted or joined again, and
//     only the white space around it is dropped. An option that takes
//     text (--who, --reason) is read the same way, up to the next option.
//   - Options are --name, --name=value or --name value. In text, a word
//     that is not one of the command's options (--verbose, a bare --) is
//     text; one that is ends the text, unless a backslash is typed before
//     it: `say Type \--anon to hide your name` posts "Type --anon to hide
//     your name" (the backslash is dropped; any other backslash is kept).
//   - Where a command names something that exists by its name (a theme, a
//     level of agreement, a sector), quotes around the whole name are not
//     part of it: `agree 4 "stand aside"` is `agree 4 stand aside`.

// Name is the first word of a command line, the command it names, as
// typed; "" when the line is blank.
func Name(line string) string {
	i := skipSpace(line, 0)
	if i == len(line) {
		return ""
	}
	w, _ := word(line, closings(line), i)
	return w
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func skipSpace(line string, i int) int {
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	return i
}

// trimSpace drops the white space that separates words around text;
// anything else at its ends (a no-break space, say) is left to the
// cleaning every text goes through.
func trimSpace(s string) string { return strings.Trim(s, " \t\n\r\v\f") }

// closing holds, for each quote, the last place in a line where it can
// close a word (followed by white space or the line's end); -1 for none.
type closing struct{ double, single int }

func closings(line string) closing {
	c := closing{-1, -1}
	for j := len(line) - 1; j >= 0 && (c.double < 0 || c.single < 0); j-- {
		if j+1 < len(line) && !isSpace(line[j+1]) {
			continue
		}
		switch {
		case line[j] == '"' && c.double < 0:
			c.double = j
		case line[j] == '\'' && c.single < 0:
			c.single = j
		}
	}
	return c
}

// word reads the word that starts at line[i], which is not white space,
// and says where it ends. A word opening with a quote runs to the same
// quote followed by white space or the end of the line, and is given
// without its quotes; any other word, or one whose quote is never closed,
// runs to the next white space as typed. Knowing where quotes can close
// keeps reading a line of many unclosed quotes linear.
func word(line string, c closing, i int) (string, int) {
	last := c.single
	if line[i] == '"' {
		last = c.double
	}
	if q := line[i]; (q == '"' || q == '\'') && last > i {
		for j := i + 1; j <= last; j++ {
			if line[j] == q && (j+1 == len(line) || isSpace(line[j+1])) {
				return line[i+1 : j], j + 1
			}
		}
	}
	j := i
	for j < len(line) && !isSpace(line[j]) {
		j++
	}
	return line[i:j], j
}

// optionAt reads an option written at line[i]: its name, and where the
// name ends (at white space, '=' or the line's end). A bare "--" is no
// option.
func optionAt(line string, i int) (name string, end int, ok bool) {
	if !strings.HasPrefix(line[i:], "--") {
		return "", 0, false
	}
	end = i + 2
	for end < len(line) && !isSpace(line[end]) && line[end] != '=' {
		end++
	}
	if end == i+2 {
		return "", 0, false
	}
	return line[i+2 : end], end, true
}

// ownOption tells whether one of the command's options starts at line[i].
func (s *spec) ownOption(line string, i int) bool {
	name, _, ok := optionAt(line, i)
	_, known := s.flags[name]
	return ok && known
}

// textFrom reads free text that starts at line[i]: the line as typed up to
// the next of the command's options that starts a word, or to its end,
// with a backslash typed before such an option dropped. It says where the
// text ends.
func (s *spec) textFrom(line string, i int) (string, int) {
	var b strings.Builder
	from := i
	for j := i; j < len(line); j++ {
		if j > i && !isSpace(line[j-1]) {
			continue // options start words
		}
		switch {
		case line[j] == '\\' && j+1 < len(line) && s.ownOption(line, j+1):
			b.WriteString(line[from:j])
			from = j + 1
		case s.ownOption(line, j):
			b.WriteString(line[from:j])
			return trimSpace(b.String()), j
		}
	}
	b.WriteString(line[from:])
	return trimSpace(b.String()), len(line)
}

// textOpen tells whether the command's free text starts after the
// positional words read so far.
func (s *spec) textOpen(pos []string) bool {
	if len(pos) > 0 {
		if n, ok := s.textAfter[strings.ToLower(pos[0])]; ok {
			return len(pos) == n
		}
	}
	n, ok := s.textAfter[""]
	return ok && len(pos) == n
}

// parseArgs reads what follows the command's name.
func parseArgs(s *spec, line string) (*args, error) {
	a := &args{spec: s, value: map[string]string{}, set: map[string]bool{}, values: map[string][]string{}}
	c := closings(line)
	i := 0
	for {
		if i = skipSpace(line, i); i == len(line) {
			return a, nil
		}
		open := s.textOpen(a.pos)
		name, end, isOption := optionAt(line, i)
		takesValue, known := s.flags[name]
		switch {
		case isOption && (known || !open || a.hasText):
			if !known {
				return nil, a.usageErr("command.option.unknown", session.CleanLine(name))
			}
			val, next, err := a.optionValue(line, c, name, end, takesValue)
			if err != nil {
				return nil, err
			}
			a.set[name] = true
			a.value[name] = val
			a.values[name] = append(a.values[name], val)
			i = next
		case open && a.hasText:
			rest, _ := s.textFrom(line, i)
			return nil, a.usageErr("command.option.after_text", session.CleanLine(oneLine(rest, 40)), lastOption(s, line[:i]))
		case open:
			a.text, i = s.textFrom(line, i)
			a.hasText = true
		default:
			var w string
			w, i = word(line, c, i)
			a.pos = append(a.pos, w)
		}
	}
}

// optionValue reads the value of the option whose name ends at line[end].
func (a *args) optionValue(line string, c closing, name string, end int, takesValue bool) (string, int, error) {
	hasVal := end < len(line) && line[end] == '='
	switch {
	case !takesValue && hasVal:
		return "", 0, a.usageErr("command.option.no_value", name)
	case !takesValue:
		return "", end, nil
	case hasVal:
		end++
	}
	from := skipSpace(line, end)
	if a.spec.text[name] {
		val, next := a.spec.textFrom(line, from)
		if val == "" {
			return "", 0, a.usageErr("command.option.needs_value", name)
		}
		return val, next, nil
	}
	if from == len(line) || (!hasVal && a.spec.ownOption(line, from)) || (hasVal && from != end) {
		return "", 0, a.usageErr("command.option.needs_value", name)
	}
	val, next := word(line, c, from)
	return val, next, nil
}

// lastOption names the last of the command's options in line, for the
// hint on writing one inside text.
func lastOption(s *spec, line string) string {
	last := "OPTION"
	for j := 0; j < len(line); j++ {
		if (j == 0 || isSpace(line[j-1])) && s.ownOption(line, j) {
			last, _, _ = optionAt(line, j)
		}
	}
	return last
}

// unquote takes the quotes off a name typed in quotes, where the command
// looks it up among those that exist (a theme, a level, a sector).
func unquote(s string) string {
	s = trimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return trimSpace(s[1 : len(s)-1])
	}
	return s
}
