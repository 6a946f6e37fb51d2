// Package linemode is moot's line mode: the forum for a person on a screen
// reader or a braille display, or at a terminal that cannot draw a screen.
// What happens comes as sentences, one a line, in the order it happens;
// the person types the same commands as everywhere, one a line, and each
// is answered in a line or a few. Nothing moves the cursor, nothing is
// coloured, nothing is redrawn: a transcript is lines of text.
//
// Like the full screen it renders views only (session decides what each
// person may see), and it changes the forum only through the command
// language (this file is the one place that runs commands) and the typed
// command that registers a newcomer.
package linemode

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"moot/session"
	"moot/session/catalogue"
	"moot/session/command"
)

// Config is what one person's line session needs.
type Config struct {
	Hub *session.Hub
	// ID is who the person is: their key's fingerprint, or the identity a
	// join code gave them.
	ID string
	// In is what they type; Out is where line mode writes.
	In  io.Reader
	Out io.Writer
	// Terminal is set when the session has a PTY: the client then sends
	// each key as typed and shows nothing itself, so line mode echoes and
	// edits the line (terminal.go).
	Terminal bool
	// Snapshots are the forum's, as the person's subscription delivers
	// them (latest wins).
	Snapshots <-chan *session.Snapshot
	// Narrator is the forum's, shared by all its line sessions; nil makes
	// one for this session alone.
	Narrator *Narrator
	// Rejoin is the rejoin code made for this person just now, to tell
	// them; Held is the one they hold (made now, or typed to join), which
	// whoami says again.
	Rejoin, Held string
	Bounds       Bounds
	Log          *slog.Logger
	// Catalogue has the languages the server speaks; nil is English.
	Catalogue *catalogue.Catalogue
}

// Ended says why a line session ended.
type Ended int

const (
	// Gone: ctx ended (the session or its connection closed), or writing
	// to the person failed.
	Gone Ended = iota
	// Left: the person left (quit, Ctrl-D, or the end of their input).
	Left
	// Stopping: the server is stopping; line mode has said so.
	Stopping
)

// Run runs one person's line session until it ends, and tells why.
func Run(ctx context.Context, c Config) Ended {
	c.Bounds = c.Bounds.withDefaults(command.MaxLineBytes)
	if c.Narrator == nil {
		c.Narrator = NewNarrator()
	}
	if c.Log == nil {
		c.Log = c.Hub.Logger()
	}
	t := newTerminal(c.Out, c.Terminal, c.Bounds.MaxLine)
	in := newInput(c.In, t, c.Bounds)
	lines := make(chan typed)
	done := make(chan struct{})
	defer close(done)
	// Reading blocks until the person types; it ends when the input does,
	// which the end of the session brings about.
	go func() {
		for {
			x := in.next()
			select {
			case lines <- x:
			case <-done:
				return
			}
			if x.end {
				return
			}
		}
	}()
	s := &lineSession{Config: c, t: t}
	return s.run(ctx, lines)
}

// lineSession is one person's line session, owned by the goroutine that
// runs it.
type lineSession struct {
	Config
	t *terminal
	// seen is the snapshot last told: the next is told as what changed
	// since. Nil until the person has joined (given their name).
	seen *session.Snapshot
	// asking is what a newcomer is being asked; name is the name they
	// gave.
	asking asking
	name   string
}

type asking int

const (
	notAsking asking = iota
	askingName
	askingSector
)

func (s *lineSession) run(ctx context.Context, lines <-chan typed) Ended {
	if s.Rejoin != "" {
		s.say(sayRejoinCode(s.lang(), s.Rejoin))
	}
	v := s.Hub.Snapshot().ViewFor(s.ID)
	if _, known := v.Me(); !known && !v.Archived() {
		s.asking = askingName
		s.say(sayAskName(s.lang(), v.Forum().Title))
	} else {
		s.welcome()
	}
	for {
		if s.t.gone() {
			return Gone
		}
		select {
		case <-ctx.Done():
			return Gone
		case snap := <-s.Snapshots:
			if s.snapshot(snap) {
				return Stopping
			}
		case x := <-lines:
			if ended, ok := s.typed(ctx, x); ok {
				return ended
			}
		}
	}
}

// lang is the printer of the person's language: their own choice, else
// their forum's.
func (s *lineSession) lang() printer { return printerOf(s.Catalogue, s.Hub.Snapshot().ViewFor(s.ID)) }

// printerOf is the printer of the language a viewer reads.
func printerOf(c *catalogue.Catalogue, v *session.View) printer {
	return c.Printer(v.Langs()...)
}

// say writes lines; a write that fails ends the session (run sees it).
func (s *lineSession) say(lines ...string) {
	if len(lines) > 0 {
		_ = s.t.say(lines...)
	}
}

// welcome tells a person who has joined where the forum stands, and from
// then on what changes.
func (s *lineSession) welcome() {
	snap := s.Hub.Snapshot()
	v := snap.ViewFor(s.ID)
	if me, ok := v.Me(); ok {
		s.say(sayWelcome(s.lang(), v.Forum().Title, me.Name), sayHowTo(s.lang()))
	} else {
		s.say(sayWelcomeArchived(s.lang(), v.Forum().Title), sayHowTo(s.lang()))
	}
	s.say(status(printerOf(s.Catalogue, v), v)...)
	s.seen = snap
}

// snapshot tells what changed since the snapshot last told; true when the
// server is stopping.
func (s *lineSession) snapshot(snap *session.Snapshot) (stopping bool) {
	now := snap.ViewFor(s.ID)
	if now.Stopping() {
		s.say(sayStopping(s.lang()))
		return true
	}
	if s.seen == nil {
		return false // a newcomer hears where the forum is once they have joined
	}
	was := s.seen.ViewFor(s.ID)
	if now.Seq() < was.Seq() || now.Seq() == was.Seq() && !now.Now().After(was.Now()) {
		return false // older than what was told (welcome read the latest)
	}
	p := printerOf(s.Catalogue, now)
	lines := told(s.Narrator.shared(p, s.seen, snap, now.Audience()), narrateOwn(p, was, now), was, now)
	s.seen = snap
	s.say(lines...)
	return false
}

// told is what a person hears of a change: what their audience is told
// (shared: never written to), then what is theirs alone, less what they
// chose quiet not to hear.
func told(shared, own []said, was, now *session.View) []string {
	me, _ := now.Me()
	quiet := me.Quiet
	var lines []string
	for _, list := range [][]said{shared, own} {
		for _, x := range list {
			if !quiet || x.move || concerns(was, now, x) {
				lines = append(lines, x.lines...)
			}
		}
	}
	return lines
}

// concerns tells whether what is said answers something of the viewer's:
// a card they wrote, a statement they proposed, their table, their own
// seat or answer.
func concerns(was, now *session.View, x said) bool {
	if x.yours {
		return true
	}
	if x.table != 0 {
		if t := now.MyTable(); t != nil && t.ID == x.table {
			return true
		}
	}
	for _, id := range x.cards {
		for _, v := range []*session.View{now, was} {
			if c, ok := v.FindCard(id); ok && v.Mine(c) {
				return true
			}
		}
	}
	if x.statement != 0 {
		if st, ok := now.FindStatement(x.statement); ok && now.Proposed(st) {
			return true
		}
	}
	return false
}

// typed takes what the person typed; ok is set when the session ends.
func (s *lineSession) typed(ctx context.Context, x typed) (ended Ended, ok bool) {
	switch {
	case x.end:
		s.say(sayGoodbye(s.lang()))
		return Left, true
	case x.refused == tooLong:
		s.say(sayLineTooLong(s.lang(), s.Bounds.MaxLine))
		return 0, false
	case x.refused == tooFast:
		s.say(sayTooFast(s.lang()))
		return 0, false
	case strings.EqualFold(strings.TrimSpace(x.line), "quit"):
		s.say(sayGoodbye(s.lang()))
		return Left, true
	case s.asking != notAsking:
		s.onboard(ctx, x.line)
		return 0, false
	}
	// What happened before this line is told before its answer, even
	// when its snapshot is still on its way.
	if s.snapshot(s.Hub.Snapshot()) {
		return Stopping, true
	}
	word := strings.ToLower(command.Name(x.line))
	alone := strings.TrimSpace(x.line) == command.Name(x.line)
	v := s.Hub.Snapshot().ViewFor(s.ID)
	switch answer, own := answers[word]; {
	case word == "":
	case own && alone && (word != "cards" || v.CurrentStep() != nil):
		// Off a step, cards needs a step named: the command says so.
		s.say(answer(printerOf(s.Catalogue, v), v)...)
	default:
		s.command(ctx, x.line)
	}
	return 0, false
}

// command runs a line through the command language, as the screen's
// command line does, and says its answer.
func (s *lineSession) command(ctx context.Context, line string) {
	// Answers are read aloud: they come in their spoken form (a card is
	// "card 7", never "card #7").
	spoken := s.lang().Spoken()
	var out strings.Builder
	err := command.Run(ctx, command.Env{Hub: s.Hub, Actor: s.ID, Out: &out, Console: true, Line: true, Log: s.Log, Rejoin: s.Held, Catalogue: s.Catalogue, Printer: spoken}, line)
	answer := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if out.Len() == 0 {
		answer = nil
	}
	if err != nil {
		answer = append(answer, sayFailed(s.lang(), s.lang().Spoken().Error(err)))
	} else if strings.EqualFold(command.Name(line), "help") {
		answer = append(answer, sayLineHelp(s.lang()))
	}
	s.say(answer...)
}

// onboard takes a newcomer's answer to what they were asked.
func (s *lineSession) onboard(ctx context.Context, line string) {
	f := s.Hub.Snapshot().ViewFor(s.ID).Forum()
	switch s.asking {
	case askingName:
		name, err := session.Name(line)
		if err != nil {
			s.say(sayNameRefused(s.lang(), s.lang().Spoken().Error(err)))
			return
		}
		s.name = name
		if len(f.Sectors) > 0 {
			s.asking = askingSector
			s.say(sayAskSector(s.lang(), f.Sectors))
			return
		}
		s.register(ctx, "")
	case askingSector:
		answer := strings.TrimSpace(line)
		sector := ""
		if answer != "" {
			n, err := strconv.Atoi(answer)
			named, ok := f.Sector(answer)
			switch {
			case err == nil && n >= 1 && n <= len(f.Sectors):
				sector = f.Sectors[n-1]
			case ok:
				sector = named
			default:
				s.say(sayNoSuchSector(s.lang(), session.CleanLine(answer), len(f.Sectors)))
				return
			}
		}
		s.register(ctx, sector)
	}
}

func (s *lineSession) register(ctx context.Context, sector string) {
	if err := s.Hub.Do(ctx, s.ID, session.Register{Name: s.name, Sector: sector}); err != nil {
		s.asking = askingName
		s.say(sayFailed(s.lang(), s.lang().Spoken().Error(err)), sayAskName(s.lang(), s.Hub.Snapshot().ViewFor(s.ID).Forum().Title))
		return
	}
	s.asking = notAsking
	s.welcome()
}
