package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version and commit are set by the release build (deploy/release):
// go build -ldflags "-X main.version=v1.2.0 -X main.commit=0123abcd".
var version, commit string

// versionLine says which moot this is: its version, the commit it was
// built from, and the Go and platform it was built with.
func versionLine() string {
	v, c := version, commit
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version // go install moot@VERSION
		}
		if c == "" {
			c = vcsRevision(info)
		}
	}
	if v == "" {
		v = "devel"
	}
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("moot %s (commit %s; %s %s/%s)", v, c, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// vcsRevision is the commit go build stamped into the binary, when it did
// (it does unless -buildvcs=false), marked when the tree had changes.
func vcsRevision(info *debug.BuildInfo) string {
	rev, modified := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && modified {
		rev += "-modified"
	}
	return rev
}
