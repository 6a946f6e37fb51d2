package session_test

import (
	"testing"

	"moot/session"
)

// feedbackHub is a hub on its feedback step (4) with statement 1 agreed
// (with an action) and statement 2 not agreed.
func feedbackHub(t *testing.T) (*session.Hub, func() *session.Hub) {
	h, reopen := deliberationHub(t)
	do(t, h, facilitator, session.ProposeStatement{Text: "The council should meet at varied times"})
	do(t, h, facilitator, session.OpenCheck{Statement: 1})
	do(t, h, ada, session.Agree{Statement: 1, Level: 1})
	do(t, h, bob, session.Agree{Statement: 1, Level: 2})
	do(t, h, facilitator, session.RecordStatement{Statement: 1, Outcome: session.Agreed})
	do(t, h, facilitator, session.AddAction{Statement: 1, Text: "Publish a timetable", Owners: []string{"Council"}})
	do(t, h, facilitator, session.ProposeStatement{Text: "Abolish meetings"})
	do(t, h, facilitator, session.RecordStatement{Statement: 2, Outcome: session.NotAgreed})
	return h, reopen
}

func TestFeedbackAndRevisionSurviveRestart(t *testing.T) {
	h, reopen := feedbackHub(t)
	refused(t, h, ada, session.GiveFeedback{Statement: 1, Text: "Too early"}, "during a feedback step")
	do(t, h, facilitator, session.GoToStep{To: 4})
	do(t, h, ada, session.GiveFeedback{Statement: 1, Text: "Say which times: evenings \x1b[31mand weekends"})
	refused(t, h, ada, session.GiveFeedback{Statement: 2, Text: "Why not?"}, "not in the draft report")
	refused(t, h, ada, session.GiveFeedback{Statement: 1, Text: "   "}, "cannot be empty")
	refused(t, h, ada, session.ReviseStatement{Statement: 1, Text: "x", Reason: "y"}, "only a facilitator")
	refused(t, h, facilitator, session.ReviseStatement{Statement: 1, Text: "The council should meet in evenings and at weekends"}, "say why")
	refused(t, h, facilitator, session.ReviseStatement{Statement: 1, Text: "The council should meet at varied times", Reason: "r"}, "already has")
	do(t, h, facilitator, session.ReviseStatement{Statement: 1, Text: "The council should meet in evenings and at weekends", Reason: "Feedback #1 asked which times"})
	do(t, h, bob, session.SetCredit{On: true})
	do(t, h, bob, session.Register{Name: "Bobby", Sector: "Local government"}) // renaming keeps the credit

	for i, h := range []*session.Hub{h, reopen()} {
		snap := h.Snapshot()
		s := snap.Statements[0]
		if s.Outcome != session.Agreed || s.RecordedRevision != 1 || s.RecordedCheck != 1 || len(s.Revisions) != 2 ||
			!s.RevisedAfterAgreement() || s.AgreedRevision().N != 1 {
			t.Fatalf("%d: statement: %+v", i, s)
		}
		if r := s.Current(); r.Reason != "Feedback #1 asked which times" || r.Author != facilitator || r.N != 2 {
			t.Fatalf("%d: revision: %+v", i, r)
		}
		if len(snap.Feedback) != 1 || snap.Feedback[0].Text != "Say which times: evenings and weekends" ||
			snap.Feedback[0].Revision != 1 || snap.Feedback[0].Step != 4 || snap.Feedback[0].Author != ada {
			t.Fatalf("%d: feedback: %+v", i, snap.Feedback)
		}
		if p, _ := snap.Participant(bob); !p.Credit || p.Name != "Bobby" {
			t.Fatalf("%d: bob: %+v", i, p)
		}
		if p, _ := snap.Participant(ada); p.Credit {
			t.Fatalf("%d: ada is credited without asking", i)
		}
	}
}
