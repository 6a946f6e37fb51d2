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
	stepSections[session.Deliberation] = append(stepSections[session.Deliberation], deliberationStepSection)
	stepSections[session.Feedback] = append(stepSections[session.Feedback], feedbackStepSection)
	closingSections = append(closingSections, agreedSection, notAgreedSection, feedbackSection)
	tables = append(tables, table{"statements", statementsTable}, table{"actions", actionsTable}, table{"feedback", feedbackTable})
}

// Statement is a statement drafted in deliberation, as the report shows
// it: no names.
type Statement struct {
	ID       int64     `json:"id"`
	Theme    *ThemeRef `json:"theme"`
	Position int       `json:"position"`
	// Status is agreed, not-agreed, or open (never recorded).
	Status string `json:"status"`
	// Text and Revision are its wording now.
	Text     string `json:"text"`
	Revision int    `json:"revision"`
	// RecordedRevision and RecordedText are the wording recorded (agreed
	// or not); 0 and "" for an open statement. RecordedAt is when.
	RecordedRevision int        `json:"recorded_revision"`
	RecordedText     string     `json:"recorded_text"`
	RecordedAt       *time.Time `json:"recorded_at"`
	// Agreement is the result of the check recorded with it; null if none.
	Agreement *Agreement `json:"agreement"`
	// Actions are what an agreed statement calls for, and who can take them.
	Actions []Action `json:"actions"`
	// RevisedAfter are the revisions a facilitator made after the
	// statement was agreed, on a feedback step, each with its reason.
	RevisedAfter []Revision `json:"revised_after"`
	// Revisions counts every wording it had, the first proposal included.
	Revisions int `json:"revisions"`
}

// Agreement is the result of a check of agreement: how many chose each
// level of the scale, overall and by sector.
type Agreement struct {
	Check     int64         `json:"check"`
	Revision  int           `json:"revision"`
	Responded int           `json:"responded"`
	Levels    []Level       `json:"levels"`
	Blocked   bool          `json:"blocked"`
	BySector  []SectorLevel `json:"by_sector"`
}

// Level is how many chose one level of the scale.
type Level struct {
	Level int    `json:"level"`
	Label string `json:"label"`
	Count int    `json:"count"`
	Block bool   `json:"block"`
}

// SectorLevel is how one sector responded ("" for people who gave none):
// Counts[i] chose level i+1. Sectors nobody responded from are left out.
type SectorLevel struct {
	Sector    string `json:"sector"`
	Responded int    `json:"responded"`
	Counts    []int  `json:"counts"`
}

// Action is something a statement calls for, and who can take it.
type Action struct {
	ID     int64    `json:"id"`
	Text   string   `json:"text"`
	Owners []string `json:"owners"`
}

// Revision is a rewording made after agreement, with its reason.
type Revision struct {
	N      int       `json:"n"`
	Text   string    `json:"text"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Feedback is a comment on an agreed statement in the draft report, with
// no name.
type Feedback struct {
	ID        int64     `json:"id"`
	Statement int64     `json:"statement"`
	Step      int       `json:"step"`
	Revision  int       `json:"revision"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

func buildDeliberation(r *Report, in Input) {
	snap := in.Snapshot
	names := map[int64]string{}
	pos := map[int64]int{}
	for i, t := range snap.Themes {
		names[t.ID], pos[t.ID] = t.Name, i
	}
	rank := func(s *session.Statement) int {
		if p, ok := pos[s.Theme]; ok && s.Theme != 0 {
			return p
		}
		return len(snap.Themes)
	}
	ordered := slices.Clone(snap.Statements)
	slices.SortStableFunc(ordered, func(x, y *session.Statement) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), cmp.Compare(x.Position, y.Position), cmp.Compare(x.ID, y.ID))
	})
	actions := map[int64][]Action{}
	for _, a := range snap.Actions {
		if !a.Removed {
			actions[a.Statement] = append(actions[a.Statement], Action{ID: a.ID, Text: a.Text, Owners: append([]string{}, a.Owners...)})
		}
	}
	for _, s := range ordered {
		st := Statement{ID: s.ID, Position: s.Position, Status: "open", Text: s.Current().Text, Revision: s.Current().N,
			Actions: []Action{}, RevisedAfter: []Revision{}, Revisions: len(s.Revisions)}
		if name, ok := names[s.Theme]; ok && s.Theme != 0 {
			st.Theme = &ThemeRef{ID: s.Theme, Name: name}
		}
		if s.Recorded() {
			st.Status = string(s.Outcome)
			rev := s.AgreedRevision()
			at := s.RecordedAt.UTC()
			st.RecordedRevision, st.RecordedText, st.RecordedAt = rev.N, rev.Text, &at
			if s.RecordedCheck >= 1 && int(s.RecordedCheck) <= len(snap.Checks) {
				st.Agreement = agreement(snap, snap.Checks[s.RecordedCheck-1])
			}
			for _, rv := range s.Revisions[rev.N:] {
				st.RevisedAfter = append(st.RevisedAfter, Revision{N: rv.N, Text: rv.Text, Reason: rv.Reason, At: rv.At.UTC()})
			}
		}
		if s.Outcome == session.Agreed {
			st.Actions = append(st.Actions, actions[s.ID]...)
		}
		r.Statements = append(r.Statements, st)
	}
	for _, f := range snap.Feedback {
		r.Feedback = append(r.Feedback, Feedback{ID: f.ID, Statement: f.Statement, Step: f.Step, Revision: f.Revision, Text: f.Text, At: f.At.UTC()})
	}
}

func agreement(snap *session.Snapshot, c *session.Check) *Agreement {
	a := &Agreement{Check: c.ID, Revision: c.Revision, Responded: c.Responded(), Blocked: c.Blocks() > 0, Levels: []Level{}, BySector: []SectorLevel{}}
	for i, n := range c.Counts {
		a.Levels = append(a.Levels, Level{Level: i + 1, Label: c.Scale.Label(i + 1), Count: n, Block: i+1 == c.Scale.Blocking})
	}
	idx := map[string]int{}
	var by []SectorLevel
	for _, s := range append(slices.Clone(snap.Forum.Sectors), "") {
		idx[s] = len(by)
		by = append(by, SectorLevel{Sector: s, Counts: make([]int, len(c.Scale.Labels))})
	}
	for id, l := range c.Levels {
		sector := ""
		if p, ok := snap.Participant(id); ok {
			sector = p.Sector
		}
		i, ok := idx[sector]
		if !ok {
			i = idx[""]
		}
		by[i].Responded++
		if l >= 1 && l <= len(by[i].Counts) {
			by[i].Counts[l-1]++
		}
	}
	for _, s := range by {
		if s.Responded > 0 {
			a.BySector = append(a.BySector, s)
		}
	}
	return a
}

// agreementLine says how the room responded, level by level.
func agreementLine(a *Agreement) string {
	var parts []string
	for _, l := range a.Levels {
		if l.Count > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", l.Count, inline(l.Label)))
		}
	}
	line := fmt.Sprintf("%d responded", a.Responded)
	if len(parts) > 0 {
		line += ": " + strings.Join(parts, ", ")
	}
	if a.Blocked {
		line += " (blocked)"
	}
	return line
}

func countStatements(r *Report) (agreed, notAgreed, open int) {
	for _, s := range r.Statements {
		switch s.Status {
		case string(session.Agreed):
			agreed++
		case string(session.NotAgreed):
			notAgreed++
		default:
			open++
		}
	}
	return
}

func deliberationStepSection(r *Report, s *Step, w *mdWriter) bool {
	if len(r.Statements) == 0 || s.StartedAt == nil {
		return false
	}
	agreed, notAgreed, open := countStatements(r)
	line := fmt.Sprintf("%s worked on: %d agreed, %d not agreed", session.Count(len(r.Statements), "statement was", "statements were"), agreed, notAgreed)
	if open > 0 {
		line += fmt.Sprintf(", %d not recorded", open)
	}
	w.line(line + ". They are set out under “Agreed statements” and “Statements not agreed” below.")
	w.blank()
	return true
}

func feedbackStepSection(r *Report, s *Step, w *mdWriter) bool {
	if s.StartedAt == nil {
		return false
	}
	n, revised := 0, 0
	for _, f := range r.Feedback {
		if f.Step == s.Number {
			n++
		}
	}
	for _, st := range r.Statements {
		revised += len(st.RevisedAfter)
	}
	w.line(fmt.Sprintf("The agreed statements were shown as a draft report: %s received, %s made in response. See “Feedback received” below.",
		session.Count(n, "comment", "comments"), session.Count(revised, "revision", "revisions")))
	w.blank()
	return true
}

// statementGroups groups statements of one status under their themes.
func statementGroups(r *Report, status string, draw func(s Statement)) bool {
	group, any := "-", false
	for _, s := range r.Statements {
		if s.Status != status {
			continue
		}
		g := "No theme"
		if s.Theme != nil {
			g = inline(s.Theme.Name)
		}
		if g != group {
			group = g
			any = true
			draw(Statement{ID: -1, Text: g})
		}
		draw(s)
	}
	return any
}

func agreedSection(r *Report, w *mdWriter) {
	agreed, _, _ := countStatements(r)
	if agreed == 0 {
		return
	}
	w.heading(2, "Agreed statements")
	statementGroups(r, string(session.Agreed), func(s Statement) {
		if s.ID == -1 {
			w.heading(3, s.Text)
			return
		}
		w.line(fmt.Sprintf("**%d.** %s", s.ID, inline(s.Text)))
		w.blank()
		if s.Agreement != nil {
			w.line(fmt.Sprintf("_Agreed at revision %d (check %d): %s._", s.RecordedRevision, s.Agreement.Check, agreementLine(s.Agreement)))
		} else {
			w.line(fmt.Sprintf("_Agreed at revision %d._", s.RecordedRevision))
		}
		if n := len(s.RevisedAfter); n > 0 {
			w.blank()
			w.line(fmt.Sprintf("_Revised after the forum, reason: %s. The wording agreed was:_ %s", inline(s.RevisedAfter[n-1].Reason), inline(s.RecordedText)))
		}
		w.blank()
		if len(s.Actions) > 0 {
			w.line("| Action | Who can take it |")
			w.line("| --- | --- |")
			for _, a := range s.Actions {
				owners := make([]string, len(a.Owners))
				for i, o := range a.Owners {
					owners[i] = cell(o)
				}
				w.line(fmt.Sprintf("| %s | %s |", cell(a.Text), strings.Join(owners, ", ")))
			}
			w.blank()
		}
	})
}

func notAgreedSection(r *Report, w *mdWriter) {
	_, notAgreed, open := countStatements(r)
	if notAgreed+open == 0 {
		return
	}
	w.heading(2, "Statements not agreed")
	for _, status := range []string{string(session.NotAgreed), "open"} {
		statementGroups(r, status, func(s Statement) {
			if s.ID == -1 {
				return
			}
			theme := ""
			if s.Theme != nil {
				theme = " — " + inline(s.Theme.Name)
			}
			note := "not agreed"
			if status == "open" {
				note = "still a draft: never recorded"
			} else if s.Agreement != nil {
				note += "; " + agreementLine(s.Agreement)
			}
			w.line(fmt.Sprintf("- **%d.** %s _(%s%s)_", s.ID, inline(s.Text), note, theme))
		})
	}
	w.blank()
}

func feedbackSection(r *Report, w *mdWriter) {
	byStatement := map[int64][]Feedback{}
	for _, f := range r.Feedback {
		byStatement[f.Statement] = append(byStatement[f.Statement], f)
	}
	revised := false
	for _, s := range r.Statements {
		revised = revised || len(s.RevisedAfter) > 0
	}
	if len(r.Feedback) == 0 && !revised {
		return
	}
	w.heading(2, "Feedback received")
	for _, s := range r.Statements {
		fs := byStatement[s.ID]
		if len(fs) == 0 && len(s.RevisedAfter) == 0 {
			continue
		}
		w.heading(3, fmt.Sprintf("On statement %d", s.ID))
		w.line("> " + inline(s.RecordedText))
		w.blank()
		for _, f := range fs {
			w.line(fmt.Sprintf("- %s _(#%d, on revision %d)_", inline(f.Text), f.ID, f.Revision))
		}
		for _, rv := range s.RevisedAfter {
			w.line(fmt.Sprintf("- **Revised in response** (revision %d), reason: %s. New wording: %s", rv.N, inline(rv.Reason), inline(rv.Text)))
		}
		w.blank()
	}
}

func statementsTable(r *Report) [][]string {
	rows := [][]string{{"statement_id", "theme_id", "theme", "position", "status", "revision", "text", "recorded_revision", "recorded_text",
		"check_id", "responded", "levels", "blocked", "actions", "revised_after_reason"}}
	for _, s := range r.Statements {
		themeID, theme := "", ""
		if s.Theme != nil {
			themeID, theme = itoa(s.Theme.ID), s.Theme.Name
		}
		check, responded, levels, blocked := "", "", "", ""
		if a := s.Agreement; a != nil {
			var parts []string
			for _, l := range a.Levels {
				parts = append(parts, fmt.Sprintf("%s: %d", l.Label, l.Count))
			}
			check, responded, levels, blocked = itoa(a.Check), strconv.Itoa(a.Responded), strings.Join(parts, "; "), strconv.FormatBool(a.Blocked)
		}
		reason := ""
		if n := len(s.RevisedAfter); n > 0 {
			reason = s.RevisedAfter[n-1].Reason
		}
		rows = append(rows, []string{itoa(s.ID), themeID, theme, strconv.Itoa(s.Position), s.Status, strconv.Itoa(s.Revision), s.Text,
			strconv.Itoa(s.RecordedRevision), s.RecordedText, check, responded, levels, blocked, strconv.Itoa(len(s.Actions)), reason})
	}
	return rows
}

func actionsTable(r *Report) [][]string {
	rows := [][]string{{"statement_id", "action_id", "text", "owners"}}
	for _, s := range r.Statements {
		for _, a := range s.Actions {
			rows = append(rows, []string{itoa(s.ID), itoa(a.ID), a.Text, strings.Join(a.Owners, "; ")})
		}
	}
	return rows
}

func feedbackTable(r *Report) [][]string {
	rows := [][]string{{"feedback_id", "statement_id", "step", "revision", "text", "at"}}
	for _, f := range r.Feedback {
		rows = append(rows, []string{itoa(f.ID), itoa(f.Statement), strconv.Itoa(f.Step), strconv.Itoa(f.Revision), f.Text, f.At.Format(time.RFC3339)})
	}
	return rows
}
