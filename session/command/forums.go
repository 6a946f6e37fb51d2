package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"moot/session"
	"moot/session/agenda"
	"moot/session/catalogue"
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
		&spec{name: "forums", args: "[--json]", summary: "command.forums.summary", server: true, flags: map[string]bool{"json": false}, run: runForums},
		&spec{name: "forum", args: "add < AGENDA.yaml", summary: "command.forum.summary", server: true, admin: true, run: runForum},
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
	p := env.printer()
	for _, fi := range infos {
		var step string
		switch fi.Stage {
		case session.Lobby:
			step = p.T("command.forums.lobby", catalogue.Msg("count.steps", fi.Steps))
		case session.Closed:
			step = p.T("command.forums.closed", catalogue.Msg("count.steps", fi.Steps))
		default:
			step = p.T("command.forums.step", fi.Step, fi.Steps, fi.StepTitle)
		}
		if fi.Archived {
			step += p.T("command.forums.archived")
		}
		fmt.Fprintf(env.Out, "%-20s %-40s %s\n", fi.Slug, fi.Title, step)
	}
	env.say("command.forums.join")
	return nil
}

func runForum(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	if !strings.EqualFold(a.pos[0], "add") {
		return a.usageErr("command.unknown_verb", session.CleanLine(a.pos[0]))
	}
	if env.In == nil {
		return usage("command.forum.ssh_only")
	}
	data, err := io.ReadAll(io.LimitReader(env.In, MaxAgendaBytes+1))
	if err != nil {
		return catalogue.Err("command.forum.reading", err)
	}
	switch {
	case len(data) > MaxAgendaBytes:
		return usage("command.forum.too_long", MaxAgendaBytes>>10)
	case strings.TrimSpace(string(data)) == "":
		return usage("command.forum.none")
	}
	f, err := agenda.ParseFor(data, env.Catalogue)
	if err != nil {
		// Every problem with its line, as moot check reports them (in
		// English: the agenda's checker is not in the catalogue).
		n := 1
		var ps agenda.Problems
		if errors.As(err, &ps) {
			n = len(ps)
		}
		return usage("command.forum.problems", n, strings.ReplaceAll(err.Error(), "\n", "\n  "))
	}
	hub, err := env.Forums.AddForum(ctx, env.Actor, f, string(data))
	if err != nil {
		return err
	}
	f = hub.Forum()
	env.say("command.forum.added", f.Title, f.Slug, catalogue.Msg("count.steps", len(f.Steps)),
		catalogue.Msg("command.count.themes", len(f.Themes)), catalogue.Msg("command.count.facilitators", len(f.Facilitators)), f.Slug)
	if len(f.Facilitators) == 0 {
		env.say("command.forum.no_facilitators")
	}
	return nil
}
