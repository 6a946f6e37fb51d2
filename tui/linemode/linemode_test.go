package linemode

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"moot/session"
)

// person is someone in line mode against a real hub, typing into a pipe
// and reading what line mode writes.
type person struct {
	t     *testing.T
	in    *io.PipeWriter
	mu    sync.Mutex
	out   bytes.Buffer
	ended chan Ended
}

func (p *person) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *person) transcript() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func join(t *testing.T, h *session.Hub, id, rejoin string, out io.Writer) *person {
	t.Helper()
	sub, err := h.Subscribe(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	p := &person{t: t, in: pw, ended: make(chan Ended, 1)}
	if out == nil {
		out = p
	}
	go func() {
		defer sub.Close()
		p.ended <- Run(context.Background(), Config{Hub: h, ID: id, In: pr, Out: out, Snapshots: sub.C(), Rejoin: rejoin})
	}()
	t.Cleanup(func() { pw.Close() })
	return p
}

func (p *person) typeLine(line string) {
	p.t.Helper()
	if _, err := io.WriteString(p.in, line+"\n"); err != nil {
		p.t.Fatal(err)
	}
}

// hears waits until every one of lines has been written, each a line of
// its own.
func (p *person) hears(lines ...string) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := "\n" + p.transcript()
		ok := true
		for _, l := range lines {
			ok = ok && strings.Contains(got, "\n"+l+"\n")
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("did not hear %q; the transcript:\n%s", lines, p.transcript())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (p *person) end() Ended {
	p.t.Helper()
	select {
	case e := <-p.ended:
		return e
	case <-time.After(10 * time.Second):
		p.t.Fatal("the session did not end")
		return 0
	}
}

// A newcomer is asked their name, again when it cannot be used, and their
// sector, by number or by name in any letter case; someone who joined with
// a join code is told their rejoin code, spelled out for speech. Quit
// leaves even before the questions are answered.
func TestANewcomerJoinsInLines(t *testing.T) {
	h := newHub(t)
	dee := "code:dee"
	p := join(t, h, dee, "k7mq-x3pa-9fhe", nil)
	p.hears("Your rejoin code is k7mq-x3pa-9fhe, spelled k 7 m q, x 3 p a, 9 f h e. Keep it: type it at the join code prompt next time to come back as the same person.",
		"Welcome to Riverside forum. What name should others see? Type it and press Enter, up to 40 characters.")
	p.typeLine(strings.Repeat("D", 41))
	p.hears("That name cannot be used: a name can be at most 40 characters (this one has 41). Type another.")
	p.typeLine("Dee")
	p.hears("Which sector are you part of? It is optional: reports count people by sector, never by name. Type its number, or press Enter to skip. 1, Community. 2, Third sector.")
	p.typeLine("third SECTOR")
	p.hears("You are Dee, Third sector, taking part.")
	p.typeLine("name Ada")
	p.hears("Not done: someone here is already called Ada: add an initial or a surname to tell you apart.")
	if me, ok := h.Snapshot().Participant(dee); !ok || me.Name != "Dee" || me.Sector != "Third sector" {
		t.Errorf("Dee joined as %+v", me)
	}
	p.in.Close()
	if e := p.end(); e != Left {
		t.Errorf("the end of the input ended the session as %v, want Left", e)
	}

	q := join(t, h, "code:quitter", "", nil)
	q.hears("Welcome to Riverside forum. What name should others see? Type it and press Enter, up to 40 characters.")
	q.typeLine("quit")
	q.hears("Goodbye. Your place is kept; join again at any time.")
	if e := q.end(); e != Left {
		t.Errorf("quit before joining ended the session as %v, want Left", e)
	}
}

// When the server stops, line mode says so and ends.
func TestLineModeSaysTheServerIsStopping(t *testing.T) {
	h := newHub(t)
	p := join(t, h, ada, "", nil)
	p.hears("Welcome to Riverside forum, Ada. This is line mode: what happens comes as sentences, one a line.")
	h.Stop()
	p.hears("The server is stopping. Everything you saved is kept; join again in a minute.")
	if e := p.end(); e != Stopping {
		t.Errorf("ended as %v, want Stopping", e)
	}
}

// In an archived forum a newcomer is not asked for a name: they hear it as
// it ended, and every change is refused.
func TestAnArchivedForumIsReadInLines(t *testing.T) {
	h := newHub(t)
	do(t, h, fran, session.ArchiveForum{Archived: true})
	p := join(t, h, "SHA256:newcomer", "", nil)
	p.hears("Welcome to Riverside forum. It is archived: you can read it, and nothing in it can change.",
		"The forum is archived: it can be read, and nothing in it can change.")
	p.typeLine("name Nobody")
	p.hears("Not done: " + session.ErrArchived.Error())
}

// A person whose client has gone (writing fails) is let go at once.
func TestLineModeEndsWhenWritingFails(t *testing.T) {
	h := newHub(t)
	p := join(t, h, ada, "", failingWriter{})
	if e := p.end(); e != Gone {
		t.Errorf("ended as %v, want Gone", e)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("the client has gone") }

// Off a step, cards needs a step named, and the command language says
// so; with options, the questions line mode answers itself go to the
// command language, as every other command does.
func TestQuestionsWithOptionsGoToTheCommandLanguage(t *testing.T) {
	h := newHub(t)
	p := join(t, h, ada, "", nil)
	p.typeLine("cards")
	p.hears("Not done: the forum is not on a step; say which (--step N)")
	p.typeLine("status --json")
	p.hears(`  "stage": "lobby",`)
	p.typeLine("help")
	p.hears("In line mode, status, cards, ballots, statements and polls typed alone answer in sentences, and quit leaves.")
	p.typeLine("quit")
	p.hears("Goodbye. Your place is kept; join again at any time.")
	if e := p.end(); e != Left {
		t.Errorf("ended as %v, want Left", e)
	}
}
