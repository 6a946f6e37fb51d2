package tui

import "strings"

// compact is line as the terminal should be sent it: the same cells in the
// same colours in fewer bytes, ending with plain attributes. Laid out
// pieces each open and close their own style, so a line says again and
// again what is already in force ("reset, the same colours again"), opens
// styles around nothing, and pads with plain spaces that the erase after
// it would clear anyway. Every byte is encrypted and sent to every screen
// and parsed by every terminal, and on slow links waited for: a step
// change is about two fifths smaller this way.
//
// Only lines of text and SGR sequences are rewritten; a line with any other
// control sequence is sent as it is, reset at its end.
func compact(line string) string {
	if strings.IndexByte(line, '\x1b') < 0 {
		return strings.TrimRight(line, " ")
	}
	return compacted.get(line, func() string { return compactStyled(line) })
}

// compacted keeps lines compacted: the same lines (a header, the footer,
// a card's text) are painted on every screen.
var compacted = newMemo[string, string]()

// compactStyled is compact for a line with escape sequences.
//
// An attribute state is named by the parameters of the SGR sequences
// given since the last reset, in order: two states of the same name are
// the same attributes, which is all this needs (it never merges states of
// different names that happen to look alike). Text is written in the
// state in force where it stands; a change of state is written only when
// text follows it, so a style around nothing is not written at all.
func compactStyled(line string) string {
	var out strings.Builder
	out.Grow(len(line))
	var want, sent string // the state the line asks for; the state written
	for i := 0; i < len(line); {
		if line[i] == '\x1b' {
			params, end, ok := sgrAt(line, i)
			if !ok {
				return line + "\x1b[0m"
			}
			i = end
			switch {
			case params == "" || params == "0":
				want = ""
			case params == want:
				// The same attributes again.
			case want == "":
				want = params
			default:
				want += ";" + params
			}
			continue
		}
		next := strings.IndexByte(line[i:], '\x1b')
		if next < 0 {
			next = len(line) - i
		}
		if want != sent {
			switch {
			case want == "":
				out.WriteString("\x1b[0m")
			case sent == "":
				out.WriteString("\x1b[" + want + "m")
			case strings.HasPrefix(want, sent+";"):
				out.WriteString("\x1b[" + want[len(sent)+1:] + "m")
			default:
				out.WriteString("\x1b[0;" + want + "m")
			}
			sent = want
		}
		out.WriteString(line[i : i+next])
		i += next
	}
	if sent != "" {
		return out.String() + "\x1b[0m"
	}
	// Spaces at the end are plain, as the erase after the line leaves.
	return strings.TrimRight(out.String(), " ")
}

// sgrAt reads the SGR sequence (CSI ... m) that starts at line[i]: its
// parameters and where it ends. ok is false for anything else.
func sgrAt(line string, i int) (params string, end int, ok bool) {
	if i+1 >= len(line) || line[i+1] != '[' {
		return "", 0, false
	}
	j := i + 2
	for j < len(line) && (line[j] >= '0' && line[j] <= '9' || line[j] == ';') {
		j++
	}
	if j >= len(line) || line[j] != 'm' {
		return "", 0, false
	}
	return line[i+2 : j], j + 1, true
}
