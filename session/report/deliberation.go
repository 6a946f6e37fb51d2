package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"moot/session"
)

func init() {
	builders = append(builders, buildDeliberation)
	parts = append(parts,
		part{agreed: 10, draw: agreedPart},
		part{agreed: 40, draw: notAgreedPart},
		part{agreed: 50, draw: feedbackPart})
	stepParts[session.Deliberation] = stepPart{draw: statementsStepPart}
	stepParts[session.Feedback] = stepPart{draw: feedbackStepPart}
	tables = append(tables,
		table{"statements", statementsTable}, table{"actions", actionsTable},
		table{"revisions", revisionsTable}, table{"amendments", amendmentsTable},
		table{"checks", checksTable}, table{"check_levels", checkLevelsTable},
		table{"feedback", feedbackTable})
}

// Statement is a statement as the report tells it: what `statements
// --json` gives, with its number in the report, how it was reached in a
// line, and its whole history (`statement ID --json`) but for the
// comments, which are discussion rather than outcome.
type Statement struct {
	// Number is its number in the report, 1..n in the report's order;
	// ID (in StatementView) is the forum's own.
	Number int `json:"number"`
	session.StatementView
	// Reached says in a sentence how it got where it stands.
	Reached    string                  `json:"reached"`
	Revisions  []session.RevisionView  `json:"revisions"`
	Amendments []session.AmendmentView `json:"amendments"`
	Checks     []session.CheckView     `json:"checks"`
	// AmendedBy counts the people whose amendments became its revisions.
	AmendedBy int `json:"amended_by"`
	// BlocksResolved counts, for an agreed statement, the blocked checks
	// before the one it was agreed at: each block was met by new wording.
	BlocksResolved int `json:"blocks_resolved"`
}

func buildDeliberation(r *Report, src source) {
	for _, sv := range src.view.Statements() {
		d, _ := src.view.Detail(sv.ID)
		s := Statement{StatementView: *sv, Revisions: d.Revisions, Amendments: d.Amendments, Checks: d.Checks, AmendedBy: d.AmendedBy}
		if s.Status == string(session.Agreed) && s.Result != nil {
			for _, c := range s.Checks {
				if c.ID < s.Result.ID && c.Blocked {
					s.BlocksResolved++
				}
			}
		}
		s.Reached = reached(english(), &s, over(r))
		r.Statements = append(r.Statements, s)
	}
	if r.Order == AgreedFirst {
		// The agreed first; the others after them, in the forum's order.
		slices.SortStableFunc(r.Statements, func(a, b Statement) int {
			return cmp.Compare(boolRank(a.Status != string(session.Agreed)), boolRank(b.Status != string(session.Agreed)))
		})
	}
	for i := range r.Statements {
		r.Statements[i].Number = i + 1
	}
	for _, f := range src.view.Feedback() {
		r.Feedback = append(r.Feedback, *f)
	}
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// reached says how a statement got where it stands, from its checks and
// amendments, in one sentence: "Agreed at the second check, after one
// block; amended by two people."
func reached(say *voice, s *Statement, over bool) string {
	var clauses []string
	blocked := 0
	for _, c := range s.Checks {
		if c.Blocked {
			blocked++
		}
	}
	n := len(s.Checks)
	switch s.Status {
	case string(session.Agreed):
		at := 0
		for i, c := range s.Checks {
			if s.Result != nil && c.ID == s.Result.ID {
				at = i + 1
			}
		}
		clause := say.T("report.reached.agreed")
		if at > 0 {
			clause = say.T("report.reached.agreed_at", say.T("ordinal.check", at))
		}
		if s.BlocksResolved > 0 {
			clause = say.T("report.reached.after_blocks", s.BlocksResolved, clause, say.word(s.BlocksResolved))
		}
		clauses = append(clauses, clause)
	case string(session.NotAgreed):
		if n == 0 {
			clauses = append(clauses, say.T("report.reached.unchecked"))
		} else {
			clauses = append(clauses, blocks(say, say.T("report.reached.not_agreed", n, say.word(n)), n, blocked))
		}
	default:
		if over {
			clauses = append(clauses, say.T("report.reached.never_settled"))
		} else {
			clauses = append(clauses, say.T("report.reached.not_settled"))
		}
		if n > 0 {
			clauses = append(clauses, blocks(say, say.T("report.reached.so_far", n, say.word(n)), n, blocked))
		}
		if s.Check != nil {
			clauses = append(clauses, say.T("report.reached.check_open"))
		}
	}
	accepted, notTaken, waiting := 0, 0, 0
	for _, a := range s.Amendments {
		switch {
		case a.Accepted != 0:
			accepted++
		case a.Superseded:
			notTaken++
		default:
			waiting++
		}
	}
	people := say.T("report.persons", s.AmendedBy, say.word(s.AmendedBy))
	switch {
	case accepted == 0 && s.Status == string(session.Agreed):
		clauses = append(clauses, say.T("report.reached.as_proposed"))
	case accepted == 1:
		clauses = append(clauses, say.T("report.reached.amended_once"))
	case accepted > 1 && s.AmendedBy == accepted:
		clauses = append(clauses, say.T("report.reached.amended_by", people))
	case accepted > 1:
		clauses = append(clauses, say.T("report.reached.amended_times", say.T("report.times", accepted, say.word(accepted)), people))
	}
	switch {
	case notTaken > 0 && accepted > 0:
		clauses = append(clauses, say.T("report.reached.other_not_taken", notTaken, say.word(notTaken)))
	case notTaken > 0:
		clauses = append(clauses, say.T("report.reached.not_taken", notTaken, say.word(notTaken)))
	}
	switch {
	case waiting > 0 && accepted > 0:
		clauses = append(clauses, say.T("report.reached.other_waiting", waiting, say.word(waiting)))
	case waiting > 0:
		clauses = append(clauses, say.T("report.reached.waiting", waiting, say.word(waiting)))
	}
	if len(s.RevisedAfter) > 0 {
		clauses = append(clauses, say.T("report.reached.revised"))
	}
	return say.capital(say.T("report.reached", strings.Join(clauses, say.T("sep.semicolon"))))
}

// blocks adds to a count of n checks how many of them were blocked.
func blocks(say *voice, clause string, n, blocked int) string {
	switch {
	case blocked == 0:
		return clause
	case blocked == n:
		return say.T("report.reached.all_blocked", n, clause)
	}
	return say.T("report.reached.some_blocked", blocked, clause, say.word(blocked))
}

// responses says how the room responded at a check (at the one the
// statement was recorded with, or its last), under the small-group rule.
func responses(say *voice, c *session.CheckView, last bool) string {
	var levels []string
	for _, l := range c.Levels {
		if l.Count > 0 {
			levels = append(levels, say.T("report.check.level", l.Count, l.Label))
		}
	}
	var line string
	switch {
	case last && len(levels) > 0:
		line = say.T("report.check.last_levels", c.Responded, say.joined(levels))
	case last:
		line = say.T("report.check.last", c.Responded)
	case len(levels) > 0:
		line = say.T("report.check.that_levels", c.Responded, say.joined(levels))
	default:
		line = say.T("report.check.that", c.Responded)
	}
	return say.then(line, say.Text(c.Why))
}

// statementBlock is one statement as the report to read gives it: its
// number and wording, how it was reached, how the room responded, and
// for an agreed one its actions.
func statementBlock(r *Report, s *Statement) block {
	say := r.say()
	out := []block{para(strong(say.T("report.statement.number", s.Number)), text(" "+s.Text)), note(reached(say, s, over(r)))}
	if s.Result != nil {
		out = append(out, note(responses(say, s.Result, s.Status != string(session.Agreed))))
	}
	if n := len(s.RevisedAfter); n > 0 {
		out = append(out, note(say.T("report.statement.revised", strings.TrimSuffix(s.RevisedAfter[n-1].Reason, "."))), quote(s.RecordedText))
	}
	if len(s.Actions) > 0 {
		t := &grid{Caption: say.T("report.actions.caption", s.Number), RowHeader: true,
			Columns: []column{{Title: say.T("report.actions.action")}, {Title: say.T("report.actions.owners")}}}
		for _, a := range s.Actions {
			// Owners that hold a comma are told apart by semicolons.
			sep := say.T("sep.comma")
			if slices.ContainsFunc(a.Owners, func(o string) bool {
				return strings.Contains(o, ",") || strings.Contains(o, strings.TrimSpace(sep))
			}) {
				sep = say.T("sep.semicolon")
			}
			t.Rows = append(t.Rows, []string{a.Text, strings.Join(a.Owners, sep)})
		}
		out = append(out, block{Table: t})
	}
	return block{Group: out, Class: "statement", ID: fmt.Sprintf("statement-%d", s.Number)}
}

// over tells whether the forum is over: a statement not settled now never
// will be.
func over(r *Report) bool { return r.Stage == session.Closed || r.Archived }

// byTheme draws statements that pass keep under their themes' headings,
// in the report's order.
func byTheme(r *Report, sec *section, keep func(s *Statement) bool) {
	say := r.say()
	var group *section
	key := int64(-1)
	for i := range r.Statements {
		s := &r.Statements[i]
		if !keep(s) {
			continue
		}
		k, title := int64(0), say.T("report.theme.none")
		if s.Theme != nil {
			k, title = s.Theme.ID, s.Theme.Name
		}
		if group == nil || k != key {
			key = k
			group = sec.sub(title)
		}
		group.add(statementBlock(r, s))
	}
}

func agreed(s *Statement) bool    { return s.Status == string(session.Agreed) }
func notAgreed(s *Statement) bool { return !agreed(s) }

func count(r *Report, keep func(s *Statement) bool) int {
	n := 0
	for i := range r.Statements {
		if keep(&r.Statements[i]) {
			n++
		}
	}
	return n
}

func agreedPart(r *Report) *section {
	if len(r.Statements) == 0 && firstReached(r, session.Deliberation) == 0 {
		return nil
	}
	say := r.say()
	sec := &section{Title: say.T("report.agreed")}
	if count(r, agreed) == 0 {
		sec.add(note(say.T("report.agreed.none")))
		return sec
	}
	sec.add(note(say.T("report.agreed.about")))
	byTheme(r, sec, agreed)
	return sec
}

func notAgreedPart(r *Report) *section {
	if count(r, notAgreed) == 0 {
		return nil
	}
	say := r.say()
	sec := &section{Title: say.T("report.not_agreed")}
	sec.add(note(say.T("report.not_agreed.about")))
	byTheme(r, sec, notAgreed)
	return sec
}

// statementsStepPart tells the statements, in the forum's order, under the
// first deliberation step the forum reached.
func statementsStepPart(r *Report, s *Step, sec *section) bool {
	say := r.say()
	first := firstReached(r, session.Deliberation)
	switch {
	case len(r.Statements) == 0 || first == 0:
		return false
	case s.Number != first:
		sec.add(note(say.T("report.statements.elsewhere", first)))
		return true
	}
	ag, not := count(r, agreed), 0
	for _, st := range r.Statements {
		if st.Status == string(session.NotAgreed) {
			not++
		}
	}
	line := say.T("report.statements.worked_on", len(r.Statements), ag, not)
	if open := len(r.Statements) - ag - not; open > 0 {
		line = say.T("report.statements.worked_on_open", len(r.Statements), ag, not, open)
	}
	sec.add(para(text(line)))
	byTheme(r, sec, func(*Statement) bool { return true })
	return true
}

// feedbackOn draws the feedback on the draft report, by statement, with
// the revisions made in response; false if there was none.
func feedbackOn(r *Report, sec *section) bool {
	say := r.say()
	by := map[int64][]session.FeedbackView{}
	for _, f := range r.Feedback {
		by[f.Statement] = append(by[f.Statement], f)
	}
	drew := false
	for i := range r.Statements {
		s := &r.Statements[i]
		fs := by[s.ID]
		if len(fs) == 0 && len(s.RevisedAfter) == 0 {
			continue
		}
		drew = true
		sub := sec.sub(say.T("report.feedback.on", s.Number))
		sub.add(quote(s.Text))
		if len(fs) > 0 {
			items := make([][]span, len(fs))
			for j, f := range fs {
				items[j] = []span{text(f.Text)}
			}
			sub.add(list(items...))
		}
		for _, rv := range s.RevisedAfter {
			sub.add(note(say.T("report.feedback.revised", strings.TrimSuffix(rv.Reason, "."))))
		}
	}
	return drew
}

func feedbackSummary(r *Report) string {
	revised := 0
	for _, s := range r.Statements {
		revised += len(s.RevisedAfter)
	}
	say := r.say()
	return say.T("report.feedback.summary", len(r.Feedback), say.T("report.revisions", revised))
}

func feedbackPart(r *Report) *section {
	sec := &section{Title: r.say().T("report.feedback")}
	if !feedbackOn(r, sec) {
		return nil
	}
	sec.Blocks = append([]block{para(text(feedbackSummary(r)))}, sec.Blocks...)
	return sec
}

func feedbackStepPart(r *Report, s *Step, sec *section) bool {
	first := firstReached(r, session.Feedback)
	switch {
	case first == 0:
		return false
	case s.Number != first:
		if len(r.Feedback) == 0 {
			return false
		}
		sec.add(note(r.say().T("report.feedback.elsewhere", first)))
		return true
	}
	sec.add(para(text(feedbackSummary(r))))
	feedbackOn(r, sec)
	return true
}

func statementsTable(r *Report) [][]string {
	rows := [][]string{{"number", "statement_id", "theme_id", "theme", "position", "status", "revision", "text", "recorded_revision", "recorded_text",
		"check_id", "responded", "levels", "blocked", "actions", "revised_after_reason", "reached", "checks", "blocks_resolved", "amended_by", "proposer"}}
	for _, s := range r.Statements {
		themeID, theme := "", ""
		if s.Theme != nil {
			themeID, theme = itoa(s.Theme.ID), s.Theme.Name
		}
		check, responded, levels, blocked := "", "", "", ""
		if a := s.Result; a != nil {
			check, responded, levels, blocked = itoa(a.ID), strconv.Itoa(a.Responded), levelsCell(a), strconv.FormatBool(a.Blocked)
		}
		reason := ""
		if n := len(s.RevisedAfter); n > 0 {
			reason = s.RevisedAfter[n-1].Reason
		}
		rows = append(rows, []string{strconv.Itoa(s.Number), itoa(s.ID), themeID, theme, strconv.Itoa(s.Position), s.Status, strconv.Itoa(s.Revision), s.Text,
			strconv.Itoa(s.RecordedRevision), s.RecordedText, check, responded, levels, blocked, strconv.Itoa(len(s.Actions)), reason,
			s.Reached, strconv.Itoa(len(s.Checks)), strconv.Itoa(s.BlocksResolved), strconv.Itoa(s.AmendedBy), s.Proposer})
	}
	return rows
}

// levelsCell writes a check's spread in one cell: "label: count; ...".
func levelsCell(c *session.CheckView) string {
	var parts []string
	for _, l := range c.Levels {
		parts = append(parts, fmt.Sprintf("%s: %d", l.Label, l.Count))
	}
	return strings.Join(parts, "; ")
}

func actionsTable(r *Report) [][]string {
	rows := [][]string{{"statement_number", "statement_id", "action_id", "text", "owners"}}
	for _, s := range r.Statements {
		if s.Status != "agreed" {
			continue
		}
		for _, a := range s.Actions {
			rows = append(rows, []string{strconv.Itoa(s.Number), itoa(s.ID), itoa(a.ID), a.Text, strings.Join(a.Owners, "; ")})
		}
	}
	return rows
}

// revisionsTable lists every wording of every statement: how it came
// (proposed, an amendment accepted, revised after the forum), by whom
// where they asked to be named.
func revisionsTable(r *Report) [][]string {
	rows := [][]string{{"statement_number", "statement_id", "revision", "how", "amendment_id", "author", "reason", "at", "text"}}
	for _, s := range r.Statements {
		for _, rv := range s.Revisions {
			how, amendment := "proposed", ""
			switch {
			case rv.Reason != "":
				how = "revised after the forum"
			case rv.Amendment != 0:
				how, amendment = "amendment accepted", itoa(rv.Amendment)
			}
			rows = append(rows, []string{strconv.Itoa(s.Number), itoa(s.ID), strconv.Itoa(rv.N), how, amendment, rv.Author, rv.Reason, rv.At.Format(time.RFC3339), rv.Text})
		}
	}
	return rows
}

// amendmentsTable lists every amendment, taken or not.
func amendmentsTable(r *Report) [][]string {
	rows := [][]string{{"statement_number", "statement_id", "amendment_id", "base_revision", "outcome", "became_revision", "author", "at", "text"}}
	for _, s := range r.Statements {
		for _, a := range s.Amendments {
			outcome, became := "waiting", ""
			switch {
			case a.Accepted != 0:
				outcome, became = "accepted", strconv.Itoa(a.Accepted)
			case a.Superseded:
				outcome = "not taken"
			}
			rows = append(rows, []string{strconv.Itoa(s.Number), itoa(s.ID), itoa(a.ID), strconv.Itoa(a.Base), outcome, became, a.Author, a.At.Format(time.RFC3339), a.Text})
		}
	}
	return rows
}

// checksTable lists every check of every statement, oldest first.
func checksTable(r *Report) [][]string {
	rows := [][]string{{"statement_number", "statement_id", "check_id", "revision", "opened_at", "closed_at", "responded", "blocked", "recorded", "levels", "by_sector_note", "withheld"}}
	for _, s := range r.Statements {
		for _, c := range s.Checks {
			closed := ""
			if c.ClosedAt != nil {
				closed = c.ClosedAt.Format(time.RFC3339)
			}
			recorded := s.Result != nil && s.Result.ID == c.ID
			rows = append(rows, []string{strconv.Itoa(s.Number), itoa(s.ID), itoa(c.ID), strconv.Itoa(c.Revision), c.OpenedAt.Format(time.RFC3339), closed,
				strconv.Itoa(c.Responded), strconv.FormatBool(c.Blocked), strconv.FormatBool(recorded), levelsCell(&c), c.BySectorNote, c.Withheld})
		}
	}
	return rows
}

// checkLevelsTable is each check's spread, one row per level: for
// everyone who responded (group "all"), then for each sector shown under
// the small-group rule (group "sector"). Checks whose spread is withheld
// have no rows.
func checkLevelsTable(r *Report) [][]string {
	rows := [][]string{{"statement_number", "statement_id", "check_id", "group", "sector", "pooled", "responded", "level", "label", "blocking", "count"}}
	for _, s := range r.Statements {
		for _, c := range s.Checks {
			lead := []string{strconv.Itoa(s.Number), itoa(s.ID), itoa(c.ID)}
			for _, l := range c.Levels {
				rows = append(rows, append(slices.Clone(lead), "all", "", "", strconv.Itoa(c.Responded), strconv.Itoa(l.Level), l.Label, strconv.FormatBool(l.Block), strconv.Itoa(l.Count)))
			}
			for _, g := range c.BySector {
				for i, n := range g.Counts {
					label, block := "", false
					if i < len(c.Levels) {
						label, block = c.Levels[i].Label, c.Levels[i].Block
					}
					rows = append(rows, append(slices.Clone(lead), "sector", g.Sector, strings.Join(g.Pooled, "; "), strconv.Itoa(g.Responded),
						strconv.Itoa(i+1), label, strconv.FormatBool(block), strconv.Itoa(n)))
				}
			}
		}
	}
	return rows
}

func feedbackTable(r *Report) [][]string {
	number := map[int64]int{}
	for _, s := range r.Statements {
		number[s.ID] = s.Number
	}
	rows := [][]string{{"feedback_id", "statement_number", "statement_id", "step", "revision", "text", "at"}}
	for _, f := range r.Feedback {
		rows = append(rows, []string{itoa(f.ID), strconv.Itoa(number[f.Statement]), itoa(f.Statement), strconv.Itoa(f.Step), strconv.Itoa(f.Revision), f.Text, f.At.Format(time.RFC3339)})
	}
	return rows
}
