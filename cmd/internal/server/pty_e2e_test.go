package server_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
)

// A command run with a terminal (ssh -t HOST help) reaches a terminal in
// raw mode, which moves down without going back to the left edge on a bare
// line feed: every line of its output, and of an error, starts at the left
// all the same.
func TestACommandOnATerminalStartsEachLineAtTheLeft(t *testing.T) {
	ts := startServer(t)
	key := newKey(t)
	ts.mustExec(t, key, "name Ada")
	for _, tc := range []struct{ cmd, first, second string }{
		{"help", "  whoami ", "  vote BALLOT "},
		{"name", "moot:", ""},
	} {
		c := ts.dial(t, key)
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.RequestPty("xterm-256color", 24, 200, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		// Two buffers: the SSH library copies stdout and stderr from
		// goroutines of their own.
		var stdout, stderr bytes.Buffer
		sess.Stdout, sess.Stderr = &stdout, &stderr
		// Its exit status is other tests' business; that it ran is not.
		if err := sess.Run(tc.cmd); err != nil {
			var exit *gossh.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("%s: %v", tc.cmd, err)
			}
		}
		out := append(stdout.Bytes(), stderr.Bytes()...)
		if !bytes.Contains(out, []byte("\r\n")) {
			t.Fatalf("%s: no CR LF in %q", tc.cmd, out)
		}
		emu := vt.NewEmulator(200, 24)
		if _, err := emu.Write(out); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(emu.String(), "\n")
		for _, want := range []string{tc.first, tc.second} {
			if want == "" {
				continue
			}
			found := false
			for _, l := range lines {
				found = found || strings.HasPrefix(l, want)
			}
			if !found {
				t.Errorf("%s: no line starts with %q; the terminal shows:\n%s", tc.cmd, want, frame(emu.String()))
			}
		}
	}
}
