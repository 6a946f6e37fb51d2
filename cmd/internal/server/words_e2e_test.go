package server_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"moot/session"
)

// openSSHLine is the command line OpenSSH sends for `ssh HOST ARG...`: the
// arguments the local shell gave it, joined with single spaces, nothing
// quoted or escaped (ssh.c builds the exec request that way).
func openSSHLine(args ...string) string { return strings.Join(args, " ") }

// Words typed on a person's shell arrive as typed: what cards --json and
// statement --json give back is what was typed, after the documented
// cleaning, whether the words came as the shell's arguments or quoted
// whole.
func TestWordsArriveAsTyped(t *testing.T) {
	ts := startServer(t)
	fac, ada := ts.facilitator, newKey(t)
	ts.mustExec(t, fac, openSSHLine("name", "Fran", "--sector", "Local", "government"))
	ts.mustExec(t, ada, openSSHLine("name", "Ada", "O'Neill", "--sector", `"Third sector"`))
	ts.mustExec(t, fac, openSSHLine("theme", "add", "Getting", "involved,", "early", "and", "often"))
	ts.mustExec(t, fac, "step goto 1")

	// Each text as a person's shell hands its words to ssh: ssh HOST say
	// It\'s late gives say, It's, late.
	texts := []string{
		`It's late, isn't it?`,
		`"quoted" words and 'single' ones`,
		`C:\Users\ada \o/ back\slash\`,
		`wait -- what? --verbose is not an option here --whoever`,
		`commas, and; semicolons; too`,
		`Gemeinschaftsgärten für alle — 好 ✓ café`,
		`"`,
		`'unbalanced`,
	}
	for i, text := range texts {
		// A person each: three cards in ten seconds is the limit.
		key := newKey(t)
		ts.mustExec(t, key, openSSHLine("name", "P"+strconv.Itoa(i)))
		ts.mustExec(t, key, openSSHLine(append([]string{"say"}, strings.Fields(text)...)...))
		// The same words quoted whole, as ssh HOST 'say ...' sends them.
		ts.mustExec(t, key, openSSHLine("say "+text))
	}
	// One of the command's options inside text, with a backslash.
	ts.mustExec(t, ada, openSSHLine(`say Type \--anon to post without your name`))
	// Line breaks within a paragraph become spaces (the cleaning).
	ts.mustExec(t, ada, "say first line\nsecond line")

	var cards []session.CardView
	if err := json.Unmarshal([]byte(ts.mustExec(t, ada, "cards --json")), &cards); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cards {
		got = append(got, c.Text)
	}
	var want []string
	for _, text := range texts {
		want = append(want, text, text)
	}
	want = append(want, "Type --anon to post without your name", "first line second line")
	if !slices.Equal(got, want) {
		t.Errorf("cards:\n got %q\nwant %q", got, want)
	}

	// Statements: text, a theme named by its words, comments, amendments,
	// owners with commas, a level by the start of its label.
	ts.mustExec(t, fac, "step goto 3")
	ts.mustExec(t, ada, openSSHLine("propose", "Ask", "tenants'", "groups", `"first"`, "--theme", "getting", "involved,", "early", "and", "often"))
	ts.mustExec(t, ada, openSSHLine("comment", "1", "Don't", "forget", "Saturdays;", "or", "Sundays"))
	ts.mustExec(t, fac, openSSHLine("amend", "1", "Ask", "tenants'", "groups", "first,", "always", "--accept"))
	ts.mustExec(t, ada, openSSHLine("amend", "1", `Ask "everyone" first`))
	ts.mustExec(t, fac, "check open 1")
	ts.mustExec(t, ada, openSSHLine("agree", "1", "stand", "aside"))
	ts.mustExec(t, fac, "check close 1")
	ts.mustExec(t, fac, "record 1 agreed")
	ts.mustExec(t, fac, openSSHLine("action", "add", "1", "Write", "to", "the", `"Friends"`, "--who", "Housing", "team,", "with", "tenants'", "input;", "Library"))
	ts.mustExec(t, fac, openSSHLine("action", "add", "1", "Book", "a", "hall", "--who", "Council,", "Library"))
	ts.mustExec(t, fac, openSSHLine("action", "add", "1", "Ask", "around", "--who", "Housing", "team,", "with", "tenants'", "input", "--who", "Library"))

	var d session.StatementDetail
	out := ts.mustExec(t, ada, "statement 1 --json")
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Theme == nil || d.Theme.Name != "Getting involved, early and often" {
		t.Errorf("theme: %+v", d.Theme)
	}
	if len(d.Revisions) != 2 || d.Revisions[0].Text != `Ask tenants' groups "first"` || d.Revisions[1].Text != "Ask tenants' groups first, always" {
		t.Errorf("revisions: %+v", d.Revisions)
	}
	if len(d.Comments) != 1 || d.Comments[0].Text != "Don't forget Saturdays; or Sundays" {
		t.Errorf("comments: %+v", d.Comments)
	}
	// The amendment left waiting was closed when the statement was recorded.
	if len(d.Amendments) != 2 || d.Amendments[1].Text != `Ask "everyone" first` || !d.Amendments[1].Superseded || len(d.Pending) != 0 {
		t.Errorf("amendments: %+v, waiting %+v", d.Amendments, d.Pending)
	}
	if len(d.Checks) != 1 || d.Checks[0].Mine != 4 {
		t.Errorf("checks: %+v", d.Checks)
	}
	owners := [][]string{{"Housing team, with tenants' input", "Library"}, {"Council", "Library"}, {"Housing team, with tenants' input", "Library"}}
	if len(d.Actions) != 3 || d.Actions[0].Text != `Write to the "Friends"` {
		t.Fatalf("actions: %+v", d.Actions)
	}
	for i, a := range d.Actions {
		if !slices.Equal(a.Owners, owners[i]) {
			t.Errorf("action #%d owners %q, want %q", a.ID, a.Owners, owners[i])
		}
	}
	// The word diff in JSON: the documented strings.
	if !strings.Contains(out, `"op": "="`) || !strings.Contains(out, `"op": "-"`) || !strings.Contains(out, `"op": "+"`) {
		t.Errorf("diff operations are not the documented strings:\n%s", out)
	}
	if c := d.Revisions[1].Changes; len(c) == 0 || c[0].Op != session.Same {
		t.Errorf("changes: %+v", c)
	}
	if p, _ := ts.hub.Snapshot().Participant(gossh.FingerprintSHA256(ada.PublicKey())); p.Name != "Ada O'Neill" || p.Sector != "Third sector" {
		t.Errorf("participant: %+v", p)
	}
}
