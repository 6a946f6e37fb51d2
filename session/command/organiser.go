package command

import (
	"context"
	"fmt"

	"moot/session"
)

func init() {
	register(
		&spec{name: "archive", args: "[--undo]", summary: "make the forum read-only (still exportable); --undo reopens it", facilitator: true, flags: map[string]bool{"undo": false}, run: runArchive},
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
		fmt.Fprintln(env.Out, "the forum is out of the archive: it takes changes again")
	} else {
		fmt.Fprintln(env.Out, "the forum is archived: read-only from now on, still exportable (archive --undo reopens it)")
	}
	return nil
}
