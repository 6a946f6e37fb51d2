package session_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"moot/session"
	"moot/store"
)

const (
	facilitator = "SHA256:facilitator"
	ada         = "SHA256:ada"
	bob         = "SHA256:bob"
)

func testForum() *session.Forum {
	return &session.Forum{
		Slug:    "riverside",
		Title:   "Riverside forum",
		Sectors: []string{"Local government", "Community"},
		Steps: []session.Step{
			{Title: "What gets in the way?", Phase: session.Dialogue, Timebox: 10 * time.Minute},
			{Title: "Which matter most?", Phase: session.Voting},
			{Title: "What can we agree?", Phase: session.Deliberation},
			{Title: "Comments on the draft", Phase: session.Feedback},
		},
		Facilitators: []string{facilitator},
	}
}

// openHub starts a Hub on a real SQLite file; reopen gives a second Hub on
// the same file after the first is stopped, as a server restart does.
func openHub(t testing.TB) (h *session.Hub, reopen func() *session.Hub) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "moot.db")
	open := func() *session.Hub {
		st, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		h, err := session.NewHub(context.Background(), st, testForum(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Stop(); st.Close() })
		return h
	}
	h = open()
	return h, func() *session.Hub {
		h.Stop()
		return open()
	}
}

func do(t testing.TB, h *session.Hub, id string, cmd session.Command) {
	t.Helper()
	if err := h.Do(context.Background(), id, cmd); err != nil {
		t.Fatalf("%T: %v", cmd, err)
	}
}

func TestFacilitatorMovesStepsAndTheyPersist(t *testing.T) {
	h, reopen := openHub(t)
	do(t, h, ada, session.Register{Name: "Ada", Sector: "community"})
	do(t, h, facilitator, session.NextStep{})
	do(t, h, facilitator, session.NextStep{})
	do(t, h, facilitator, session.PreviousStep{})
	if got := h.Snapshot().Step; got != 1 {
		t.Fatalf("step = %d, want 1", got)
	}
	do(t, h, facilitator, session.StartTimer{})
	if !h.Snapshot().Timer.Running() {
		t.Fatal("timer not running after start")
	}

	h = reopen()
	snap := h.Snapshot()
	if snap.Step != 1 {
		t.Errorf("after restart step = %d, want 1", snap.Step)
	}
	if !snap.Timer.Running() {
		t.Error("after restart the timer is gone")
	}
	p, ok := snap.Participant(ada)
	if !ok || p.Name != "Ada" || p.Sector != "Community" {
		t.Errorf("after restart Ada = %+v, %v", p, ok)
	}
}

func TestParticipantCannotSteer(t *testing.T) {
	h, _ := openHub(t)
	for _, cmd := range []session.Command{
		session.NextStep{}, session.PreviousStep{}, session.GoToStep{To: 2},
		session.StartTimer{Minutes: 5}, session.ExtendTimer{Minutes: 5}, session.StopTimer{},
	} {
		err := h.Do(context.Background(), ada, cmd)
		if !errors.Is(err, session.ErrForbidden) {
			t.Errorf("%T by a participant: err = %v, want forbidden", cmd, err)
		}
	}
	if snap := h.Snapshot(); snap.Step != 0 || snap.Seq != 0 {
		t.Errorf("refused commands changed the forum: step %d, seq %d", snap.Step, snap.Seq)
	}
}

func TestStepBounds(t *testing.T) {
	h, _ := openHub(t)
	if err := h.Do(context.Background(), facilitator, session.PreviousStep{}); err == nil {
		t.Error("previous from the lobby was accepted")
	}
	if err := h.Do(context.Background(), facilitator, session.GoToStep{To: 6}); err == nil {
		t.Error("goto 6 of 4 steps was accepted")
	}
	do(t, h, facilitator, session.GoToStep{To: 5}) // closes the forum
	if got := h.Snapshot().Stage(); got != session.Closed {
		t.Errorf("stage = %s, want closed", got)
	}
	if err := h.Do(context.Background(), facilitator, session.NextStep{}); err == nil {
		t.Error("next after closing was accepted")
	}
}

func TestTimer(t *testing.T) {
	h, _ := openHub(t)
	if err := h.Do(context.Background(), facilitator, session.StartTimer{}); err == nil {
		t.Error("a timer started in the lobby")
	}
	do(t, h, facilitator, session.NextStep{})
	do(t, h, facilitator, session.StartTimer{}) // the agenda's 10 minutes
	ends := h.Snapshot().Timer.EndsAt
	if left := time.Until(ends); left < 9*time.Minute || left > 10*time.Minute {
		t.Errorf("timebox left %v, want about 10m", left)
	}
	do(t, h, facilitator, session.ExtendTimer{Minutes: 5})
	if got := h.Snapshot().Timer.EndsAt.Sub(ends); got != 5*time.Minute {
		t.Errorf("extend added %v, want 5m", got)
	}
	if err := h.Do(context.Background(), facilitator, session.ExtendTimer{Minutes: 0}); err == nil {
		t.Error("extend by 0 accepted")
	}
	do(t, h, facilitator, session.StopTimer{})
	if h.Snapshot().Timer.Running() {
		t.Error("timer still running after stop")
	}
	do(t, h, facilitator, session.NextStep{})
	if err := h.Do(context.Background(), facilitator, session.StartTimer{}); err == nil {
		t.Error("started a timer on a step with no timebox and no minutes")
	}
	do(t, h, facilitator, session.StartTimer{Minutes: 3})
	do(t, h, facilitator, session.NextStep{})
	if h.Snapshot().Timer.Running() {
		t.Error("moving on left the old step's timer running")
	}
}

func TestRegisterRejectsBadNamesAndSectors(t *testing.T) {
	h, _ := openHub(t)
	for _, c := range []session.Register{
		{Name: ""},
		{Name: "\x1b[31m\x1b[0m"},
		{Name: "A name that is much too long to fit on anyone's screen at all"},
		{Name: "Ada", Sector: "Aliens"},
	} {
		if err := h.Do(context.Background(), ada, c); err == nil {
			t.Errorf("Register %+v accepted", c)
		}
	}
	if n := len(h.Snapshot().Participants); n != 0 {
		t.Fatalf("%d participants after only bad names", n)
	}
	do(t, h, ada, session.Register{Name: "Ada \x1b]8;;http://x\x07Lovelace\u202e"})
	if p, _ := h.Snapshot().Participant(ada); p.Name != "Ada Lovelace" {
		t.Errorf("name stored as %q", p.Name)
	}
}

func TestSubscribersSeeChangesAndPresence(t *testing.T) {
	h, _ := openHub(t)
	ctx := context.Background()
	sub, err := h.Subscribe(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	// A snapshot taken before the subscription counted may come first;
	// what must come is one that counts it.
	waitFor(t, sub, "ada counted as connected", func(s *session.Snapshot) bool { return s.Connected == 1 }, nil)
	do(t, h, facilitator, session.NextStep{})
	waitFor(t, sub, "step 1", func(s *session.Snapshot) bool { return s.Step == 1 }, nil)
	sub.Close()
	if got := h.Snapshot().Connected; got != 0 {
		t.Errorf("connected after close = %d, want 0", got)
	}
}

// A subscriber that never reads must not hold up the Hub or anyone else:
// its mailbox keeps only the latest snapshot.
func TestStalledSubscriberDelaysNobody(t *testing.T) {
	h, _ := openHub(t)
	ctx := context.Background()
	stalled, err := h.Subscribe(ctx, bob)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := h.Subscribe(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		do(t, h, facilitator, session.GoToStep{To: i%3 + 1})
	}
	do(t, h, facilitator, session.GoToStep{To: 2})
	want := h.Snapshot().Seq
	waitFor(t, reader, "the last change", func(s *session.Snapshot) bool { return s.Seq == want }, nil)
	// The reader may have taken the latest snapshot while the Hub was still
	// offering it to the others; a command that changes nothing goes
	// through the Hub's loop after that offer has finished.
	do(t, h, facilitator, session.GoToStep{To: 2})
	// The stalled one has exactly the latest waiting, nothing older.
	if snap := next(t, stalled); snap.Seq != want || snap.Step != 2 {
		t.Errorf("stalled subscriber's mailbox holds seq %d step %d, want seq %d step 2", snap.Seq, snap.Step, want)
	}
	if n := len(stalled.C()); n != 0 {
		t.Errorf("stalled subscriber's mailbox holds %d more snapshots, want none", n)
	}
}

func TestGroupCommitKeepsEveryCommand(t *testing.T) {
	h, reopen := openHub(t)
	const n = 100
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		id := "SHA256:p" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		go func() { errs <- h.Do(context.Background(), id, session.Register{Name: "P " + id[8:]}) }()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	h = reopen()
	if got := len(h.Snapshot().Participants); got != n {
		t.Errorf("%d participants after restart, want %d", got, n)
	}
	if got := h.Snapshot().Seq; got != n {
		t.Errorf("log has %d events, want %d", got, n)
	}
}

func TestStopTellsSubscribers(t *testing.T) {
	h, _ := openHub(t)
	sub, err := h.Subscribe(context.Background(), ada)
	if err != nil {
		t.Fatal(err)
	}
	h.Stop()
	for {
		if snap := next(t, sub); snap.Stopping {
			break
		}
	}
	if err := h.Do(context.Background(), facilitator, session.NextStep{}); !errors.Is(err, session.ErrStopped) {
		t.Errorf("command after stop: %v, want ErrStopped", err)
	}
}

// refused checks that a command is refused with a message saying want, and
// that the forum did not change.
func refused(t *testing.T, h *session.Hub, id string, cmd session.Command, want string) {
	t.Helper()
	before := h.Snapshot().Seq
	err := h.Do(context.Background(), id, cmd)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("%T %+v: got %v, want an error with %q", cmd, cmd, err, want)
	}
	if h.Snapshot().Seq != before {
		t.Fatalf("%T refused but changed the forum", cmd)
	}
}

// waitFor reads snapshots until one satisfies want, and fails if none does
// within a bounded time. Snapshots are delivered paced and latest-wins, so
// the next one need not be the one a command caused: tests wait for the
// state they expect. every, if not nil, must hold for each snapshot on the
// way (the rule under test is never broken, even in passing).
func waitFor(t *testing.T, sub *session.Subscription, what string, want, every func(*session.Snapshot) bool) *session.Snapshot {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case snap := <-sub.C():
			if every != nil && !every(snap) {
				t.Fatalf("waiting for %s: a snapshot broke the rule (seq %d, step %d, %d connected)", what, snap.Seq, snap.Step, snap.Connected)
			}
			if want(snap) {
				return snap
			}
		case <-deadline:
			t.Fatalf("no snapshot with %s within 10s", what)
			return nil
		}
	}
}

func next(t *testing.T, sub *session.Subscription) *session.Snapshot {
	t.Helper()
	select {
	case snap := <-sub.C():
		return snap
	case <-time.After(10 * time.Second):
		t.Fatal("no snapshot within 10s")
		return nil
	}
}

// While a timebox runs, each second reaches screens as the same forum at a
// later clock, which they redraw as no more than the countdown; a change
// made meanwhile reaches them as a forum of its own.
func TestTheClockMovesOnlyTheClock(t *testing.T) {
	h, _ := openHub(t)
	ctx := context.Background()
	do(t, h, facilitator, session.NextStep{})
	do(t, h, facilitator, session.StartTimer{Minutes: 5})
	sub, err := h.Subscribe(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	first := waitFor(t, sub, "ada counted, the timebox running", func(s *session.Snapshot) bool { return s.Connected == 1 && s.Timer.Running() }, nil)
	tick := waitFor(t, sub, "a later clock", func(s *session.Snapshot) bool { return s.Now.After(first.Now) }, nil)
	if !tick.OnlyLater(first) || tick.Seq != first.Seq || tick.Connected != first.Connected {
		t.Errorf("a second of the timebox came as a new forum (seq %d to %d), not the same one later", first.Seq, tick.Seq)
	}
	do(t, h, facilitator, session.ExtendTimer{Minutes: 1})
	changed := waitFor(t, sub, "the timebox extended", func(s *session.Snapshot) bool { return s.Seq > first.Seq }, nil)
	if changed.OnlyLater(tick) || changed.OnlyLater(first) {
		t.Error("a change to the forum came as only a later clock")
	}
}

// A newcomer's name is a change others' screens have at the pace of
// presence; the newcomer's own screen has it straight away, and so, in
// time, do the others.
func TestANewcomerSeesTheirOwnName(t *testing.T) {
	h, _ := openHub(t)
	ctx := context.Background()
	other, err := h.Subscribe(ctx, bob)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	mine, err := h.Subscribe(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	do(t, h, ada, session.Register{Name: "Ada"})
	named := func(s *session.Snapshot) bool { _, ok := s.Participant(ada); return ok }
	waitFor(t, mine, "Ada named, on her own screen", named, nil)
	waitFor(t, other, "Ada named, on another's screen", named, nil)
}

// A change that is not about people (a step) shares the participants of
// the snapshot before it; one that is (a new name, a screen opened, someone
// joining) pictures them anew, in order and with their index right.
func TestSnapshotsShareParticipantsUntilTheyChange(t *testing.T) {
	h, _ := openHub(t)
	ctx := context.Background()
	do(t, h, ada, session.Register{Name: "Ada"})
	do(t, h, bob, session.Register{Name: "Bob"})
	before := h.Snapshot()
	do(t, h, facilitator, session.NextStep{})
	after := h.Snapshot()
	if after.Seq == before.Seq || &after.Participants[0] != &before.Participants[0] {
		t.Errorf("a step change pictured the participants anew (seq %d after %d)", after.Seq, before.Seq)
	}
	shows := func(what string, s *session.Snapshot, names ...string) {
		t.Helper()
		var got []string
		for _, p := range s.Participants {
			got = append(got, fmt.Sprintf("%s connected=%v", p.Name, p.Connected))
			if q, ok := s.Participant(p.ID); !ok || q != p {
				t.Errorf("%s: %s not found by key", what, p.Name)
			}
		}
		if strings.Join(got, ", ") != strings.Join(names, ", ") {
			t.Errorf("%s: participants %q, want %q", what, got, names)
		}
	}
	do(t, h, ada, session.Register{Name: "Zoe"})
	renamed := h.Snapshot()
	if &renamed.Participants[0] == &after.Participants[0] {
		t.Error("a new name kept the participants of before")
	}
	shows("after a new name", renamed, "Bob connected=false", "Zoe connected=false")
	sub, err := h.Subscribe(ctx, bob)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	shows("after Bob opened a screen", h.Snapshot(), "Bob connected=true", "Zoe connected=false")
	do(t, h, "SHA256:cy", session.Register{Name: "Cy"})
	shows("after Cy joined", h.Snapshot(), "Bob connected=true", "Cy connected=false", "Zoe connected=false")
}
