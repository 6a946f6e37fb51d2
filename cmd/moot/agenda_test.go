package main_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// moot runs the binary with args in dir and returns its output and exit code.
func moot(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = testEnv(t)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitCode()
	}
	t.Fatalf("moot %v: %v", args, err)
	return "", "", -1
}

// moot init writes an example that moot check accepts, and never
// overwrites a file.
func TestInitThenCheck(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := moot(t, dir, "init")
	if code != 0 || !strings.Contains(out, "agenda.yaml") {
		t.Fatalf("init: %d %q %q", code, out, errOut)
	}
	written, err := os.ReadFile(filepath.Join(dir, "agenda.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code = moot(t, dir, "check", "agenda.yaml")
	if code != 0 || !strings.Contains(out, "ok: agenda.yaml: 4 steps, 2 themes") {
		t.Fatalf("check of the example: %d %q %q", code, out, errOut)
	}

	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte("title: mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = moot(t, dir, "init", "mine.yaml")
	if code == 0 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("init over an existing file: %d %q", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "mine.yaml")); string(b) != "title: mine\n" {
		t.Fatalf("init overwrote mine.yaml: %q", b)
	}
	out, _, code = moot(t, dir, "init", "-")
	if code != 0 || out != string(written) {
		t.Fatalf("init - printed something else than init writes (%d)", code)
	}
}

// moot check reports every problem of a broken agenda with its line, and
// exits 1.
func TestCheckReportsEveryProblemWithItsLine(t *testing.T) {
	dir := t.TempDir()
	const bad = `slug: Big Forum
title: Our forum
colour: red
join_code: abc
themes:
  - Access
  - access
steps:
  - title: Talk
    phase: chatting
    timebox: soon
  - phase: voting
`
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := moot(t, dir, "check", "bad.yaml")
	if code != 1 || out != "" {
		t.Fatalf("check of a bad agenda: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{
		"bad.yaml: 7 problems",
		"line 1: slug",
		"line 3: field colour not found",
		"line 4: join_code",
		`line 7: themes: "access" is listed twice`,
		`line 10: step 1: unknown phase "chatting"`,
		`line 11: step 1: timebox "soon"`,
		"line 12: step 2 has no title",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("check does not say %q:\n%s", want, errOut)
		}
	}
	_, errOut, code = moot(t, dir, "check", "missing.yaml")
	if code != 1 || !strings.Contains(errOut, "missing.yaml") {
		t.Errorf("check of a missing file: %d %q", code, errOut)
	}
}

// Every command that reads translations takes their folder as
// --translations, never as --lang, which names a language.
func TestTranslationsFolderIsNamedAlike(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "words"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "words", "fr.yaml"), []byte("no.such.key: \"?\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := moot(t, dir, "init"); code != 0 {
		t.Fatalf("init: %d %q", code, errOut)
	}
	if out, errOut, code := moot(t, dir, "check", "agenda.yaml"); code != 0 {
		t.Fatalf("check without translations: %d %q %q", code, out, errOut)
	}
	for _, args := range [][]string{
		{"check", "--translations", "words", "agenda.yaml"},
		{"serve", "--translations", "words", "--listen", "127.0.0.1:0"},
		{"export", "--translations", "words", "--format", "md"},
	} {
		if _, errOut, code := moot(t, dir, args...); code == 0 || !strings.Contains(errOut, filepath.Join("words", "fr.yaml")) || !strings.Contains(errOut, "no.such.key") {
			t.Errorf("moot %v with a broken translation: %d %q", args, code, errOut)
		}
	}
	if _, errOut, code := moot(t, dir, "check", "--lang", "words", "agenda.yaml"); code != 2 || !strings.Contains(errOut, "-lang") {
		t.Errorf("check --lang DIR: %d %q", code, errOut)
	}
}
