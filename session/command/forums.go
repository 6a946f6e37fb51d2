package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"moot/session"
	"moot/session/agenda"
)

// Forums is what a server offers the commands that are about its forums
// rather than about one forum: the list of forums it serves and, for its
// admins, adding one while it runs.
type Forums interface {
	// IsAdmin tells whether the holder of key id may add forums.
	IsAdmin(id string) bool
	// AddForum starts serving f, added by actor from agendaText, and
	// returns its Hub. It refuses a slug served or kept already, and
	// anyone who is not an admin (the rule that counts).
	AddForum(ctx context.Context, actor string, f *session.Forum, agendaText string) (*session.Hub, error)
	// Served is the latest snapshot of every forum served, by slug.
	Served() []*session.Snapshot
}

// MaxAgendaBytes bounds an agenda sent to forum add, as it bounds a file.
const MaxAgendaBytes = agenda.MaxFileBytes

func init() {
	register(
		&spec{name: "forums", args: "[--json]", summary: "list the forums this server serves: slug, title, step, archived", server: true, flags: map[string]bool{"json": false}, run: runForums},
		&spec{name: "forum", args: "add < AGENDA.yaml", summary: "add a forum to the running server from the agenda on standard input (admins)", server: true, admin: true, run: runForum},
	)
}

// ForumInfo is one forum in the JSON of `forums --json`, documented in the
// README.
type ForumInfo struct {
	Slug  string        `json:"slug"`
	Title string        `json:"title"`
	Stage session.Stage `json:"stage"`
	// Step is 0 in the lobby, 1..Steps while it runs, Steps+1 closed.
	Step      int    `json:"step"`
	Steps     int    `json:"steps"`
	StepTitle string `json:"step_title"`
	Archived  bool   `json:"archived"`
}

// ForumInfoOf reads a snapshot into the shape forums lists.
func ForumInfoOf(snap *session.Snapshot) ForumInfo {
	fi := ForumInfo{
		Slug: snap.Forum.Slug, Title: snap.Forum.Title,
		Stage: snap.Stage(), Step: snap.Step, Steps: len(snap.Forum.Steps),
		Archived: snap.Archived,
	}
	if st := snap.CurrentStep(); st != nil {
		fi.StepTitle = st.Title
	}
	return fi
}

func runForums(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	snaps := env.Forums.Served()
	infos := make([]ForumInfo, len(snaps))
	for i, snap := range snaps {
		infos[i] = ForumInfoOf(snap)
	}
	if a.set["json"] {
		return writeJSON(env, infos)
	}
	for _, fi := range infos {
		var step string
		switch fi.Stage {
		case session.Lobby:
			step = fmt.Sprintf("lobby (%d steps ahead)", fi.Steps)
		case session.Closed:
			step = fmt.Sprintf("closed (all %d steps done)", fi.Steps)
		default:
			step = fmt.Sprintf("step %d/%d %s", fi.Step, fi.Steps, fi.StepTitle)
		}
		if fi.Archived {
			step += " [archived]"
		}
		fmt.Fprintf(env.Out, "%-20s %-40s %s\n", fi.Slug, fi.Title, step)
	}
	fmt.Fprintln(env.Out, "join one with: ssh SLUG@HOST")
	return nil
}

func runForum(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	if !strings.EqualFold(a.pos[0], "add") {
		return a.usageErr("unknown %q", session.CleanLine(a.pos[0]))
	}
	if env.In == nil {
		return &UsageError{Msg: "forum add works over SSH only: ssh HOST forum add < agenda.yaml"}
	}
	data, err := io.ReadAll(io.LimitReader(env.In, MaxAgendaBytes+1))
	if err != nil {
		return fmt.Errorf("forum add: reading the agenda: %w", err)
	}
	switch {
	case len(data) > MaxAgendaBytes:
		return &UsageError{Msg: fmt.Sprintf("forum add: the agenda is longer than %d KiB; nothing was added", MaxAgendaBytes>>10)}
	case strings.TrimSpace(string(data)) == "":
		return &UsageError{Msg: "forum add: no agenda on standard input; send one: ssh HOST forum add < agenda.yaml (moot init writes an example)"}
	}
	f, err := agenda.ParseFor(data, env.Catalogue)
	if err != nil {
		// Every problem with its line, as moot check reports them.
		n := 1
		var ps agenda.Problems
		if errors.As(err, &ps) {
			n = len(ps)
		}
		return &UsageError{Msg: fmt.Sprintf("forum add: the agenda has %d problem%s; nothing was added\n  %s",
			n, plural(n), strings.ReplaceAll(err.Error(), "\n", "\n  "))}
	}
	hub, err := env.Forums.AddForum(ctx, env.Actor, f, string(data))
	if err != nil {
		return err
	}
	f = hub.Forum()
	fmt.Fprintf(env.Out, "added forum %q (%s): %d step%s, %d theme%s, %d facilitator%s; join with: ssh %s@HOST\n",
		f.Title, f.Slug, len(f.Steps), plural(len(f.Steps)), len(f.Themes), plural(len(f.Themes)),
		len(f.Facilitators), plural(len(f.Facilitators)), f.Slug)
	if len(f.Facilitators) == 0 {
		fmt.Fprintln(env.Out, "note: it names no facilitators, so nobody can move its steps; list facilitators: in the agenda")
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
