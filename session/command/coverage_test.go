package command

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"moot/session"
	"moot/session/catalogue"
	"moot/session/catalogue/cataloguetest"
	"moot/store"
)

// What the command language may say that is not the catalogue's: people's
// own words, and what is typed as it is in every language (command names,
// their options and usage, agenda words, language codes, keys).
type fixtures = cataloguetest.Fixtures

// unspoken finds in a line read aloud what a speech synthesiser reads
// badly: a number written #7 ("hash seven") and symbols drawn for the eye.
var unspoken = regexp.MustCompile(`#[0-9]|[●·▇]`)

// coverageForums is a server of the forum under test, whose one admin
// adds forums.
type coverageForums struct{ hub *session.Hub }

const coverageAdmin = "SHA256:Zed"

func (f coverageForums) IsAdmin(id string) bool { return id == coverageAdmin }
func (f coverageForums) AddForum(context.Context, string, *session.Forum, string) (*session.Hub, error) {
	return f.hub, nil
}
func (f coverageForums) Served() []*session.Snapshot { return []*session.Snapshot{f.hub.Snapshot()} }

// Under the pseudo-locale every word the command language says comes from
// the catalogue, or is someone's own, or is typed as it is: every command,
// its answer and the refusals people meet most, a participant's and a
// facilitator's, over a forum taken through every phase, with tables and
// polls, and the forum's own refusals (session's) that the commands pass
// on. Its English is in en/command.yaml and en/session.yaml. Read aloud
// (line mode), the same answers and refusals have no "#7", no ● and no ·.
func TestCommandsSayNoUncataloguedWord(t *testing.T) {
	for _, spoken := range []bool{false, true} {
		name := "written"
		if spoken {
			name = "spoken"
		}
		t.Run(name, func(t *testing.T) { sayNoUncataloguedWord(t, spoken) })
	}
}

func sayNoUncataloguedWord(t *testing.T, spoken bool) {
	f := fixtures{}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "moot.db"))
	if err != nil {
		t.Fatal(err)
	}
	const (
		fran = "SHA256:Fran"
		ada  = "SHA256:Ada"
		bob  = "SHA256:Bob"
		cy   = "SHA256:Cy"
		dee  = "SHA256:Dee"
		eve  = "SHA256:Eve"
		gus  = "SHA256:Gus"
		hal  = "SHA256:Hal"
	)
	f.Fx(fran + ada + bob + cy + dee + eve + gus + hal + coverageAdmin)
	forum := cataloguetest.Forum(f, fran)
	// What is typed as it is in every language: the commands and their
	// options as help and usage show them, agenda words, language codes.
	for _, s := range specs {
		f.Fx(s.usage())
		if catalogue.Default().Args(s.summary) < 0 {
			f.Fx(s.summary) // a command the tests add (a panicking one)
		}
	}
	f.Fx(session.PhaseNames + " " + session.PollKindNames + " en en-XA")
	h, err := session.NewHub(context.Background(), st, forum, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(); st.Close() })

	ran := map[string]bool{}
	// said is every line answered, after the line typed.
	type answer struct{ typed, said string }
	var said []answer
	// as runs lines as typed by one person, reading their answers (and
	// refusals) in the printer the front ends give them.
	as := func(id string, env Env, lines ...string) {
		t.Helper()
		for _, line := range lines {
			var out strings.Builder
			env.Hub, env.Actor, env.Out, env.Line = h, id, &out, spoken
			if env.Forums == nil {
				env.Forums = coverageForums{h}
			}
			if env.Printer == nil {
				env.Printer = catalogue.Default().Printer(h.Snapshot().ViewFor(id).Langs()...)
			}
			if spoken {
				env.Printer = env.Printer.Spoken()
			}
			err := Run(context.Background(), env, line)
			ran[strings.ToLower(Name(line))] = true
			text := strings.TrimRight(out.String(), "\n")
			if err != nil {
				text += "\n" + env.Printer.Error(err)
			}
			for _, l := range strings.Split(text, "\n") {
				said = append(said, answer{line, l})
			}
		}
	}
	by := func(id string, lines ...string) { t.Helper(); as(id, Env{}, lines...) }
	for _, line := range []string{"", "Ada", "Bob", "Cy", "Dee", "Eve", "Fran", "Nobody", "Access", "Trust", "Being heard",
		"Buses stop early", "Jargon everywhere", "Nobody replies", "Nobody listens", "Parking scarce", "Benches", "Flyers",
		"Which matter most?", "Housing", "Roads", "Parks", "Meet at varied times", "Meet at varied times, some evenings",
		"Which times?", "Say less", "Publish timetables", "Council", "Library", "Say which evenings", "Meet on Tuesdays",
		"asked", "again", "How useful?", "not at all", "very", "Which first?", "Which two?", "One word", "Anything else?",
		"buses", "More buses please", "rude", "off topic", "Hidden", "nope", "yaml", "nonsense", "maybe", "sideways", "xx",
		"hijack", "Nowhere", "Gus", "Hal", "kindly", "weekdays", "x", "s", "secret"} {
		f.Fx(line)
	}

	// In the lobby, before anyone has a name.
	by(ada, "help", "help vote", "help step", "help nope", "whoami", "status", "quiet", "mode", "lang", "credit", "symbols ascii",
		"", "nope", "status --yaml", "status --json=1", "name", "name [Ada]", "name Ada --sector Nowhere")
	by(ada, "name Ada --sector Community")
	by(bob, "name Bob --sector Community")
	by(cy, "name Cy --sector Third sector")
	by(dee, "name Dee")
	by(eve, "name Eve --sector Community")
	by(gus, "name Gus --sector Community")
	by(hal, "name Hal --sector Third sector")
	by(fran, "name Fran")
	by(ada, "name Bob", "whoami", "symbols ascii", "symbols unicode", "symbols auto", "symbols nope", "mode line", "mode",
		"mode screen", "mode", "mode nope", "quiet on", "quiet", "quiet off", "quiet", "quiet maybe", "lang", "lang xx",
		"lang en-XA", "lang", "lang forum", "credit on", "credit", "credit off", "credit", "credit maybe", "live",
		"step next", "participants", "timer start", "tables make 2", "say "+strings.Repeat("x", MaxLineBytes))
	as(ada, Env{Console: true}, "live")
	by(fran, "help", "participants", "status", "step prev", "step goto 9", "step nope", "step next 2", "step goto", "step goto x",
		"timer start", "timer nope", "timer extend", "timer stop 3", "timer start x", "tables make", "tables make 9",
		"tables --size 3", "tables nope", "tables make x", "tables make 2 --by-sector", "tables", "tables make 2", "tables --all")

	// A dialogue at tables.
	by(fran, "step next", "status", "timer start", "timer extend 5", "timer stop", "timer stop", "timer extend 5",
		"timer start 999", "timer start 10", "status")
	by(ada, "say Buses stop early", "say", "say Flyers --anon", "cards", "card edit 1 Buses stop early, weekdays",
		"card edit 99 hijack", "card withdraw x", "card nope 1", "card edit 1", "say Benches")
	by(ada, "say Parking scarce") // a fourth card within seconds: too fast
	by(bob, "say Jargon everywhere", "card edit 1 hijack")
	by(cy, "say Nobody replies")
	by(dee, "say Nobody listens")
	by(eve, "say Parking scarce")
	by(fran, "theme add Access", "theme add Trust", "theme add Access", "theme add", "themes", "theme assign Access 1 4",
		"theme assign none 4", "theme assign Access", "theme rename Trust Being heard", "theme rename Trust", "theme order Access 2",
		"theme order Access x", "theme order Access", "theme order Access 9", "theme agree Access", "themes", "theme agree Access --undo",
		"theme agree", "theme nope Access", "theme assign Nowhere 1", "theme assign #9 1", "theme assign Access x")
	by(fran, "merge 5 6", "merge 5 5", "merge 5", "hide 7 --reason off topic", "hide 7", "hide 7 --reason again", "restore 7",
		"restore 7", "park 2", "park 2", "cards", "park 2 --undo", "cards --hidden", "hide 7 --reason off topic", "cards --hidden",
		"cards --step 9", "cards --theme Access", "cards --theme Nowhere", "cards --table 1", "cards --table Nowhere", "cards --table #9")
	by(ada, "cards --hidden", "cards --table 1", "cards --table 2", "hand up", "hand up", "hand sideways", "hands")
	by(bob, "hand up", "hands")
	by(cy, "hand down", "next-speaker")
	by(ada, "table reporter", "tables", "bring 1", "brought", "bring 1 --undo", "bring 1", "bring x", "next-speaker")
	by(eve, "bring 1", "table reporter Ada", "table reporter --none")
	by(fran, "next-speaker", "hands", "next-speaker", "next-speaker", "next-speaker --table 1", "table move Bob --to 2",
		"table move Nobody --to 1", "table move Bob", "table move --to 1", "table reporter Ada --none", "table nope", "brought",
		"brought --step 9", "tables")
	by(ada, "table move Bob --to 1", "table reporter --table 2", "table reporter --none", "tables")
	by(fran, "archive", "archive", "status")
	by(ada, "say Benches", "hand up")
	by(fran, "archive --undo", "archive --undo", "archive x")
	as(fran, Env{Console: true}, "export")
	by(ada, "export")

	// A ballot.
	by(fran, "step next", "brought", "brought --step 1", "ballot open --live --secret", "ballot open --dots 0", "ballot open x",
		"ballot open --item Housing", "ballot open --cards 2", "ballot open --cards 1", "ballot close", "ballot nope",
		"ballot open --item Housing --item Roads --dots 999", "ballot open --item Housing --item Roads --dots 3 --max 9",
		"ballot open --item Housing --item Roads --top 999", "ballot open --theme Access",
		"ballot open --item Housing --item Roads --item Parks --title Which matter most? --max 3")
	by(ada, "vote 1 1=3 2=2", "vote 1 1=9", "vote 1 1=4", "vote 1 3=2 2=2", "vote 1 x", "vote 1 1=-1", "vote 1 1=1 1=2", "vote 1",
		"vote 1 --clear 1=2", "vote 9 1=1", "vote x 1=1", "vote 1 9=1", "myvote 1", "results 1", "ballots", "ballot close 1")
	by(bob, "vote 1 1=2 2=3", "results 1")
	by(cy, "vote 1 2=3", "vote 1 --clear", "myvote 1", "vote 1 2=3")
	by(dee, "vote 1 3=1")
	by(eve, "vote 1 1=1")
	by(gus, "vote 1 2=1")
	by(hal, "vote 1 3=1")
	by(fran, "results 1", "ballots", "ballot close 1", "ballot close 1", "results 1", "results 1 --by-sector", "ballots",
		"ballot open --item Housing --item Roads --live", "ballots", "results 2")
	by(ada, "vote 2 1=5", "results 2", "vote 1 1=1", "myvote 2", "myvote 1", "results 1 --by-sector", "ballots")
	by(fran, "ballot close", "results 2 --by-sector", "ballot open --item Housing --item Roads", "ballot close 3", "results 3",
		"ballot close", "results 9", "results x", "myvote 9")

	// Deliberation.
	by(ada, "propose Meet at varied times")
	by(fran, "step next", "propose Meet at varied times --theme Access", "propose Meet at varied times")
	by(ada, "propose Say less --theme Being heard", "propose Say less", "propose Say less --theme Nowhere",
		"amend 1 Meet at varied times, some evenings", "amend 1 Meet at varied times", "amend 1", "amend x",
		"comment 1 Which times?", "comment 1", "comment 9 Which times?", "statements", "statement 1", "statement x", "statement 9",
		"accept 1", "statement order 1 1", "statement theme 1 none")
	by(fran, "accept 1", "accept 1", "accept x", "accept 9", "check open 1", "check open 1", "check nope 1", "check close 2",
		"amend 2 Say less, kindly --accept")
	by(ada, "agree 1 1", "agree 1 9", "agree 1 s", "agree 1 nonsense", "agree 1", "agree 2 1", "statements", "statement 1")
	by(bob, "agree 1 5")
	by(cy, "agree 1 2")
	by(fran, "statement 1", "check close 1", "record 1 agreed", "record 1 maybe", "check open 1")
	for _, id := range []string{ada, bob, cy} {
		by(id, "agree 1 1")
	}
	by(dee, "agree 1 4")
	by(gus, "agree 1 1")
	by(hal, "agree 1 5")
	by(fran, "check close 1", "record 1 agreed", "record 1 agreed", "action add 1 Publish timetables --who Council, Library",
		"action add 1 Publish timetables", "action add 1 --who Council", "action add 1 Flyers --who Library", "action remove 2",
		"action remove 2", "action remove x", "action nope 1", "statement order 2 1", "statement order 2 x", "statement order 2",
		"statement theme 2 none", "statement theme 2 Access", "statement theme 2 Nowhere", "reopen 2", "record 2",
		"check open 2", "record 2 agreed", "record 2 not-agreed", "action add 2 Flyers --who Library", "amend 2 Say less",
		"statements", "statement 1", "statement 2", "reopen 2", "record 2 not-agreed", "record 9 agreed")
	by(ada, "agree 2 1", "statement theme 2 none")

	// Feedback.
	by(fran, "step next")
	by(ada, "feedback", "feedback 1 Say which evenings", "feedback 2 Say which evenings", "feedback 1", "feedback 1 --json",
		"feedback x Say which evenings", "revise 1 Meet on Tuesdays --reason asked", "comment 1 Which times?")
	by(fran, "revise 1 Meet on Tuesdays --reason asked", "revise 1 Meet on Tuesdays", "revise 1 Meet on Tuesdays --reason again",
		"revise 1 --reason asked", "revise 2 Say less --reason asked", "feedback", "statement 1")

	// Quick polls.
	by(ada, "answer 1 4", "poll open scale How useful?")
	by(fran, "step next", "poll open scale How useful? --points 5 --label not at all --label very",
		"poll open choice Which first? --option Housing --option Parks", "poll open multiple Which two? --option Housing --option Roads --option Parks --max 2",
		"poll open words One word --words 1 --live", "poll open open Anything else?", "poll open nope Anything else?",
		"poll open scale", "poll open --agenda", "poll open scale How useful? --points 99", "poll open choice Which first? --option Housing",
		"poll open scale How useful? --option Housing", "poll open choice Which first? --option Housing --option Housing",
		"poll open scale How useful? --live --secret", "poll open words One word --words 99", "poll open --agenda scale",
		"poll nope", "polls")
	by(ada, "answer 1 4", "answer 1 9", "answer 1 very", "answer 1 x", "answer 2 Housing", "answer 2 1 2", "answer 2 x",
		"answer 3 1 3", "answer 3 1 1", "answer 3 1 2 3", "answer 3 9", "answer 4 buses", "answer 4 More buses please",
		"answer 5 More buses please", "answer 5", "answer 9 4", "answer x 4", "answer 1 --clear 4", "answer 1 --clear",
		"answer 1 4", "polls", "poll results 1", "poll results 4", "poll close 1", "poll hide 5 1 --reason rude")
	for _, id := range []string{bob, cy, eve, gus, hal} {
		by(id, "answer 1 5", "answer 2 2", "answer 3 2", "answer 4 buses", "answer 5 Anything")
	}
	by(fran, "poll close", "poll close 1", "poll close 1", "poll results 1", "poll results 1 --by-sector", "poll close --all",
		"poll results 2", "poll results 3 --by-sector", "poll results 4", "poll results 5")
	// An open answer is numbered at random, so that its number tells nothing.
	n := h.Snapshot().ViewFor(fran).Polls()[4]
	first := h.Snapshot().ViewFor(fran).Poll(n).Results.Answers[0].N
	hide := func(verb string) string { return fmt.Sprintf("poll %s 5 %d", verb, first) }
	by(fran, hide("hide")+" --reason rude", hide("hide"), hide("hide")+" --reason again", "poll hide 5 x --reason rude",
		"poll hide 5 999999 --reason rude", "poll results 5", hide("restore"), hide("restore"), "poll hide 1 1 --reason rude",
		"poll results 9", "polls", "poll close")
	by(ada, "answer 1 3", "polls", "poll results 2")

	// Closed, and back to the lobby.
	by(fran, "step next", "status", "step next", "timer start 5", "poll open open Anything else?", "step goto 0", "status")

	// The server's commands.
	as(coverageAdmin, Env{In: strings.NewReader(f.Fx("slug: harbour\ntitle: Harbour forum\nsteps:\n  - {title: Talk, phase: dialogue}\n"))}, "forum add")
	as(coverageAdmin, Env{In: strings.NewReader("")}, "forum add")
	as(coverageAdmin, Env{In: strings.NewReader(strings.Repeat("#", MaxAgendaBytes+1))}, "forum add")
	as(coverageAdmin, Env{Console: true}, "forum add", "forum nope")
	by(ada, "forums", "forum add")
	var out strings.Builder
	for _, line := range []string{"status", "forums"} {
		out.Reset()
		env := Env{Actor: ada, Out: &out, Printer: catalogue.Default().Printer(catalogue.Pseudo)}
		if spoken {
			env.Printer = env.Printer.Spoken()
		}
		if err := Run(context.Background(), env, line); err != nil {
			said = append(said, answer{line + ", without a forum", env.Printer.Error(err)})
		}
	}

	for name, s := range specs {
		if !ran[name] && catalogue.Default().Args(s.summary) >= 0 {
			t.Errorf("the command %s was never run", name)
		}
	}
	if len(said) < 600 {
		t.Fatalf("the commands said only %d lines", len(said))
	}
	var all []string
	for _, a := range said {
		all = append(all, a.typed+" → "+a.said)
		if bad := f.Unaccented(a.said); len(bad) > 0 {
			t.Errorf("%s: uncatalogued words %q in %q", a.typed, bad, a.said)
		}
		if spoken && unspoken.MatchString(a.said) {
			t.Errorf("%s: read aloud: %q", a.typed, a.said)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("said:\n%s", strings.Join(all, "\n"))
	}
}

// The forum's own rules, which an agenda meets (moot check, forum add)
// before any command: every refusal of session's there is the catalogue's.
func TestTheAgendasRulesAreCatalogued(t *testing.T) {
	f := fixtures{}
	f.Fx("riverside Riverside Talk x n Table " + session.PhaseNames + " " + session.PollKindNames + " " + strings.Repeat("x", 99) + " " + strings.Repeat("x", 999))
	good := func() *session.Forum {
		return &session.Forum{Slug: "riverside", Title: "Riverside", Steps: []session.Step{{Title: "Talk", Phase: session.Dialogue}}}
	}
	var errs []error
	for _, change := range []func(*session.Forum){
		func(x *session.Forum) { x.Slug = "" },
		func(x *session.Forum) { x.Slug = "Riverside" },
		func(x *session.Forum) { x.Title = "" },
		func(x *session.Forum) { x.Steps = nil },
		func(x *session.Forum) { x.Steps[0].Title = "" },
		func(x *session.Forum) { x.Steps[0].Phase = "x" },
		func(x *session.Forum) { x.Steps[0].Timebox = -1 },
		func(x *session.Forum) { x.Steps[0].Phase, x.Steps[0].Tables = session.Voting, true },
		func(x *session.Forum) { x.Steps[0].Polls = []session.PollSpec{{Question: "x"}} },
		func(x *session.Forum) { x.Steps[0].Evaluation = true },
		func(x *session.Forum) { x.Tables = &session.TablesSpec{Count: 2, Size: 3} },
		func(x *session.Forum) { x.Tables = &session.TablesSpec{Count: 999} },
		func(x *session.Forum) { x.Tables = &session.TablesSpec{Size: 999} },
		func(x *session.Forum) { x.Tables = &session.TablesSpec{Names: []string{"x", "x"}} },
		func(x *session.Forum) { x.Tables = &session.TablesSpec{Names: []string{""}} },
		func(x *session.Forum) { x.Tables = &session.TablesSpec{Names: []string{strings.Repeat("x", 99)}} },
		func(x *session.Forum) { x.Scale = []string{"x"} },
		func(x *session.Forum) { x.Blocking = 9 },
		func(x *session.Forum) { x.MinGroup = 1 },
		func(x *session.Forum) {
			x.Steps[0].Polls = []session.PollSpec{{Question: "x", Kind: session.PollScale, Labels: []string{"", "x"}}}
		},
		func(x *session.Forum) {
			x.Steps[0].Polls = []session.PollSpec{{Question: "x", Kind: session.PollChoice, Options: []string{"x", strings.Repeat("x", 999)}}}
		},
		func(x *session.Forum) {
			x.Steps[0].Polls = []session.PollSpec{{Question: "x", Kind: session.PollMultiple, Options: []string{"x", "n"}, Max: 9}}
		},
		func(x *session.Forum) {
			x.Steps[0].Polls = []session.PollSpec{{Question: strings.Repeat("x", 999), Kind: session.PollOpen}}
		},
		func(x *session.Forum) {
			x.Steps[0].Polls = []session.PollSpec{{Question: "x", Kind: session.PollOpen, Words: 3}}
		},
	} {
		x := good()
		change(x)
		err := x.Validate()
		if err == nil {
			t.Errorf("a forum with a problem was taken: %+v", x)
			continue
		}
		errs = append(errs, err)
	}
	errs = append(errs, session.ValidJoinCode("x"), session.ValidJoinCode("xxxxxx!"))
	xa := catalogue.Default().Printer(catalogue.Pseudo)
	for _, err := range errs {
		said := xa.Error(err)
		if bad := f.Unaccented(said); len(bad) > 0 {
			t.Errorf("uncatalogued words %q in %q", bad, said)
		}
	}
	if !slices.ContainsFunc(errs, func(err error) bool { return strings.Contains(err.Error(), "min_group 1: the fewest people") }) {
		t.Errorf("the English of the rules: %v", errs)
	}
}
