package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/connlimit"
	"moot/session"
)

// People without an SSH key join with keyboard-interactive authentication
// and the forum's join code. The first time, the server makes them a
// personal rejoin code and shows it on their screen; their identity is
// derived from that code, so typing it next time (alone, or after the join
// code) makes them the same participant again. The server keeps no codes:
// only the identity derived from one, as it keeps key fingerprints.

type ctxKey string

const (
	ctxIdentity ctxKey = "moot-identity"
	ctxRejoin   ctxKey = "moot-rejoin" // set only when a rejoin code was made for this connection
	// ctxForum is the slug of the forum a person without a key named at
	// the prompt, when their SSH user name named none.
	ctxForum ctxKey = "moot-forum"
	// ctxHeld is the rejoin code the person holds, made now or typed, so
	// that whoami can show it again on this connection.
	ctxHeld ctxKey = "moot-held"
)

// IdentityPrefix starts the identity of everyone who joined with a code
// rather than a key (keys' identities start with SHA256:).
const IdentityPrefix = "code:"

// rejoinAlphabet leaves out letters and digits that are easily confused
// (0/o, 1/l/i) when read off a screen and typed again.
const rejoinAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// identity is who a session's person is: the key's fingerprint, or the
// identity a join code gave them. rejoin is their new rejoin code, set only
// on the connection that made it.
func identity(sess ssh.Session) (id, rejoin string) {
	ctx := sess.Context()
	if v, ok := ctx.Value(ctxIdentity).(string); ok && v != "" {
		rejoin, _ = ctx.Value(ctxRejoin).(string)
		return v, rejoin
	}
	if key := sess.PublicKey(); key != nil {
		return gossh.FingerprintSHA256(key), ""
	}
	return "", ""
}

// keyboardInteractive asks for the join code of the forum the user name
// picks, or first which forum, when the name picks none on a server of
// several (ssh sends the local account's name when none is typed). Answers:
// the join code (a first visit: a new rejoin code is made), a rejoin code
// alone (only one the forum already knows), or both.
//
// The texts are for every client: OpenSSH prints the instruction on lines
// of its own, Dropbear runs the name, the instruction and the prompt
// together, PuTTY frames them. So the name is left empty and the
// instruction ends its own line.
func (s *Server) keyboardInteractive(ctx ssh.Context, challenge gossh.KeyboardInteractiveChallenge) bool {
	slug, _ := strings.CutSuffix(ctx.User(), screenSuffix)
	hub, err := s.forumFor(slug)
	if err != nil {
		if hub = s.askForum(challenge); hub == nil {
			return false
		}
		ctx.SetValue(ctxForum, hub.Forum().Slug)
	}
	f := hub.Forum()
	if f.JoinCode == "" {
		return false
	}
	// Every answer is a guess: booked, and held back as the throttle
	// says, before the person is asked for it.
	source := connlimit.Source(ctx.RemoteAddr())
	tell := func(msg string) { _, _ = challenge("", line(msg), nil, nil) }
	if msg := s.guesses.admit(ctx, source, f.Slug, tell); msg != "" {
		tell(msg)
		return false
	}
	answers, err := challenge("",
		line("Joining "+f.Title+" without an SSH key.\nType the forum's join code; if you have been here before, your rejoin code (or both, with a space between)."),
		[]string{"Join code: "}, []bool{false})
	if err != nil || len(answers) != 1 {
		return false
	}
	id, rejoin, ok := checkCode(hub, answers[0])
	if !ok {
		return false
	}
	s.guesses.right(source, f.Slug)
	ctx.SetValue(ctxIdentity, id)
	if rejoin != "" {
		ctx.SetValue(ctxRejoin, rejoin)
	}
	// The code the person holds, for whoami: the one made now, or the
	// one they typed.
	held := rejoin
	if words := strings.Fields(answers[0]); len(words) > 0 {
		if typed, ok := normalRejoin(words[len(words)-1]); ok && rejoinIdentity(typed) == id {
			held = typed
		}
	}
	if held != "" {
		ctx.SetValue(ctxHeld, held)
	}
	return true
}

// askForum asks a person without a key which forum they are joining, of
// those that take a join code; nil if they name none of them.
func (s *Server) askForum(challenge gossh.KeyboardInteractiveChallenge) *session.Hub {
	var names []string
	for _, h := range s.served() {
		if f := h.Forum(); f.JoinCode != "" {
			names = append(names, fmt.Sprintf("  %s  (%s)", f.Slug, f.Title))
		}
	}
	if len(names) == 0 {
		return nil
	}
	answers, err := challenge("",
		line("This server hosts several forums. Type the short name of yours:\n"+strings.Join(names, "\n")),
		[]string{"Forum: "}, []bool{true})
	if err != nil || len(answers) != 1 {
		return nil
	}
	h, ok := s.hub(strings.ToLower(strings.TrimSpace(answers[0])))
	if !ok || h.Forum().JoinCode == "" {
		_, _ = challenge("", line(fmt.Sprintf("No forum %q takes a join code here.", session.CleanLine(answers[0]))), nil, nil)
		return nil
	}
	return h
}

// line ends a keyboard-interactive text with a line break, which Dropbear
// does not add before its prompt.
func line(text string) string { return text + "\n" }

// checkCode reads an answer at the join-code prompt: the join code (a new
// rejoin code is made: a first visit), a rejoin code alone (only one the
// forum knows), or both. ok is false for anything else.
func checkCode(hub *session.Hub, answer string) (id, rejoin string, ok bool) {
	f := hub.Forum()
	words := strings.Fields(answer)
	joinOK := func(w string) bool {
		return subtle.ConstantTimeCompare([]byte(strings.ToLower(w)), []byte(strings.ToLower(f.JoinCode))) == 1
	}
	switch {
	case len(words) == 1 && joinOK(words[0]):
		rejoin = newRejoinCode()
		return rejoinIdentity(rejoin), rejoin, true
	case len(words) == 1:
		// A rejoin code alone lets back in only someone the forum knows:
		// a made-up code is not a way round the join code.
		code, ok := normalRejoin(words[0])
		if !ok {
			return "", "", false
		}
		id = rejoinIdentity(code)
		_, known := hub.Snapshot().Participant(id)
		return id, "", known
	case len(words) == 2 && joinOK(words[0]):
		code, ok := normalRejoin(words[1])
		if !ok {
			return "", "", false
		}
		return rejoinIdentity(code), "", true
	}
	return "", "", false
}

// heldCode is the rejoin code of the person on this connection, if they
// joined with one (or were given one on it).
func heldCode(sess ssh.Session) string {
	code, _ := sess.Context().Value(ctxHeld).(string)
	return code
}

// newRejoinCode makes a code of 12 characters (about 59 bits), written in
// three groups: "k7mq-x3pa-9fhe".
func newRejoinCode() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	out := make([]byte, 0, 14)
	for i, v := range b {
		if i == 4 || i == 8 {
			out = append(out, '-')
		}
		out = append(out, rejoinAlphabet[int(v)%len(rejoinAlphabet)])
	}
	return string(out)
}

// normalRejoin reads a rejoin code as typed: any letter case, with or
// without its dashes.
func normalRejoin(s string) (string, bool) {
	s = strings.ToLower(strings.ReplaceAll(s, "-", ""))
	if len(s) != 12 {
		return "", false
	}
	for _, r := range s {
		if !strings.ContainsRune(rejoinAlphabet, r) {
			return "", false
		}
	}
	return s[:4] + "-" + s[4:8] + "-" + s[8:], true
}

// rejoinIdentity is the stable identity of the holder of a rejoin code.
func rejoinIdentity(code string) string {
	code, _ = normalRejoin(code)
	sum := sha256.Sum256([]byte("moot rejoin code " + code))
	return IdentityPrefix + base64.RawStdEncoding.EncodeToString(sum[:])
}
