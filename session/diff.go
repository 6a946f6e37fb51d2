package session

import (
	"fmt"
	"strings"
)

// DiffOp says what happened to a run of words between two wordings.
type DiffOp byte

const (
	Same    DiffOp = '='
	Removed DiffOp = '-'
	Added   DiffOp = '+'
)

// MarshalJSON writes an operation as the string documented for JSON
// output: "=", "-" or "+".
func (op DiffOp) MarshalJSON() ([]byte, error) {
	switch op {
	case Same, Removed, Added:
		return []byte(`"` + string(rune(op)) + `"`), nil
	}
	return nil, fmt.Errorf("no diff operation %d", op)
}

// UnmarshalJSON reads an operation written by MarshalJSON.
func (op *DiffOp) UnmarshalJSON(b []byte) error {
	switch s := string(b); s {
	case `"="`, `"-"`, `"+"`:
		*op = DiffOp(s[1])
		return nil
	}
	return fmt.Errorf("no diff operation %s", b)
}

// DiffPart is a run of words kept, removed or added.
type DiffPart struct {
	Op   DiffOp `json:"op"`
	Text string `json:"text"`
}

// maxDiffWords bounds the table a diff builds; statements are far shorter.
const maxDiffWords = 2000

// DiffWords compares two texts word by word (a longest common subsequence
// of words) and returns the runs kept, removed and added, in reading order.
func DiffWords(from, to string) []DiffPart {
	a, b := strings.Fields(from), strings.Fields(to)
	if len(a) > maxDiffWords || len(b) > maxDiffWords {
		return []DiffPart{{Removed, from}, {Added, to}}
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var parts []DiffPart
	add := func(op DiffOp, w string) {
		if n := len(parts); n > 0 && parts[n-1].Op == op {
			parts[n-1].Text += " " + w
			return
		}
		parts = append(parts, DiffPart{op, w})
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			add(Same, a[i])
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			add(Removed, a[i])
			i++
		default:
			add(Added, b[j])
			j++
		}
	}
	return parts
}

// DiffMarked writes a diff as text, removed words as [-old-] and added
// words as {+new+}.
func DiffMarked(parts []DiffPart) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch p.Op {
		case Removed:
			b.WriteString("[-" + p.Text + "-]")
		case Added:
			b.WriteString("{+" + p.Text + "+}")
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String()
}
