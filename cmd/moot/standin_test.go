package main_test

// ssh and ssh-keygen as the README's examples use them, so that those
// examples run exactly as written, through a real shell, with nothing but
// Go installed. The ssh stand-in sends what OpenSSH sends: the words the
// shell gave it after the destination, joined with single spaces.

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// The stand-in's settings, from the test that runs it.
const (
	// envAddr is where the test's server listens: every host and port
	// in an example means it.
	envAddr = "MOOT_README_ADDR"
	// envKey is the private key file used unless -i names one.
	envKey = "MOOT_README_KEY"
	// envUntil: on a screen, standard input is sent only once the
	// screen shows this text, as a person reads before typing.
	envUntil = "MOOT_README_UNTIL"
)

// sshStandIn is `ssh [-p PORT] [-i KEY] [-o OPTION] [-t|-T] [USER@]HOST [WORD...]`.
func sshStandIn(args []string) int {
	keyFile := os.Getenv(envKey)
	pubkey, pty, noPty := true, false, false
	var rest []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-p" || a == "-i" || a == "-o" || a == "-l":
			if i+1 == len(args) {
				fmt.Fprintf(os.Stderr, "ssh: %s needs a value\n", a)
				return 255
			}
			i++
			switch a {
			case "-i":
				keyFile = args[i]
			case "-o":
				if strings.EqualFold(args[i], "PubkeyAuthentication=no") {
					pubkey = false
				}
			}
		case a == "-t":
			pty = true
		case a == "-T":
			noPty = true
		case strings.HasPrefix(a, "-"):
			fmt.Fprintf(os.Stderr, "ssh stand-in: option %s is not known here\n", a)
			return 255
		default:
			rest = args[i:]
			i = len(args)
		}
	}
	if len(rest) == 0 {
		fmt.Fprintln(os.Stderr, "ssh: no destination")
		return 255
	}
	user, _, _ := strings.Cut(rest[0], "@")
	if !strings.Contains(rest[0], "@") {
		user = "someone"
	}
	line := strings.Join(rest[1:], " ")

	stdin := bufio.NewReader(os.Stdin)
	cfg := &gossh.ClientConfig{User: user, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 20 * time.Second}
	if pubkey {
		pem, err := os.ReadFile(keyFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ssh:", err)
			return 255
		}
		signer, err := gossh.ParsePrivateKey(pem)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ssh:", err)
			return 255
		}
		cfg.Auth = []gossh.AuthMethod{gossh.PublicKeys(signer)}
	} else {
		// Each prompt answered with a line of standard input, as a person
		// types at the prompt.
		cfg.Auth = []gossh.AuthMethod{gossh.KeyboardInteractive(func(name, instruction string, questions []string, echos []bool) ([]string, error) {
			answers := make([]string, len(questions))
			for i, q := range questions {
				fmt.Fprintf(os.Stderr, "(%s) %s", rest[0], q)
				a, err := stdin.ReadString('\n')
				if err != nil && a == "" {
					return nil, err
				}
				answers[i] = strings.TrimRight(a, "\r\n")
				fmt.Fprintln(os.Stderr, answers[i])
			}
			return answers, nil
		})}
	}
	c, err := gossh.Dial("tcp", os.Getenv(envAddr), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ssh:", err)
		return 255
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ssh:", err)
		return 255
	}
	defer sess.Close()
	sess.Stderr = os.Stderr
	if line != "" && !pty {
		sess.Stdin, sess.Stdout = stdin, os.Stdout
		return exitStatus(sess.Run(line))
	}
	if noPty {
		// No terminal and no command: a session of lines, as ssh -T opens.
		sess.Stdin, sess.Stdout = stdin, os.Stdout
		if err := sess.Shell(); err != nil {
			fmt.Fprintln(os.Stderr, "ssh:", err)
			return 255
		}
		return exitStatus(sess.Wait())
	}
	// A screen: as ssh does with no command, a terminal of 80x24.
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		fmt.Fprintln(os.Stderr, "ssh:", err)
		return 255
	}
	in, err := sess.StdinPipe()
	if err != nil {
		return 255
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return 255
	}
	if line == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(line)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ssh:", err)
		return 255
	}
	seen := make(chan struct{})
	go func() {
		var once sync.Once
		var screen strings.Builder
		buf := make([]byte, 32<<10)
		until := os.Getenv(envUntil)
		for {
			n, err := out.Read(buf)
			os.Stdout.Write(buf[:n])
			screen.Write(buf[:n])
			if strings.Contains(ansi.Strip(screen.String()), until) {
				once.Do(func() { close(seen) })
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-seen:
	case <-time.After(20 * time.Second):
		fmt.Fprintf(os.Stderr, "ssh stand-in: the screen never showed %q\n", os.Getenv(envUntil))
		return 124
	}
	go func() { io.Copy(in, stdin) }()
	return exitStatus(sess.Wait())
}

func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	if e, ok := err.(*gossh.ExitError); ok {
		return e.ExitStatus()
	}
	if _, ok := err.(*gossh.ExitMissingError); ok {
		return 0
	}
	fmt.Fprintln(os.Stderr, "ssh:", err)
	return 255
}

// sshKeygenStandIn is `ssh-keygen -t ed25519 -N ” -f FILE`: FILE and
// FILE.pub, as ssh-keygen writes them.
func sshKeygenStandIn(args []string) int {
	file := ""
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "-t":
			if args[i+1] != "ed25519" {
				fmt.Fprintln(os.Stderr, "ssh-keygen stand-in: ed25519 keys only")
				return 1
			}
		case "-f":
			file = args[i+1]
		}
	}
	if file == "" {
		fmt.Fprintln(os.Stderr, "ssh-keygen stand-in: give -f FILE")
		return 1
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return 1
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		return 1
	}
	sshPub, err := gossh.NewPublicKey(pub)
	if err != nil {
		return 1
	}
	if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.WriteFile(file+".pub", gossh.MarshalAuthorizedKey(sshPub), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
