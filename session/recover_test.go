package session_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"moot/session"
	"moot/store"
)

type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A command with a bug, whether in its rules or in its events, is refused
// with an error and logged with its stack; nothing it began is kept, and
// the forum goes on taking commands, from its screens too. A second forum
// on the same server never notices.
func TestAPanickingCommandIsRefusedAndTheForumGoesOn(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "moot.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs logBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	h, err := session.NewHub(ctx, st, testForum(), log)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Stop()
	other := testForum()
	other.Slug = "harbour"
	h2, err := session.NewHub(ctx, st, other, log)
	if err != nil {
		t.Fatal(err)
	}
	defer h2.Stop()
	sub, err := h.Subscribe(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	do(t, h, ada, session.Register{Name: "Ada"})

	for _, in := range []string{"decide", "apply"} {
		err := h.Do(ctx, facilitator, session.Panicking{In: in})
		if !errors.Is(err, session.ErrInternal) {
			t.Fatalf("a command panicking in %s: %v, want ErrInternal", in, err)
		}
		if !strings.Contains(logs.String(), "panic") || !strings.Contains(logs.String(), "panicking_test.go") {
			t.Fatalf("the panic in %s was not logged with its stack:\n%s", in, logs.String())
		}
		// The half-applied step move was not kept, in memory or on disk.
		if step := h.Snapshot().Step; step != 0 {
			t.Fatalf("after a panic in %s the forum is at step %d, want 0", in, step)
		}
	}
	// The forum goes on: a step move, seen by a subscriber.
	do(t, h, facilitator, session.NextStep{})
	waitFor(t, sub, "step 1", func(s *session.Snapshot) bool { return s.Step == 1 }, nil)
	state, err := st.Forum(ctx, "riverside")
	if err != nil {
		t.Fatal(err)
	}
	if state.Step != 1 || state.Seq != h.Snapshot().Seq {
		t.Fatalf("on disk: step %d seq %d; in memory seq %d", state.Step, state.Seq, h.Snapshot().Seq)
	}
	do(t, h2, facilitator, session.NextStep{})
	if h2.Snapshot().Step != 1 {
		t.Fatal("the other forum did not move")
	}
}

// Commands that arrive together with a panicking one are each decided on
// their own: those before and after it are kept.
func TestCommandsBatchedWithAPanickingOneAreKept(t *testing.T) {
	h, _ := openHub(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 30)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var cmd session.Command = session.Register{Name: fmt.Sprintf("Person %d", i)}
			if i%10 == 5 {
				cmd = session.Panicking{In: "apply"}
			}
			errs[i] = h.Do(ctx, "SHA256:p"+string(rune('a'+i)), cmd)
		}()
	}
	wg.Wait()
	named := 0
	for i, err := range errs {
		switch {
		case i%10 == 5 && !errors.Is(err, session.ErrInternal):
			t.Errorf("panicking command %d: %v", i, err)
		case i%10 != 5 && err != nil:
			t.Errorf("command %d alongside a panicking one: %v", i, err)
		case i%10 != 5:
			named++
		}
	}
	if got := len(h.Snapshot().Participants); got != named || named != 27 {
		t.Fatalf("%d participants, want the 27 named", got)
	}
}
