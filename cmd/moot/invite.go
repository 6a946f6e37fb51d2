package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/server"
	"moot/session"
	"moot/session/agenda"
)

// invite prints an invitation to a forum, ready to paste into an e-mail:
// how to join (with the server's real address), the join code if any, how
// to make a key, and what to expect.
func invite(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("moot invite", stderr, "Usage: moot invite [flags] [SLUG]\n\nPrints an invitation to the forum SLUG (which may be left out when there is one).\n\n")
	var data string
	dataFlag(fs, &data)
	agendaFile := fs.String("agenda", "", "read the forum from this agenda file instead of the data folder")
	public := fs.String("public-addr", os.Getenv("MOOT_PUBLIC_ADDR"), "HOST[:PORT] that people type to reach the server (env MOOT_PUBLIC_ADDR); default: the --listen address")
	listen := fs.String("listen", envOr("MOOT_LISTEN", "127.0.0.1:2222"), "the address the server listens on, when no --public-addr is given (env MOOT_LISTEN)")
	if exit, stop := parseFlags(fs, args); stop {
		return exit
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "moot invite: one forum at a time (got %s)\n", strings.Join(fs.Args(), " "))
		return 2
	}
	addr := server.ListenAddress(*listen)
	if *public != "" {
		var err error
		if addr, err = server.ParseAddress(*public); err != nil {
			fmt.Fprintf(stderr, "moot invite: --public-addr %v\n", err)
			return 2
		}
	}
	f, err := inviteForum(*agendaFile, data, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "moot invite: %v\n", err)
		return 1
	}
	// The host key's fingerprint lets people check, the first time, that
	// they reached the real server; without the data folder it is left out.
	hostKey := ""
	if b, err := os.ReadFile(filepath.Join(data, "host_ed25519")); err == nil {
		if k, err := gossh.ParsePrivateKey(b); err == nil {
			hostKey = gossh.FingerprintSHA256(k.PublicKey())
		}
	}
	writeInvitation(stdout, f, addr, hostKey)
	return 0
}

func inviteForum(agendaFile, dataDir, slug string) (*session.Forum, error) {
	if agendaFile != "" {
		b, err := os.ReadFile(agendaFile)
		if err != nil {
			return nil, err
		}
		f, err := agenda.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s:\n%s", agendaFile, indent(err.Error()))
		}
		if slug != "" && slug != f.Slug {
			return nil, fmt.Errorf("%s is the agenda of %q, not %q", agendaFile, f.Slug, slug)
		}
		return f, nil
	}
	s, st, err := readForum(context.Background(), dataDir, "", slug)
	if err != nil {
		return nil, fmt.Errorf("%w\n(a forum is in the data folder once the server has served it; or give its --agenda FILE)", err)
	}
	s.Close()
	return st.Forum, nil
}

// writeInvitation writes the invitation as plain text, wrapped for e-mail.
func writeInvitation(w io.Writer, f *session.Forum, addr server.Address, hostKey string) {
	const width = 72
	para := func(text string) { fmt.Fprintf(w, "%s\n\n", ansi.Wordwrap(text, width, "")) }
	command := func(line string) { fmt.Fprintf(w, "    %s\n\n", line) }

	heading := "You are invited to take part in " + f.Title
	if f.Date != "" {
		heading += ", on " + f.Date
	}
	para(heading + ".")
	if f.Purpose != "" {
		para(f.Purpose)
	}

	fmt.Fprintf(w, "HOW TO JOIN\n\n")
	para("The forum runs in a terminal window, live: everyone sees every change at once. Open a terminal (Terminal on a Mac or on Linux; PowerShell or Windows Terminal on Windows 10 and later; on a phone or tablet, any SSH app) and type:")
	command(addr.SSH(f.Slug))
	first := "The first time, ssh asks whether to trust the server; answer yes."
	if hostKey != "" {
		first = "The first time, ssh asks whether to trust the server and shows its key fingerprint; it should be " + hostKey + ". If it is, answer yes."
	}
	para(first)
	para("moot knows you by your SSH key: use the same computer (or the same key) each time and you are the same person, with what you wrote and voted. If you have no key yet, make one first, pressing Enter at each question:")
	command("ssh-keygen -t ed25519")
	if f.JoinCode != "" {
		para("No key, or a borrowed computer? Then ssh asks for the forum's join code: type " + f.JoinCode + ". The first time, moot shows you a personal rejoin code; write it down, and type it after the join code next time to come back as the same person.")
	} else {
		para("Without a key, ssh says \"Permission denied\": make one as above and try again.")
	}

	fmt.Fprintf(w, "WHAT TO EXPECT\n\n")
	sectors := ""
	if len(f.Sectors) > 0 {
		sectors = " and, if you like, which part of the community you come from (" + strings.Join(f.Sectors, ", ") + ")"
	}
	para("moot asks for the name others will see" + sectors + ". Then your screen follows the facilitator through the forum:")
	for i, st := range f.Steps {
		line := fmt.Sprintf("  %d. %s (%s)", i+1, st.Title, phaseWork[st.Phase])
		fmt.Fprintln(w, ansi.Wordwrap(line, width, ""))
	}
	fmt.Fprintln(w)
	para("On every screen, ? shows the keys, : opens a line to type commands (help lists them), and q leaves; your place is kept, and you can come back at any time with the same line.")
}

// phaseWork says in a few words what a person does on a step of each phase.
var phaseWork = map[session.Phase]string{
	session.Dialogue:     "share experiences and ideas as short cards",
	session.Voting:       "give your dots to what matters most",
	session.Deliberation: "shape statements everyone can support",
	session.Feedback:     "comment on the draft report",
}
