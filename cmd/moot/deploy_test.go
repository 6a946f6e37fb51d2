package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// repoRoot is the top of the source tree (the tests run in cmd/moot).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// Every MOOT_ setting that the deployment files give is one that moot
// serve reads, so a setting cannot be silently ignored.
func TestDeploySettingsAreMootSettings(t *testing.T) {
	out, errOut, _ := moot(t, t.TempDir(), "serve", "--help")
	help := out + errOut // the flag package writes help to standard error
	setting := regexp.MustCompile(`\bMOOT_[A-Z_]+`)
	for _, file := range []string{"deploy/moot.env", "deploy/Dockerfile"} {
		b, err := os.ReadFile(filepath.Join(repoRoot(t), file))
		if err != nil {
			t.Fatal(err)
		}
		names := setting.FindAllString(string(b), -1)
		if len(names) == 0 {
			t.Errorf("%s sets no MOOT_ settings", file)
		}
		for _, name := range names {
			if !strings.Contains(help, "env "+name+")") {
				t.Errorf("%s sets %s, which moot serve does not read", file, name)
			}
		}
	}
}

// The systemd unit is one systemd accepts, run as it would be, with the
// binary and settings it names.
func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed; the unit is checked where it is (apt-get install systemd)")
	}
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "moot.service"))
	if err != nil {
		t.Fatal(err)
	}
	unit := strings.ReplaceAll(string(b), "/usr/local/bin/moot", binary)
	unit = strings.ReplaceAll(unit, "/etc/moot/moot.env", filepath.Join(repoRoot(t), "deploy", "moot.env"))
	file := filepath.Join(t.TempDir(), "moot.service")
	if err := os.WriteFile(file, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	out, err := exec.CommandContext(ctx, analyze, "verify", file).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// The release build, as the README gives it, makes a static binary for
// each platform that reports its version and commit. Cross-compiling every
// platform takes minutes, so it runs where MOOT_TEST_RELEASE=1 (CI sets it).
func TestReleaseBuild(t *testing.T) {
	if os.Getenv("MOOT_TEST_RELEASE") != "1" {
		t.Skip("the release build takes minutes; run it with MOOT_TEST_RELEASE=1")
	}
	root := repoRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(root, "deploy", "release"), "v0.0.0-test")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("deploy/release: %v\n%s", err, out)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Join(root, "dist")) })
	sums, err := os.ReadFile(filepath.Join(root, "dist", "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"linux-amd64", "linux-arm64", "darwin-arm64", "darwin-amd64", "windows-amd64.exe"} {
		if !strings.Contains(string(sums), "moot-v0.0.0-test-"+target) {
			t.Errorf("no %s binary in:\n%s", target, sums)
		}
	}
	native := filepath.Join(root, "dist", "moot-v0.0.0-test-"+runtime.GOOS+"-"+runtime.GOARCH)
	out, err := exec.CommandContext(ctx, native, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^moot v0\.0\.0-test \(commit [0-9a-f]{12}`).Match(out) {
		t.Errorf("moot --version of a release build: %q", out)
	}
	if file, err := exec.LookPath("file"); err == nil {
		desc, _ := exec.CommandContext(ctx, file, native).Output()
		if !strings.Contains(string(desc), "statically linked") {
			t.Errorf("the release binary is not static: %s", desc)
		}
	}
}

// moot --version says what it is even in a plain build.
func TestVersion(t *testing.T) {
	out, _, code := moot(t, t.TempDir(), "--version")
	if code != 0 || !regexp.MustCompile(`^moot \S+ \(commit \S+; go1\.\d+`).MatchString(out) {
		t.Fatalf("moot --version: %d %q", code, out)
	}
}
