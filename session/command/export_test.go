package command

import "context"

// RegisterPanicking adds a command named name whose code panics, for the
// tests of recovery.
func RegisterPanicking(name string) {
	register(&spec{name: name, summary: "a command with a bug", run: func(context.Context, Env, *args) error {
		var forums map[string]int
		forums["riverside"]++ // a nil map: the kind of bug a panic is
		return nil
	}})
}
