package command_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"moot/session"
	"moot/session/command"
)

func init() { command.RegisterPanicking("crash") }

// A command with a bug is answered with an error, over SSH and at the
// console alike (both run through command.Run); it is logged with its
// stack, and the next command works.
func TestAPanickingCommandIsAnError(t *testing.T) {
	h := newHub(t)
	var logs bytes.Buffer
	var out strings.Builder
	env := command.Env{Hub: h, Actor: ada, Out: &out, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	err := command.Run(context.Background(), env, "crash")
	if !errors.Is(err, session.ErrInternal) {
		t.Fatalf("a panicking command: %v, want ErrInternal", err)
	}
	for _, want := range []string{"command panicked", "cmd=crash", "actor=" + ada, "assignment to entry in nil map", "export_test.go"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
	if _, err := run(h, ada, "name Ada"); err != nil {
		t.Fatalf("the next command: %v", err)
	}
}
