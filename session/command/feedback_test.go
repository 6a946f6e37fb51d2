package command_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"moot/session"
	"moot/session/command"
	"moot/store"
)

func TestFeedbackCommands(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &session.Forum{
		Slug: "riverside", Title: "Riverside forum", Sectors: []string{"Community"},
		Steps:        []session.Step{{Title: "Agree", Phase: session.Deliberation}, {Title: "Draft", Phase: session.Feedback}},
		Facilitators: []string{facilitator},
	}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	must := func(actor, line string) string {
		t.Helper()
		out, err := run(h, actor, line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return out
	}
	must(ada, "name Ada --sector Community")
	must(facilitator, "name Fran")
	must(facilitator, "step goto 1")
	must(facilitator, "propose Meet in the evening")
	must(facilitator, "check open 1")
	must(ada, "agree 1 1")
	must(facilitator, "record 1 agreed")
	must(facilitator, "action add 1 Publish a timetable --who Council, Library")
	must(facilitator, "step next")

	if out := must(ada, "feedback 1 Say which evenings"); !strings.Contains(out, "feedback #1 on statement #1") {
		t.Errorf("feedback: %q", out)
	}
	if _, err := run(h, ada, "revise 1 Meet on Tuesday evenings --reason asked"); err == nil {
		t.Error("a participant revised a statement")
	}
	if _, err := run(h, facilitator, "revise 1 Meet on Tuesday evenings"); err == nil || !command.IsUsage(err) {
		t.Errorf("revise without a reason: %v", err)
	}
	out := must(facilitator, "revise 1 Meet on Tuesday evenings --reason feedback #1 asked which evenings")
	if !strings.Contains(out, "revision 2") || !strings.Contains(out, "agreed at revision 1") {
		t.Errorf("revise: %q", out)
	}
	out = must(ada, "feedback")
	for _, want := range []string{"#1   Meet on Tuesday evenings", "revised after the forum (revision 2), reason: feedback #1 asked which evenings",
		"[-in the evening-]", "{+on Tuesday evenings+}", "action #1: Publish a timetable — Council, Library", "feedback #1 from Ada (on revision 1): Say which evenings"} {
		if !strings.Contains(out, want) {
			t.Errorf("feedback list lacks %q:\n%s", want, out)
		}
	}
	var draft []session.DraftStatement
	if err := json.Unmarshal([]byte(must(ada, "feedback --json")), &draft); err != nil {
		t.Fatal(err)
	}
	if len(draft) != 1 || draft[0].RecordedRevision != 1 || draft[0].RecordedText != "Meet in the evening" ||
		len(draft[0].RevisedAfter) != 1 || draft[0].RevisedAfter[0].Reason != "feedback #1 asked which evenings" ||
		len(draft[0].Feedback) != 1 || !draft[0].Feedback[0].Mine || draft[0].Text != "Meet on Tuesday evenings" || draft[0].Status != "agreed" {
		t.Errorf("feedback --json: %+v", draft)
	}
	if out := must(ada, "statement 1"); !strings.Contains(out, "revised after agreement by Fran, reason: feedback #1 asked which evenings") {
		t.Errorf("statement history:\n%s", out)
	}
	if out := must(ada, "credit"); !strings.Contains(out, "does not name you") {
		t.Errorf("credit: %q", out)
	}
	must(ada, "credit on")
	if out := must(ada, "credit"); !strings.Contains(out, "names you as Ada") {
		t.Errorf("credit after on: %q", out)
	}
	if _, err := run(h, ada, "credit maybe"); err == nil {
		t.Error("credit maybe was accepted")
	}
}
