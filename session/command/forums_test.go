package command_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"moot/session"
	"moot/session/command"
)

// fakeForums is a server of one forum whose only admin is "SHA256:admin";
// it records what it was asked to add.
type fakeForums struct {
	hub   *session.Hub
	added []*session.Forum
	text  string
}

const admin = "SHA256:admin"

func (f *fakeForums) IsAdmin(id string) bool { return id == admin }
func (f *fakeForums) AddForum(_ context.Context, actor string, forum *session.Forum, text string) (*session.Hub, error) {
	if actor != admin {
		return nil, errors.New("the fake was asked to add for someone who is not an admin")
	}
	f.added, f.text = append(f.added, forum), text
	return f.hub, nil
}
func (f *fakeForums) Served() []*session.Snapshot { return []*session.Snapshot{f.hub.Snapshot()} }

func runWith(env command.Env, line, stdin string) (string, error) {
	var out strings.Builder
	env.Out = &out
	if stdin != "" || env.In == nil {
		env.In = strings.NewReader(stdin)
	}
	err := command.Run(context.Background(), env, line)
	return out.String(), err
}

const harbour = "slug: harbour\ntitle: Harbour forum\nsteps:\n  - {title: Talk, phase: dialogue}\n"

func TestForumAddIsForAdminsAndValidatesTheAgenda(t *testing.T) {
	h := newHub(t)
	fake := &fakeForums{hub: h}
	env := command.Env{Forums: fake} // no forum named: ssh HOST forum add

	// Not an admin, not even a facilitator of the forum: refused before
	// the agenda is read.
	for _, who := range []string{ada, facilitator} {
		in := strings.NewReader(harbour)
		e := env
		e.Actor, e.In = who, in
		if _, err := runWith(e, "forum add", ""); !errors.Is(err, session.ErrForbidden) || !strings.Contains(err.Error(), "--admins") {
			t.Errorf("forum add by %s: %v", who, err)
		}
		if in.Len() != len(harbour) {
			t.Errorf("the agenda was read for %s, who may not add", who)
		}
	}

	env.Actor = admin
	cases := map[string]struct{ stdin, want string }{
		"empty":         {"  \n", "no agenda on standard input"},
		"not yaml":      {"title: [unclosed\n", "1 problem; nothing was added"},
		"every problem": {"slug: Harbour!\nsteps:\n  - {title: Talk, phase: chat}\n", "line 1: slug"},
		"too long":      {"title: x\n" + strings.Repeat("#", command.MaxAgendaBytes), "longer than 256 KiB"},
	}
	for name, c := range cases {
		_, err := runWith(env, "forum add", c.stdin)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	_, err := runWith(env, "forum add", "slug: Harbour!\nsteps:\n  - {title: Talk, phase: chat}\n")
	if msg := err.Error(); !strings.Contains(msg, "3 problems") || !strings.Contains(msg, "line 3:") || !strings.Contains(msg, "title:") {
		t.Errorf("every problem, with its line: %v", err)
	}
	if _, err := runWith(env, "forum remove", harbour); !command.IsUsage(err) {
		t.Errorf("forum remove: %v", err)
	}
	if len(fake.added) != 0 {
		t.Fatalf("refused adds reached the server: %v", fake.added)
	}

	if _, err := runWith(env, "forum add", harbour); err != nil {
		t.Fatal(err)
	}
	if len(fake.added) != 1 || fake.added[0].Slug != "harbour" || fake.added[0].Title != "Harbour forum" || fake.text != harbour {
		t.Fatalf("added %+v from %q", fake.added, fake.text)
	}

	// The console has no standard input and no server.
	if _, err := runWith(command.Env{Hub: h, Actor: admin, Console: true}, "forum add", ""); err == nil || !strings.Contains(err.Error(), "over SSH only") {
		t.Errorf("forum add at the console: %v", err)
	}
}

func TestForumsListsForEveryone(t *testing.T) {
	h := newHub(t)
	if err := h.Do(context.Background(), facilitator, session.NextStep{}); err != nil {
		t.Fatal(err)
	}
	env := command.Env{Actor: ada, Forums: &fakeForums{hub: h}}
	out, err := runWith(env, "forums", "")
	if err != nil || !strings.Contains(out, "riverside") || !strings.Contains(out, "step 1/2 Barriers") {
		t.Fatalf("forums: %v\n%s", err, out)
	}
	out, err = runWith(env, "forums --json", "")
	if err != nil {
		t.Fatal(err)
	}
	var infos []command.ForumInfo
	if err := json.Unmarshal([]byte(out), &infos); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := command.ForumInfo{Slug: "riverside", Title: "Riverside forum", Stage: session.Running, Step: 1, Steps: 2, StepTitle: "Barriers"}
	if len(infos) != 1 || infos[0] != want {
		t.Fatalf("forums --json = %+v, want [%+v]", infos, want)
	}
	// A forum command without a forum says how to name one.
	if _, err := runWith(env, "status", ""); !command.IsUsage(err) || !strings.Contains(err.Error(), "ssh SLUG@HOST status") {
		t.Errorf("status without a forum: %v", err)
	}
	// Help shows forum add to admins only.
	out, _ = runWith(command.Env{Hub: h, Actor: ada, Forums: env.Forums}, "help", "")
	if strings.Contains(out, "forum add") || !strings.Contains(out, "forums") {
		t.Errorf("a participant's help:\n%s", out)
	}
	out, _ = runWith(command.Env{Hub: h, Actor: admin, Forums: env.Forums}, "help", "")
	if !strings.Contains(out, "forum add < AGENDA.yaml") {
		t.Errorf("an admin's help:\n%s", out)
	}
}
