package command

import (
	"context"

	"moot/session"
)

func init() {
	register(
		&spec{name: "archive", args: "[--undo]", summary: "command.archive.summary", facilitator: true, flags: map[string]bool{"undo": false}, run: runArchive},
	)
}

func runArchive(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	undo := a.set["undo"]
	if err := env.Hub.Do(ctx, env.Actor, session.ArchiveForum{Archived: !undo}); err != nil {
		return err
	}
	if undo {
		env.say("command.archive.undone")
	} else {
		env.say("command.archive.done")
	}
	return nil
}
