package command

import (
	"runtime/debug"

	"moot/session"
)

// recovered turns a panic in a command into an error for the person who
// gave it, and logs it with its stack. A command changes the forum only
// through the Hub, which commits a change whole or not at all, so nothing
// was half done; the forum and everyone else go on.
func recovered(env Env, line string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	if env.Log != nil {
		env.Log.Error("command panicked", "cmd", session.CleanLine(Name(line)), "actor", env.Actor, "panic", r, "stack", string(debug.Stack()))
	}
	*err = session.ErrInternal
}
