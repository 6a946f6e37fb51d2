package command_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"moot/session"
	"moot/session/command"
	"moot/store"
)

const (
	facilitator = "SHA256:facilitator"
	ada         = "SHA256:ada"
)

func newHub(t testing.TB) *session.Hub {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := &session.Forum{
		Slug: "riverside", Title: "Riverside forum", Sectors: []string{"Community", "Third sector"},
		Steps: []session.Step{
			{Title: "Barriers", Phase: session.Dialogue, Prompt: "What gets in the way?", Timebox: 15 * time.Minute},
			{Title: "Priorities", Phase: session.Voting},
		},
		Facilitators: []string{facilitator},
	}
	h, err := session.NewHub(context.Background(), st, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })
	return h
}

// run runs a command line as typed at the console.
func run(h *session.Hub, actor, line string) (string, error) {
	var out strings.Builder
	err := command.Run(context.Background(), command.Env{Hub: h, Actor: actor, Out: &out}, line)
	return out.String(), err
}

func TestHelpListsWhatTheRoleMayRun(t *testing.T) {
	h := newHub(t)
	out, err := run(h, ada, "help")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "status") || strings.Contains(out, "step next") || strings.Contains(out, "timer") {
		t.Errorf("participant help:\n%s", out)
	}
	out, _ = run(h, facilitator, "help")
	if !strings.Contains(out, "step next|prev|goto N") || !strings.Contains(out, "timer start") {
		t.Errorf("facilitator help:\n%s", out)
	}
}

func TestParticipantIsRefusedSteering(t *testing.T) {
	h := newHub(t)
	for _, line := range []string{"step next", "step goto 2", "timer start 5", "participants"} {
		_, err := run(h, ada, line)
		if !errors.Is(err, session.ErrForbidden) {
			t.Errorf("%q by a participant: %v", line, err)
		}
	}
	if h.Snapshot().Seq != 0 {
		t.Error("refused commands changed the forum")
	}
}

func TestNameAndWhoami(t *testing.T) {
	h := newHub(t)
	// A name is text, as typed (its spaces cleaned); a sector is chosen
	// from the forum's, in any letter case, quoted or not.
	if out, err := run(h, ada, `name Ada  Lovelace --sector "third SECTOR"`); err != nil || !strings.Contains(out, "Ada Lovelace (Third sector)") {
		t.Fatalf("name: %q, %v", out, err)
	}
	if out, err := run(h, ada, `name Ada O'Neill --sector third sector`); err != nil || !strings.Contains(out, "Ada O'Neill (Third sector)") {
		t.Fatalf("name: %q, %v", out, err)
	}
	// Renaming keeps the sector.
	if _, err := run(h, ada, "name Ada L."); err != nil {
		t.Fatal(err)
	}
	out, err := run(h, ada, "whoami")
	if err != nil || !strings.Contains(out, "name:   Ada L.") || !strings.Contains(out, "sector: Third sector") || !strings.Contains(out, "role:   participant") {
		t.Errorf("whoami:\n%s%v", out, err)
	}
	if _, err := run(h, ada, "name Ada --sector Martians"); err == nil || !strings.Contains(err.Error(), `"Community"`) {
		t.Errorf("unknown sector: %v", err)
	}
	if p, _ := h.Snapshot().Participant(ada); p.Sector != "Third sector" {
		t.Errorf("a refused rename changed the sector to %q", p.Sector)
	}
}

func TestStatusJSON(t *testing.T) {
	h := newHub(t)
	if _, err := run(h, ada, "name Ada"); err != nil {
		t.Fatal(err)
	}
	if out, err := run(h, facilitator, "step next"); err != nil || !strings.Contains(out, "step 1/2: Barriers [dialogue]") {
		t.Fatalf("step next: %q %v", out, err)
	}
	if _, err := run(h, facilitator, "timer start"); err != nil {
		t.Fatal(err)
	}
	out, err := run(h, ada, "status --json")
	if err != nil {
		t.Fatal(err)
	}
	var s command.Status
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if s.Forum.Slug != "riverside" || s.Stage != session.Running || s.Step.Index != 1 || s.Step.Count != 2 ||
		s.Step.Title != "Barriers" || s.Step.Phase != session.Dialogue || s.Step.Prompt != "What gets in the way?" {
		t.Errorf("status = %+v", s)
	}
	if !s.Timer.Running || s.Timer.RemainingSeconds < 14*60 || s.Timer.RemainingSeconds > 15*60 {
		t.Errorf("timer = %+v", s.Timer)
	}
	if s.Participants.Total != 1 || s.Participants.Connected != 0 {
		t.Errorf("participants = %+v", s.Participants)
	}
	text, _ := run(h, ada, "status")
	if !strings.Contains(text, "step:         1/2 Barriers [dialogue]") {
		t.Errorf("status text:\n%s", text)
	}
}

func TestUsageErrors(t *testing.T) {
	h := newHub(t)
	for line, want := range map[string]string{
		"":                     "no command",
		"dance":                "unknown command",
		"status --yaml":        "unknown option --yaml",
		"status --json=1":      "takes no value",
		"name":                 "give the name others will see",
		"name Ada --sector":    "--sector needs a value",
		"step":                 "missing argument",
		"step sideways":        "unknown",
		"step next 3":          "takes no step number",
		"step goto two":        "not a step number",
		"timer extend":         "extend needs minutes",
		"timer start soon":     "not a whole number",
		"timer stop 5":         "takes no minutes",
		`step goto "2`:         "not a step number",
		"step goto 9":          "no step 9",
		"timer start 100000":   "minutes must be",
		"help timer \x1b[2J x": "too many",
	} {
		_, err := run(h, facilitator, line)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want it to say %q", line, err, want)
		}
	}
	if h.Snapshot().Seq != 0 {
		t.Error("a wrongly typed command changed the forum")
	}
}

func FuzzRun(f *testing.F) {
	for _, s := range []string{"help", "status --json", "name Ada --sector Community", "step goto 2", "timer start 5", `name "a b" --sector=x`, "step next -- --json",
		`say It's late`, `theme rename "a b`, `action add 1 x --who a, b; c`, `agree 1 "stand aside"`, `say \--anon`} {
		f.Add(s, false)
		f.Add(s, true)
	}
	h := newHub(f)
	f.Fuzz(func(t *testing.T, line string, asFacilitator bool) {
		actor := ada
		if asFacilitator {
			actor = facilitator
		}
		before := h.Snapshot()
		out, err := run(h, actor, line)
		if err != nil && out != "" && command.IsUsage(err) {
			t.Fatalf("%q printed %q and failed: %v", line, out, err)
		}
		if !asFacilitator && h.Snapshot().Step != before.Step {
			t.Fatalf("participant moved the step with %q", line)
		}
	})
}

func TestDialogueCommands(t *testing.T) {
	h := newHub(t)
	bob := "SHA256:bob"
	for _, c := range [][2]string{{ada, "name Ada"}, {bob, "name Bob"}, {facilitator, "step next"}} {
		if _, err := run(h, c[0], c[1]); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := run(h, ada, "say Meetings are always in working hours"); err != nil || out != "saved: card #1\n" {
		t.Fatalf("say: %q %v", out, err)
	}
	if _, err := run(h, bob, "say --anon I was never asked"); err == nil || !strings.Contains(err.Error(), "anonymous") {
		t.Errorf("anonymous card on a forum without them: %v", err)
	}
	if _, err := run(h, bob, "say The website is a maze"); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"theme add Access", "hide 1 --reason x", "merge 1 2", "park 1", "next-speaker", "cards --hidden"} {
		if _, err := run(h, ada, line); !errors.Is(err, session.ErrForbidden) {
			t.Errorf("%q by a participant: %v", line, err)
		}
	}
	if out, err := run(h, facilitator, "theme add Getting there"); err != nil || !strings.Contains(out, "theme #1 added") {
		t.Fatalf("theme add: %q %v", out, err)
	}
	if _, err := run(h, facilitator, `theme assign "getting THERE" 1 #2`); err != nil {
		t.Fatal(err)
	}
	if _, err := run(h, facilitator, "hide 2 --reason off topic"); err != nil {
		t.Fatal(err)
	}
	out, err := run(h, bob, "cards --json")
	if err != nil {
		t.Fatal(err)
	}
	var cards []session.CardView
	if err := json.Unmarshal([]byte(out), &cards); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(cards) != 1 || cards[0].ID != 1 || cards[0].Author != "Ada" || cards[0].Mine || cards[0].Theme == nil || cards[0].Theme.Name != "Getting there" {
		t.Errorf("cards for Bob: %+v", cards)
	}
	if strings.Contains(out, "SHA256") {
		t.Error("cards --json shows key fingerprints")
	}
	if out, _ := run(h, facilitator, "cards --hidden"); !strings.Contains(out, "[hidden: off topic]") {
		t.Errorf("hidden cards for the facilitator:\n%s", out)
	}
	if _, err := run(h, bob, "hand up"); err != nil {
		t.Fatal(err)
	}
	if out, _ := run(h, ada, "hand up"); !strings.Contains(out, "number 2") {
		t.Errorf("second hand: %q", out)
	}
	out, _ = run(h, ada, "hands --json")
	var hands []session.HandView
	if err := json.Unmarshal([]byte(out), &hands); err != nil || len(hands) != 2 || hands[0].Name != "Bob" || !hands[1].Mine {
		t.Errorf("hands: %s %v", out, err)
	}
	if out, err := run(h, facilitator, "next-speaker"); err != nil || out != "Bob has the floor\n" {
		t.Errorf("next-speaker: %q %v", out, err)
	}
}

// export is for SSH: on a screen's command line it says how to run it.
func TestExportOnlyOverSSH(t *testing.T) {
	h := newHub(t)
	var out strings.Builder
	err := command.Run(context.Background(), command.Env{Hub: h, Actor: facilitator, Out: &out, Console: true}, "export")
	if err == nil || !strings.Contains(err.Error(), "ssh riverside@HOST export") || out.Len() != 0 {
		t.Errorf("export in the console: %v, %q", err, out.String())
	}
	if _, err := run(h, ada, "export"); !errors.Is(err, session.ErrForbidden) {
		t.Errorf("a participant exported: %v", err)
	}
	got, err := run(h, facilitator, "export --format json")
	if err != nil || !strings.Contains(got, `"version": 2`) {
		t.Errorf("export --format json: %v %q", err, got)
	}
	if _, err := run(h, facilitator, "export --format pdf"); !command.IsUsage(err) {
		t.Errorf("export --format pdf: %v", err)
	}
}

// A theme is named by its number or its words: quoted where more
// arguments follow, as the rest of the line where nothing does.
func TestThemesNamedByTheirWords(t *testing.T) {
	h := newHub(t)
	for _, line := range []string{
		"theme add Getting involved",
		`theme add People's voice, heard "early"`,
		`theme rename "getting involved" Taking part`,
		`theme order 'People's voice, heard "early"' 1`,
		`theme agree people's voice, heard "early"`,
		`theme agree "Taking part" --undo`,
	} {
		if out, err := run(h, facilitator, line); err != nil {
			t.Fatalf("%s: %v %q", line, err, out)
		}
	}
	themes := h.Snapshot().Themes
	if len(themes) != 2 || themes[0].Name != `People's voice, heard "early"` || !themes[0].Agreed || themes[1].Name != "Taking part" || themes[1].Agreed {
		t.Errorf("themes: %+v %+v", themes[0], themes[1])
	}
	if _, err := run(h, facilitator, "theme rename Taking part Something else"); err == nil || !strings.Contains(err.Error(), `no theme "Taking"`) {
		t.Errorf("an unquoted name before more arguments: %v", err)
	}
}

// whoami gives a keyless person their rejoin code again, from the
// connection that knows it; the symbols command sets how their screens
// draw, and refuses what is not a choice.
func TestWhoamiShowsTheRejoinCodeAndSymbolsAreChosen(t *testing.T) {
	h := newHub(t)
	if _, err := run(h, ada, "name Ada"); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := command.Run(context.Background(), command.Env{Hub: h, Actor: ada, Out: &out, Rejoin: "k7mq-x3pa-9fhe"}, "whoami"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "rejoin: k7mq-x3pa-9fhe") {
		t.Errorf("whoami:\n%s", out.String())
	}
	if got, _ := run(h, ada, "whoami"); strings.Contains(got, "rejoin") {
		t.Errorf("whoami with a key shows a rejoin code:\n%s", got)
	}
	if got, err := run(h, ada, "symbols ASCII"); err != nil || !strings.Contains(got, "plain ASCII") {
		t.Errorf("symbols ascii: %q %v", got, err)
	}
	if p, _ := h.Snapshot().Participant(ada); p.Symbols != session.SymbolsASCII {
		t.Errorf("symbols kept as %q", p.Symbols)
	}
	if _, err := run(h, ada, "symbols klingon"); err == nil {
		t.Error("symbols klingon was taken")
	}
	if _, err := run(h, ada, "symbols auto"); err != nil {
		t.Fatal(err)
	}
	if p, _ := h.Snapshot().Participant(ada); p.Symbols != session.SymbolsAuto {
		t.Errorf("symbols auto kept as %q", p.Symbols)
	}
}
