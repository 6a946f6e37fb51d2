package report

import (
	"fmt"
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

func buildDeliberation(r *Report, src source) {
	for _, s := range src.view.Statements() {
		r.Statements = append(r.Statements, *s)
	}
	for _, f := range src.view.Feedback() {
		r.Feedback = append(r.Feedback, *f)
	}
}

// agreementLine says how the room responded, level by level.
func agreementLine(a *session.CheckView) string {
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
	if a.Withheld != "" {
		line += "; " + inline(strings.ToLower(a.Withheld[:1])+strings.TrimSuffix(a.Withheld[1:], "."))
	}
	return line
}

func countStatements(r *Report) (agreed, notAgreed, open int) {
	for _, s := range r.Statements {
		switch s.Status {
		case "agreed":
			agreed++
		case "not-agreed":
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
func statementGroups(r *Report, status string, draw func(s session.StatementView)) bool {
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
			draw(session.StatementView{ID: -1, Text: g})
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
	statementGroups(r, "agreed", func(s session.StatementView) {
		if s.ID == -1 {
			w.heading(3, s.Text)
			return
		}
		w.line(fmt.Sprintf("**%d.** %s", s.ID, inline(s.Text)))
		w.blank()
		if s.Result != nil {
			w.line(fmt.Sprintf("_Agreed at revision %d (check %d): %s._", s.RecordedRevision, s.Result.ID, agreementLine(s.Result)))
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
	for _, status := range []string{"not-agreed", "open"} {
		statementGroups(r, status, func(s session.StatementView) {
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
			} else if s.Result != nil {
				note += "; " + agreementLine(s.Result)
			}
			w.line(fmt.Sprintf("- **%d.** %s _(%s%s)_", s.ID, inline(s.Text), note, theme))
		})
	}
	w.blank()
}

func feedbackSection(r *Report, w *mdWriter) {
	byStatement := map[int64][]session.FeedbackView{}
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
		if a := s.Result; a != nil {
			var parts []string
			for _, l := range a.Levels {
				parts = append(parts, fmt.Sprintf("%s: %d", l.Label, l.Count))
			}
			check, responded, levels, blocked = itoa(a.ID), strconv.Itoa(a.Responded), strings.Join(parts, "; "), strconv.FormatBool(a.Blocked)
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
		if s.Status != "agreed" {
			continue
		}
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
