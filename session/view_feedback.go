package session

import "time"

// Views of the feedback phase: the draft report and the feedback on it.

// DraftStatement is an agreed statement as the draft report shows it:
// `feedback --json`. The statement (its wording now, the wording recorded
// as agreed, the revisions since with their reasons) and the feedback on
// it, oldest first.
type DraftStatement struct {
	StatementView
	Feedback []FeedbackView `json:"feedback"`
}

// FeedbackView is a comment on a statement in the draft report. Screens
// name who gave it; the report never does.
type FeedbackView struct {
	ID        int64     `json:"id"`
	Statement int64     `json:"statement"`
	Step      int       `json:"step"`
	Revision  int       `json:"revision"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
	Mine      bool      `json:"mine,omitempty"`

	author string
}

// Feedback lists every comment on the draft report, oldest first.
func (v *View) Feedback() []*FeedbackView {
	return v.shared.feedback.get(func() []*FeedbackView {
		out := make([]*FeedbackView, len(v.snap.Feedback))
		for i, f := range v.snap.Feedback {
			out[i] = &FeedbackView{ID: f.ID, Statement: f.Statement, Step: f.Step, Revision: f.Revision,
				Author: v.name(f.Author), Text: f.Text, At: f.At.UTC(), author: f.Author}
		}
		return out
	})
}

// Draft lists the statements recorded as agreed, as the draft report
// shows them: by theme, in order, each with its feedback.
func (v *View) Draft() []*DraftStatement {
	return v.shared.draft.get(func() []*DraftStatement {
		by := map[int64][]FeedbackView{}
		for _, f := range v.Feedback() {
			by[f.Statement] = append(by[f.Statement], *f)
		}
		out := []*DraftStatement{}
		for _, s := range v.Statements() {
			if s.Status != string(Agreed) {
				continue
			}
			d := &DraftStatement{StatementView: *s, Feedback: by[s.ID]}
			if d.Feedback == nil {
				d.Feedback = []FeedbackView{}
			}
			out = append(out, d)
		}
		return out
	})
}

// DraftStatement is a statement of the draft as the viewer sees it: their
// own level on its check, and which feedback is theirs.
func (v *View) DraftStatement(d *DraftStatement) DraftStatement {
	out := DraftStatement{StatementView: v.Statement(&d.StatementView), Feedback: make([]FeedbackView, len(d.Feedback))}
	for i, f := range d.Feedback {
		f.Mine = v.viewer != "" && f.author == v.viewer
		out.Feedback[i] = f
	}
	return out
}
