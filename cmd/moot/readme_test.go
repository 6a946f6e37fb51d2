package main_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"moot/session"
	"moot/session/catalogue"
)

// The README's examples, run as a person runs them: every `sh` block, and
// every `ssh ...` shown in its text, through a real shell (/bin/sh), with
// the moot binary on the PATH and stand-ins for ssh and ssh-keygen that do
// what OpenSSH does (standin_test.go), against a real server started for
// each example. Every host and port in an example means that server.
//
// Each example must have an entry below saying what it must do, and each
// entry must still be in the README: an example added without a test, or a
// test left after its example changed, fails.

// readmeAgenda is the forum the examples run against (slug riverside).
const readmeAgenda = `slug: riverside
title: Riverside planning forum
join_code: river-2026
themes: [Access, Getting involved]
steps:
  - title: What gets in the way?
    phase: dialogue
  - title: Which barriers matter most?
    phase: voting
  - title: What can we all support?
    phase: deliberation
  - title: Comments on the draft report
    phase: feedback
`

const harbourAgenda = "slug: harbour\ntitle: Harbour forum\nsteps:\n  - {title: Ideas, phase: dialogue}\n"

// townAgenda is a forum at tables, with a step of polls (slug town).
const townAgenda = `slug: town
title: Town forum
sectors: [Local government, Public body, Third sector, Community]
steps:
  - {title: At tables, phase: dialogue, tables: true}
  - {title: Report back, phase: dialogue}
  - {title: "How did it go?", phase: poll}
`

// seated are the people of the README's examples of tables: Ada and
// seven more, in four sectors.
var seated = []step{{"Ada", "name Ada Lovelace --sector Community"}, {"p1", "name p1 --sector Community"},
	{"p2", "name p2 --sector Local government"}, {"p3", "name p3 --sector Local government"}, {"p4", "name p4 --sector Public body"},
	{"p5", "name p5 --sector Public body"}, {"p6", "name p6 --sector Third sector"}, {"p7", "name p7 --sector Third sector"}}

// ctrlC leaves a screen, as a person does.
const ctrlC = "\x03"

// step is a command run over SSH before an example, by the facilitator or,
// for who "p1", "p2"..., by another person (named as who).
type step struct{ who, cmd string }

type readmeExample struct {
	// skip says why the example is not run here, and what runs it.
	skip string
	// instead is run in place of an example that cannot run here as
	// written; why says why.
	instead, why string
	// serve names the agendas the example's server serves (default
	// riverside); none starts no server (the example starts its own).
	serve []string
	// background: the example is a server; it runs until it prints the
	// line to join with, then is stopped.
	background bool
	setup      []step
	// files are written in the example's folder first.
	files map[string]string
	// newcomer: the example runs with a key the forum does not know (the
	// facilitator's otherwise).
	newcomer bool
	stdin    string
	// until: on a screen, what it shows before standard input is typed.
	until  string
	status int
	// shows is in the example's output (stdout and stderr).
	shows []string
	// check looks at the forum after the example.
	check func(t *testing.T, r *readmeRun)
}

var readmeExamples = map[string]readmeExample{
	"go run ./cmd/moot                 # serve the demo forum on 127.0.0.1:2222\n" +
		"go test -timeout 10m ./...        # run the tests": {
		instead: "moot", why: "go run ./cmd/moot builds and runs the binary TestMain built; go test is this suite, which .ci/run runs as written",
		serve: []string{}, background: true,
		shows: []string{`moot is serving "Co-production in our town" (4 steps); data in moot-data`, "ssh -p"},
		check: func(t *testing.T, r *readmeRun) {
			if _, err := os.Stat(filepath.Join(r.dir, "moot-data", "moot.db")); err != nil {
				t.Error(err)
			}
		}},
	"go build -o /tmp/moot ./cmd/moot && go build -o /tmp/moot-load ./cmd/moot-load\n" +
		"/tmp/moot-load --server /tmp/moot --n 1000 --idle 10s --rounds 10": {
		skip: "a measurement of 1,000 participants over minutes; TestEveryScenarioAtSmallN (cmd/moot-load) runs every scenario with 6",
	},
	"ssh -p 2222 127.0.0.1": {newcomer: true, until: "What name should others see?", stdin: ctrlC},
	"ssh HOST":              {newcomer: true, until: "What name should others see?", stdin: ctrlC},
	"ssh riverside@HOST":    {newcomer: true, until: "What name should others see?", stdin: ctrlC},
	"ssh -p 2222 riverside@HOST": {serve: []string{"riverside", "harbour"}, newcomer: true,
		until: "What name should others see?", stdin: ctrlC, shows: []string{"Riverside planning forum"}},
	"ssh -p 2222 HOST": {serve: []string{"riverside", "harbour"}, until: "Harbour forum", stdin: ctrlC,
		shows: []string{"Riverside planning forum", "riverside"}},
	"ssh-keygen -t ed25519 -N '' -f guest\nssh -i guest -o IdentitiesOnly=yes -p 2222 127.0.0.1": {
		until: "What name should others see?", stdin: ctrlC,
		check: func(t *testing.T, r *readmeRun) {
			if _, err := os.Stat(filepath.Join(r.dir, "guest.pub")); err != nil {
				t.Error(err)
			}
		}},
	"ssh -p 2222 HOST name Ada Lovelace --sector Third sector\n" +
		"ssh -p 2222 HOST say It\\'s late, and the buses stop at six\n" +
		"ssh -p 2222 HOST 'say \"Nothing about us without us\" -- a tenant'": {
		setup: []step{{"", "step goto 1"}},
		shows: []string{"saved: you are Ada Lovelace (Third sector)", "saved: card #1", "saved: card #2"},
		check: func(t *testing.T, r *readmeRun) {
			r.cardsAre(t, "It's late, and the buses stop at six", `"Nothing about us without us" -- a tenant`)
		}},
	"ssh -p 2222 HOST symbols ascii     # or unicode; auto follows the terminal again": {
		setup: []step{{"", "name Fran"}},
		shows: []string{"your screens draw plain ASCII symbols now"},
		check: func(t *testing.T, r *readmeRun) {
			if res := sshExecAs(t, r.port, "riverside", r.fac, "whoami"); !strings.Contains(res.stdout, "symbols: ascii") {
				t.Errorf("whoami after symbols ascii: %q %q", res.stdout, res.stderr)
			}
		}},
	"ssh -p 2222 HOST lang en-XA       # lang forum: the forum's language again": {
		setup: []step{{"", "name Fran"}},
		// The answer is in the language chosen, as every answer after it.
		shows: []string{"[šåṽéð: ɱööţ šþéåķš en-XA ţö ýöû (ļåñĝ ƒöŕûɱ ţö ûñðö)"},
		check: func(t *testing.T, r *readmeRun) {
			if res := sshExecAs(t, r.port, "riverside", r.fac, "lang"); !strings.Contains(res.stdout, "[ɱööţ šþéåķš en-XA ţö ýöû") {
				t.Errorf("lang after lang en-XA: %q %q", res.stdout, res.stderr)
			}
		}},
	"moot check riverside.yaml": {
		serve: []string{}, status: 1,
		files: map[string]string{
			"riverside.yaml":         readmeAgenda + "lang: fr\n",
			"moot-data/lang/fr.yaml": "line.card: \"Carte {card} : {text}\"\ncount.cards:\n  few: \"{n} cartes\"\n  other: \"{n} cartes\"\n",
		},
		shows: []string{"moot check: translations in moot-data/lang:", "moot-data/lang/fr.yaml: 2 problems",
			`line 1: line.card: placeholder {author} is missing from "Carte {card} : {text}"`,
			"line 3: count.cards: form few: fr has no such plural form (it has one, other)"},
	},
	"ssh HOST 'say Type \\--anon to post without your name'": {
		setup: []step{{"", "name Fran"}, {"", "step goto 1"}},
		check: func(t *testing.T, r *readmeRun) { r.cardsAre(t, "Type --anon to post without your name") },
	},
	"ssh HOST 'theme assign \"Getting involved\" 3 4'": {
		setup: []step{{"", "step goto 1"}, {"p1", "say one"}, {"p1", "say two"}, {"p2", "say three"}, {"p2", "say four"}},
		shows: []string{"2 cards under Getting involved"},
		check: func(t *testing.T, r *readmeRun) {
			var cards []session.CardView
			r.json(t, "cards --json", &cards)
			for _, c := range cards {
				if under := c.Theme != nil && c.Theme.Name == "Getting involved"; under != (c.ID >= 3) {
					t.Errorf("card %+v", c)
				}
			}
		}},
	"ssh -p 2222 HOST action add 1 Publish a timetable --who Council, Library": {
		setup: []step{{"", "name Fran"}, {"", "step goto 3"}, {"", "propose Meet at varied times --theme Access"},
			{"", "check open 1"}, {"", "agree 1 1"}, {"", "record 1 agreed"}},
		shows: []string{"action #1 added to statement #1: Council, Library"},
		check: func(t *testing.T, r *readmeRun) {
			var d session.StatementDetail
			r.json(t, "statement 1 --json", &d)
			if len(d.Actions) != 1 || d.Actions[0].Text != "Publish a timetable" || !slices.Equal(d.Actions[0].Owners, []string{"Council", "Library"}) {
				t.Errorf("actions: %+v", d.Actions)
			}
		}},
	"ssh -p 2222 host ballot open --item Meetings in working hours --item Too much jargon --max 3\n" +
		"ssh -p 2222 host vote 1 1=3 2=2": {
		setup: []step{{"", "name Fran"}, {"", "step goto 2"}},
		shows: []string{"ballot #1 open: 2 items"},
		check: func(t *testing.T, r *readmeRun) {
			var v session.BallotView
			var all []session.BallotView
			r.json(t, "ballots --json", &all)
			if len(all) == 1 {
				v = all[0]
			}
			if len(v.Items) != 2 || v.Items[0].Text != "Meetings in working hours" || v.Items[1].Text != "Too much jargon" ||
				v.MaxPerItem != 3 || v.Items[0].Mine == nil || *v.Items[0].Mine != 3 || v.Items[1].Mine == nil || *v.Items[1].Mine != 2 {
				t.Errorf("ballots: %+v", all)
			}
		}},
	"ssh -o PubkeyAuthentication=no -p 2222 riverside@HOST": {
		stdin: "river-2026\n" + ctrlC, until: "What name should others see?",
		shows: []string{"(riverside@HOST) Join code: river-2026", "rejoin code"},
	},
	"ssh -T -p 2222 riverside@forum.example.org": {newcomer: true, stdin: "Ada\n4\nstatus\nquit\n",
		shows: []string{"Welcome to Riverside planning forum. What name should others see?",
			"Which sector are you part of?", "You are Ada, Community, taking part.",
			"The forum is in the lobby: it has not begun. It has 4 steps.", "Goodbye. Your place is kept"},
		check: func(t *testing.T, r *readmeRun) {
			if strings.ContainsAny(r.out, "\x1b\r") {
				t.Errorf("line mode sent an escape or a CR:\n%q", r.out)
			}
		}},
	"ssh HOST live": {setup: []step{{"", "name Fran"}, {"", "step goto 1"}}, stdin: "say Buses stop at six\nquit\n",
		shows: []string{"Welcome to Riverside planning forum, Fran. This is line mode", "Step 1 of 4, dialogue: What gets in the way?",
			"saved: card 1", "Goodbye."},
		check: func(t *testing.T, r *readmeRun) { r.cardsAre(t, "Buses stop at six") }},
	"ssh HOST mode line": {setup: []step{{"", "name Fran"}},
		shows: []string{"saved: from your next session on, your terminal sessions open in line mode"}},
	"ssh HOST quiet on": {setup: []step{{"", "name Fran"}},
		shows: []string{"saved: quiet is on; line mode tells you only the facilitator's moves and what concerns you"}},
	"ssh -p 2222 riverside+screen@HOST": {until: "read-only screen", stdin: "q", shows: []string{"R I V E R S I D E", "To take part: ssh -p"}},
	"ssh riverside+screen@HOST status":  {status: 1, shows: []string{"the screen view (SLUG+screen) only shows the forum; it runs no commands"}},
	"moot serve --agendas forums/ --admins admins.pub": {
		serve: []string{}, background: true,
		files: map[string]string{"forums/riverside.yaml": readmeAgenda, "forums/harbour.yaml": harbourAgenda},
		shows: []string{"moot is serving 2 forums", "ssh -p", "riverside@127.0.0.1", "harbour@127.0.0.1"},
	},
	"ssh -p 2222 HOST forum add < riverside.yaml": {
		serve: []string{"harbour"}, files: map[string]string{"riverside.yaml": readmeAgenda},
		shows: []string{`added forum "Riverside planning forum" (riverside): 4 steps, 2 themes, 1 facilitator; join with: ssh riverside@HOST`},
	},
	"ssh HOST forum add < agenda.yaml": {
		files: map[string]string{"agenda.yaml": harbourAgenda},
		shows: []string{`added forum "Harbour forum" (harbour)`},
	},
	"ssh HOST forum add": {status: 1, shows: []string{"no agenda on standard input"}},
	"moot invite --data moot-data --public-addr forum.example.org:2222 riverside\n" +
		"moot invite --agenda agenda.yaml --public-addr forum.example.org   # before the server has run it": {
		files: map[string]string{"agenda.yaml": readmeAgenda},
		shows: []string{"You are invited to take part in Riverside planning forum", "    ssh -p 2222 riverside@forum.example.org\n",
			"    ssh riverside@forum.example.org\n", "type river-2026", "SHA256:"},
	},
	"moot serve --listen 0.0.0.0:2201 --store postgres://moot@db.example:5432/moot --agenda forum.yaml\n" +
		"moot serve --listen 0.0.0.0:2202 --store postgres://moot@db.example:5432/moot --agenda forum.yaml": {
		skip: "needs a PostgreSQL server; TestTwoServersServeOneForum and TestHAProxyExampleInTheREADME (postgres_test.go, haproxy_test.go) start two servers on one database where MOOT_TEST_POSTGRES is set, as .ci/run does",
	},
	"moot rebuild --data moot-data": {
		setup: []step{{"", "name Fran"}, {"", "step goto 1"}},
		shows: []string{"riverside: 4 events replayed; tables rebuilt", "rebuilt 1 forum in moot-data/moot.db"},
	},
	"/tmp/moot-load --server /tmp/moot --store \"$MOOT_TEST_POSTGRES\" --nodes 2 --kill-half --vote-rounds 2 --n 500": {
		skip: "a measurement of 500 participants on two servers; TestTwoNodesAtSmallN (cmd/moot-load) runs it with 8 where MOOT_TEST_POSTGRES is set, as .ci/run does",
	},
	".ci/postgres start /tmp/moot-pg          # initdb and start, as an unprivileged user; prints the URL\n" +
		"MOOT_TEST_POSTGRES=$(cat /tmp/moot-pg/url) go test -timeout 10m ./...\n" +
		".ci/postgres stop /tmp/moot-pg": {
		skip: "this is how .ci/run runs the suite (with a folder of its own), before and around the tests; running it here would run the suite within itself",
	},
	"moot lang > fr.yaml": {
		serve: []string{},
		check: func(t *testing.T, r *readmeRun) {
			// As it comes out, the file is a whole translation into a
			// language with English's plural forms, which moot takes as it
			// is (French has other forms: its translator changes those).
			b, err := os.ReadFile(filepath.Join(r.dir, "fr.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(r.dir, "en-GB.yaml")
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := catalogue.LoadFile(file); err != nil {
				t.Errorf("moot lang's output as a translation: %v", err)
			}
		}},
	"deploy/release v1.2.0": {
		skip: "cross-compiling five platforms takes minutes; TestReleaseBuild (deploy_test.go) runs deploy/release where MOOT_TEST_RELEASE=1, as .ci/run does",
	},
	"ssh -p 2222 HOST tables make 4 --by-sector\n" +
		"ssh -p 2222 HOST table move Ada Lovelace --to Table 2": {
		serve: []string{"town"}, setup: append([]step{{"", "name Fran"}}, seated...),
		shows: []string{"4 tables made, balanced by sector: Table 1 (2), Table 2 (2), Table 3 (2), Table 4 (2)", "Ada Lovelace now sits at Table 2"},
		check: func(t *testing.T, r *readmeRun) {
			var tables []session.TableView
			r.json(t, "tables --json", &tables)
			if len(tables) != 4 || !slices.Contains(tables[1].Members, "Ada Lovelace") || tables[1].People != 3 {
				t.Errorf("tables: %+v", tables)
			}
		}},
	"ssh -p 2222 HOST bring 1\nssh -p 2222 HOST brought": {
		serve: []string{"town"},
		setup: append(append([]step{{"", "name Fran"}}, seated...), step{"", "tables make 2"}, step{"", "step goto 1"},
			step{"p1", "say The buses stop at six"}, step{"p2", "say Nobody hears back"}),
		shows: []string{"1 card brought back to the room", "  #1    The buses stop at six"},
		check: func(t *testing.T, r *readmeRun) {
			var cards []session.CardView
			r.json(t, "cards --json", &cards)
			if len(cards) != 2 || !cards[0].BroughtBack || cards[0].Table == nil || cards[1].BroughtBack {
				t.Errorf("cards: %+v", cards)
			}
		}},
	"ssh -p 2222 HOST 'poll open scale Where does our practice sit? --points 5 --label doing to --label doing with'\n" +
		"ssh -p 2222 HOST answer 1 4\n" +
		"ssh -p 2222 HOST poll close 1": {
		serve: []string{"town"}, setup: []step{{"", "name Fran"}, {"", "step goto 3"}},
		shows: []string{"poll #1 open: a scale of 5 points, secret until it closes", "saved: poll #1, 4", "poll #1 closed"},
		check: func(t *testing.T, r *readmeRun) {
			var p session.PollView
			r.json(t, "poll results 1 --json", &p)
			if p.Question != "Where does our practice sit?" || p.Labels[0] != "doing to" || p.Labels[4] != "doing with" ||
				p.Status != "closed" || p.Mine == nil || p.Mine.Point != 4 || p.Results != nil || !strings.Contains(p.Withheld, "Fewer than 3") {
				t.Errorf("poll 1: %+v", p)
			}
		}},
	"moot backup --data moot-data moot-backup.db": {
		setup: []step{{"", "step goto 1"}, {"p1", "say Buses stop at six"}},
		shows: []string{"moot backup: moot-data/moot.db copied to moot-backup.db"},
		check: func(t *testing.T, r *readmeRun) {
			// The copy, taken while the server ran, is a moot database
			// of its own with the card in it.
			if err := os.MkdirAll(filepath.Join(r.dir, "restored"), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(filepath.Join(r.dir, "moot-backup.db"), filepath.Join(r.dir, "restored", "moot.db")); err != nil {
				t.Fatal(err)
			}
			out, errOut, code := moot(t, r.dir, "export", "--data", "restored", "--forum", "riverside", "--format", "md")
			if code != 0 || !strings.Contains(out, "Buses stop at six") {
				t.Errorf("the backup, restored: %d %q\n%s", code, errOut, out)
			}
		}},
	"moot export --data moot-data --forum riverside --format md --out report.md\n" +
		"moot export --data moot-data --forum riverside --format html --out report.html\n" +
		"ssh -p 2222 riverside@HOST export --format html --order forum > report-by-step.html": {
		setup: []step{{"", "step goto 1"}, {"p1", "say Buses stop at six"}},
		check: func(t *testing.T, r *readmeRun) {
			for file, want := range map[string][]string{
				"report.md":           {"# Riverside planning forum\n", "\n- Buses stop at six\n", "- [What people raised](#what-people-raised)"},
				"report.html":         {"<!DOCTYPE html>", "<h2 id=\"what-people-raised\">What people raised</h2>", "<li>Buses stop at six</li>"},
				"report-by-step.html": {"<!DOCTYPE html>", "<h2 id=\"step-1-what-gets-in-the-way\">Step 1: What gets in the way?</h2>", "<li>Buses stop at six</li>"},
			} {
				b, err := os.ReadFile(filepath.Join(r.dir, file))
				for _, w := range want {
					if err != nil || !bytes.Contains(b, []byte(w)) {
						t.Errorf("%s does not hold %q: %v\n%s", file, w, err, b)
					}
				}
			}
		}},
	"moot export --data moot-data --forum riverside --format html --lang fr --out rapport.html\n" +
		"ssh -p 2222 riverside@HOST export --format md --lang en > report-en.md": {
		files: map[string]string{"moot-data/lang/fr.yaml": "report.contents: Sommaire\nreport.steps: Le déroulement du forum\n"},
		setup: []step{{"", "step goto 1"}, {"p1", "say Buses stop at six"}},
		check: func(t *testing.T, r *readmeRun) {
			for file, want := range map[string][]string{
				"rapport.html": {`<html lang="fr">`, ">Sommaire</h2>", ">Le déroulement du forum</h2>", "<li>Buses stop at six</li>"},
				"report-en.md": {"## Contents\n", "## How the forum ran\n", "\n- Buses stop at six\n"},
			} {
				b, err := os.ReadFile(filepath.Join(r.dir, file))
				for _, w := range want {
					if err != nil || !bytes.Contains(b, []byte(w)) {
						t.Errorf("%s does not hold %q: %v\n%s", file, w, err, b)
					}
				}
			}
		}},
}

// readmeRun is one example being run.
type readmeRun struct {
	dir, port string
	fac       gossh.Signer
	out       string
}

func (r *readmeRun) json(t *testing.T, cmd string, v any) {
	t.Helper()
	res := sshExecAs(t, r.port, "riverside", r.fac, cmd)
	if err := json.Unmarshal([]byte(res.stdout), v); res.status != 0 || err != nil {
		t.Fatalf("%s: %d %v %q", cmd, res.status, err, res.stderr)
	}
}

func (r *readmeRun) cardsAre(t *testing.T, texts ...string) {
	t.Helper()
	var cards []session.CardView
	r.json(t, "cards --json", &cards)
	var got []string
	for _, c := range cards {
		got = append(got, c.Text)
	}
	if !slices.Equal(got, texts) {
		t.Errorf("cards %q, want %q", got, texts)
	}
}

var (
	shBlock    = regexp.MustCompile("(?ms)^```sh\n(.*?)\n```")
	anyBlock   = regexp.MustCompile("(?ms)^```.*?^```")
	sshExample = regexp.MustCompile("`(ssh [^`]*)`")
)

// readmeCommands lists the README's examples: its sh blocks, then the
// ssh commands in its text.
func readmeCommands(t *testing.T) []string {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range shBlock.FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	text := anyBlock.ReplaceAllString(string(b), "")
	for _, m := range sshExample.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

func TestREADMEExamples(t *testing.T) {
	commands := readmeCommands(t)
	for _, c := range commands {
		if _, ok := readmeExamples[c]; !ok {
			t.Errorf("the README shows a command no test runs; add it to readmeExamples:\n%s", c)
		}
	}
	for c := range readmeExamples {
		if !slices.Contains(commands, c) {
			t.Errorf("readmeExamples tests a command the README no longer shows:\n%s", c)
		}
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no /bin/sh to run the examples with")
	}
	standIns := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"ssh": self, "ssh-keygen": self, "moot": binary} {
		if err := os.Symlink(target, filepath.Join(standIns, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range commands {
		ex, ok := readmeExamples[c]
		if !ok || ex.skip != "" {
			continue
		}
		t.Run(strings.SplitN(c, "\n", 2)[0], func(t *testing.T) { runReadmeExample(t, standIns, c, ex) })
	}
}

func runReadmeExample(t *testing.T, standIns, example string, ex readmeExample) {
	dir := t.TempDir()
	fac, facPEM := keyAndPEM(t)
	r := &readmeRun{dir: dir, fac: fac}
	for name, body := range ex.files {
		file := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	facPub := gossh.MarshalAuthorizedKey(r.fac.PublicKey())
	for _, f := range []string{"admins.pub", ".fac.pub"} {
		if err := os.WriteFile(filepath.Join(dir, f), facPub, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	serve := ex.serve
	if serve == nil {
		serve = []string{"riverside"}
	}
	if len(serve) > 0 {
		args := []string{"--listen", "127.0.0.1:0", "--data", "moot-data", "--facilitators", ".fac.pub", "--admins", ".fac.pub"}
		for _, slug := range serve {
			file := filepath.Join(t.TempDir(), slug+".yaml")
			body := map[string]string{"riverside": readmeAgenda, "harbour": harbourAgenda, "town": townAgenda}[slug]
			if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			args = append(args, "--agenda", file)
		}
		p := serveIn(t, dir, nil, args...)
		r.port = p.port
		defer p.stop(t)
		people := map[string]gossh.Signer{"": r.fac}
		for _, s := range ex.setup {
			key, ok := people[s.who]
			if !ok {
				key = newKey(t)
				people[s.who] = key
				sshExecAs(t, r.port, "riverside", key, "name "+s.who)
			}
			if res := sshExecAs(t, r.port, "riverside", key, s.cmd); res.status != 0 {
				t.Fatalf("setup %q: %d %q", s.cmd, res.status, res.stderr)
			}
		}
	}

	keyPEM := facPEM
	if ex.newcomer {
		_, keyPEM = keyAndPEM(t)
	}
	keyFile := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	line := example
	if ex.instead != "" {
		line = ex.instead
	}
	cmd := exec.CommandContext(ctx, "sh", "-c", line)
	cmd.Dir = dir
	cmd.Env = append(testEnv(t),
		"PATH="+standIns+string(os.PathListSeparator)+os.Getenv("PATH"),
		envAddr+"=127.0.0.1:"+r.port, envKey+"="+keyFile, envUntil+"="+ex.until,
		// A server an example starts listens where it harms nobody.
		"MOOT_LISTEN=127.0.0.1:0")
	cmd.Stdin = strings.NewReader(ex.stdin)
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if ex.background {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(wait)
		for !strings.Contains(out.String(), "ssh -p") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		_ = cmd.Wait()
	} else {
		err := cmd.Run()
		status := 0
		if e, ok := err.(*exec.ExitError); ok {
			status = e.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if status != ex.status {
			t.Errorf("exit status %d, want %d\n%s", status, ex.status, out.String())
		}
	}
	r.out = out.String()
	for _, s := range append(slices.Clone(ex.shows), ex.until) {
		if !strings.Contains(ansi.Strip(r.out), s) {
			t.Errorf("the output does not show %q:\n%s", s, ansi.Strip(r.out))
		}
	}
	if ex.check != nil {
		ex.check(t, r)
	}
}

// keyAndPEM makes a key and its private key file's contents.
func keyAndPEM(t *testing.T) (gossh.Signer, []byte) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	return signer, pem.EncodeToMemory(block)
}

// lockedBuffer is written by a process while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
