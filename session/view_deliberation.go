package session

import (
	"cmp"
	"slices"
	"time"

	"moot/session/catalogue"
)

// Views of the deliberation phase: statements, their history and their
// checks of agreement.

// StatementView is a statement as a viewer may see it.
type StatementView struct {
	ID       int64     `json:"id"`
	Theme    *ThemeRef `json:"theme"`
	Position int       `json:"position"`
	// Text and Revision are its wording now; RevisionAuthor wrote it.
	Text           string `json:"text"`
	Revision       int    `json:"revision"`
	RevisionAuthor string `json:"revision_author"`
	Proposer       string `json:"proposer"`
	Status         string `json:"status"` // open, agreed, not-agreed
	// Check is the check open on it, Result the check recorded with it.
	Check  *CheckView `json:"check"`
	Result *CheckView `json:"result"`
	// The wording recorded (agreed or not), when and by whom; 0, "" and
	// null for a statement not recorded.
	RecordedRevision int             `json:"recorded_revision"`
	RecordedText     string          `json:"recorded_text"`
	RecordedAt       *time.Time      `json:"recorded_at"`
	RecordedBy       string          `json:"recorded_by,omitempty"`
	Actions          []ActionView    `json:"actions"`
	Pending          []AmendmentView `json:"pending_amendments"`
	Comments         int             `json:"comments"`
	// RevisedAfter are the revisions made after it was recorded, on a
	// feedback step, each with its reason and what changed.
	RevisedAfter []RevisionView `json:"revised_after"`
}

// StatementStatus names where a statement stands: open, agreed or
// not-agreed.
func StatementStatus(o Outcome) string {
	if o == Open {
		return "open"
	}
	return string(o)
}

// StatementDetail is a statement with its whole history: `statement ID
// --json`.
type StatementDetail struct {
	StatementView
	Revisions  []RevisionView  `json:"revisions"`
	Amendments []AmendmentView `json:"amendments"`
	Comments   []CommentView   `json:"comments"`
	Checks     []CheckView     `json:"checks"`
	// AmendedBy counts the people whose amendments became revisions of
	// it: the report says how many reworded a statement even where it
	// names none of them.
	AmendedBy int `json:"amended_by"`
}

// RevisionView is one wording of a statement, with what changed from the
// one before.
type RevisionView struct {
	N          int        `json:"n"`
	Text       string     `json:"text"`
	Author     string     `json:"author"`
	At         time.Time  `json:"at"`
	Amendment  int64      `json:"amendment,omitempty"`
	AcceptedBy string     `json:"accepted_by,omitempty"`
	Changes    []DiffPart `json:"changes,omitempty"`
	// Reason is why a facilitator revised an agreed statement on a
	// feedback step; such a revision has no amendment.
	Reason string `json:"reason,omitempty"`
}

// How says where a revision came from.
func (r RevisionView) How() string { return r.HowText().String() }

// HowText is How as a message of the catalogue. A name is left out where
// the viewer may not see it.
func (r RevisionView) HowText() catalogue.Text {
	switch {
	case r.Reason != "" && r.Author != "":
		return catalogue.Msg("session.revision.revised_by", r.Author, r.Reason)
	case r.Reason != "":
		return catalogue.Msg("session.revision.revised", r.Reason)
	case r.Amendment != 0 && r.Author != "" && r.AcceptedBy != "":
		return catalogue.Msg("session.revision.amendment_by_by", r.Amendment, r.Author, r.AcceptedBy)
	case r.Amendment != 0 && r.Author != "":
		return catalogue.Msg("session.revision.amendment_by", r.Amendment, r.Author)
	case r.Amendment != 0 && r.AcceptedBy != "":
		return catalogue.Msg("session.revision.amendment_accepted_by", r.Amendment, r.AcceptedBy)
	case r.Amendment != 0:
		return catalogue.Msg("session.revision.amendment", r.Amendment)
	case r.Author != "":
		return catalogue.Msg("session.revision.proposed_by", r.Author)
	}
	return catalogue.Msg("session.revision.proposed")
}

// AmendmentView is proposed new wording: accepted as a revision, closed
// (Superseded) when its statement was recorded without it, or waiting.
type AmendmentView struct {
	ID         int64     `json:"id"`
	Base       int       `json:"base"`
	Text       string    `json:"text"`
	Author     string    `json:"author"`
	At         time.Time `json:"at"`
	Accepted   int       `json:"accepted,omitempty"`
	Superseded bool      `json:"superseded,omitempty"`
}

// CommentView is a comment on a statement.
type CommentView struct {
	ID       int64     `json:"id"`
	Revision int       `json:"revision"`
	Author   string    `json:"author"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
}

// ActionView is an action a statement calls for, and who can take it.
type ActionView struct {
	ID     int64    `json:"id"`
	Text   string   `json:"text"`
	Owners []string `json:"owners"`
}

// CheckView is a check of agreement as a viewer may see it. While it is
// open, only a facilitator (or everyone, where the forum shows the
// distribution) sees how responses spread and whether anyone blocked; who
// blocked only a facilitator, ever. The spread and its breakdown by sector
// follow the small-group rule; Withheld says why anything is left out.
type CheckView struct {
	ID        int64      `json:"id"`
	Revision  int        `json:"revision"`
	Open      bool       `json:"open"`
	OpenedAt  time.Time  `json:"opened_at"`
	ClosedAt  *time.Time `json:"closed_at"`
	Responded int        `json:"responded"`
	// Mine is the viewer's own level (absent if none).
	Mine     int          `json:"mine,omitempty"`
	Levels   []LevelCount `json:"levels,omitempty"`
	Blocked  bool         `json:"blocked"`
	Blockers []string     `json:"blockers,omitempty"`
	// BySector breaks the spread down by the respondents' sectors, under
	// the small-group rule; BySectorNote says what was counted together.
	BySector     []SectorCount `json:"by_sector,omitempty"`
	BySectorNote string        `json:"by_sector_note,omitempty"`
	// BySectorWhy is BySectorNote as a message of the catalogue.
	BySectorWhy catalogue.Text `json:"-"`
	Withheld    string         `json:"withheld,omitempty"`
	// Why is Withheld as a message of the catalogue, for a reader in
	// another language.
	Why catalogue.Text `json:"-"`

	scale Scale
	check *Check
}

// Scale is the scale the check was opened with.
func (c *CheckView) Scale() Scale { return c.scale }

// LevelCount is how many chose one level of the scale.
type LevelCount struct {
	Level int    `json:"level"`
	Label string `json:"label"`
	Count int    `json:"count"`
	Block bool   `json:"block,omitempty"`
}

// SectorCount is how one sector responded ("" for people who gave none),
// or several counted together as OtherSectors (Pooled lists them):
// Counts[i] chose level i+1.
type SectorCount struct {
	Sector    string   `json:"sector"`
	Pooled    []string `json:"pooled,omitempty"`
	Responded int      `json:"responded"`
	Counts    []int    `json:"counts"`
	Blocked   bool     `json:"blocked"`
}

// statementIndex is every statement and check as an audience sees them.
type statementIndex struct {
	ordered []*StatementView
	byID    []*StatementView // element i has ID i+1
	checks  []*CheckView     // element i has ID i+1
}

func (v *View) statementIndex() *statementIndex {
	return v.shared.statements.get(func() *statementIndex {
		s := v.snap
		idx := &statementIndex{byID: make([]*StatementView, len(s.Statements)), checks: make([]*CheckView, len(s.Checks))}
		for i, c := range s.Checks {
			idx.checks[i] = v.buildCheck(c)
		}
		themes := map[int64]*ThemeRef{}
		for _, t := range s.Themes {
			themes[t.ID] = &ThemeRef{ID: t.ID, Name: t.Name}
		}
		actions := map[int64][]ActionView{}
		for _, a := range s.Actions {
			if !a.Removed {
				actions[a.Statement] = append(actions[a.Statement], ActionView{ID: a.ID, Text: a.Text, Owners: slices.Clone(a.Owners)})
			}
		}
		pending := map[int64][]AmendmentView{}
		for _, a := range s.Amendments {
			if a.Waiting() {
				pending[a.Statement] = append(pending[a.Statement], v.amendment(a))
			}
		}
		comments := map[int64]int{}
		for _, c := range s.Comments {
			comments[c.Statement]++
		}
		for i, st := range s.Statements {
			cur := st.Current()
			sv := &StatementView{ID: st.ID, Position: st.Position, Text: cur.Text, Revision: cur.N, RevisionAuthor: v.author(cur.Author),
				Proposer: v.author(st.Proposer), Status: StatementStatus(st.Outcome), Actions: []ActionView{}, Pending: []AmendmentView{},
				Comments: comments[st.ID], RevisedAfter: []RevisionView{}}
			if st.Theme != 0 {
				sv.Theme = themes[st.Theme]
			}
			if st.OpenCheck != 0 {
				sv.Check = idx.checks[st.OpenCheck-1]
			}
			if st.RecordedCheck != 0 {
				sv.Result = idx.checks[st.RecordedCheck-1]
			}
			if st.Recorded() {
				rev := st.AgreedRevision()
				at := st.RecordedAt.UTC()
				sv.RecordedRevision, sv.RecordedText, sv.RecordedAt, sv.RecordedBy = rev.N, rev.Text, &at, v.name(st.RecordedBy)
				for j := rev.N; j < len(st.Revisions); j++ {
					sv.RevisedAfter = append(sv.RevisedAfter, v.revision(st, j))
				}
			}
			// Actions belong to statements that hold.
			if st.Outcome != NotAgreed && actions[st.ID] != nil {
				sv.Actions = actions[st.ID]
			}
			if pending[st.ID] != nil {
				sv.Pending = pending[st.ID]
			}
			idx.byID[i] = sv
		}
		pos := map[int64]int{}
		for i, t := range s.Themes {
			pos[t.ID] = i
		}
		rank := func(sv *StatementView) int {
			if sv.Theme != nil {
				return pos[sv.Theme.ID]
			}
			return len(s.Themes)
		}
		idx.ordered = slices.Clone(idx.byID)
		slices.SortStableFunc(idx.ordered, func(x, y *StatementView) int {
			return cmp.Or(cmp.Compare(rank(x), rank(y)), cmp.Compare(x.Position, y.Position), cmp.Compare(x.ID, y.ID))
		})
		return idx
	})
}

// buildCheck applies the rules of who sees what of a check.
func (v *View) buildCheck(c *Check) *CheckView {
	cv := &CheckView{ID: c.ID, Revision: c.Revision, Open: c.Open(), OpenedAt: c.OpenedAt.UTC(), Responded: c.Responded(), scale: c.Scale, check: c}
	if !c.Open() {
		at := c.ClosedAt.UTC()
		cv.ClosedAt = &at
	}
	facilitator := v.Facilitator()
	if c.Open() && !facilitator && !v.snap.Forum.ShowDistribution {
		cv.Withheld, cv.Why = withheld("withheld.check.until_closed")
		return cv
	}
	// Whether anyone blocked is not a count: the room must know it to
	// record a statement as agreed, whatever the numbers.
	cv.Blocked = c.Blocks() > 0
	if facilitator {
		for id, l := range c.Levels {
			if l == c.Scale.Blocking {
				cv.Blockers = append(cv.Blockers, nameIn(v.snap, id))
			}
		}
		slices.Sort(cv.Blockers)
	}
	min := v.shared.min
	if n := c.Responded(); n > 0 && n < min {
		if c.Open() {
			cv.Withheld, cv.Why = withheld("withheld.check.too_few_yet", min)
		} else {
			cv.Withheld, cv.Why = withheld("withheld.check.too_few", min)
		}
		return cv
	}
	for i, n := range c.Counts {
		cv.Levels = append(cv.Levels, LevelCount{Level: i + 1, Label: c.Scale.Label(i + 1), Count: n, Block: i+1 == c.Scale.Blocking})
	}
	if facilitator || !c.Open() {
		groups := sectorGroups(v.snap.Forum.Sectors, len(c.Scale.Labels), c.Levels, v.snap.sectorOf, func(g *group, l int) {
			if l >= 1 && l <= len(g.counts) {
				g.counts[l-1]++
			}
			g.blocked = g.blocked || l == c.Scale.Blocking
		})
		shown, note := poolSmallGroups(groups, min, "session.count.people_responding")
		cv.BySectorNote, cv.BySectorWhy = english(note)
		for _, g := range shown {
			cv.BySector = append(cv.BySector, SectorCount{Sector: g.sector, Pooled: g.pooled, Responded: g.people, Counts: slices.Clone(g.counts), Blocked: g.blocked})
		}
	}
	return cv
}

func (v *View) amendment(a *Amendment) AmendmentView {
	return AmendmentView{ID: a.ID, Base: a.Base, Text: a.Text, Author: v.author(a.Author), At: a.At.UTC(), Accepted: a.Accepted, Superseded: a.Superseded}
}

// revision is revision i (0-based) of a statement, with what changed from
// the one before.
func (v *View) revision(st *Statement, i int) RevisionView {
	r := st.Revisions[i]
	rv := RevisionView{N: r.N, Text: r.Text, Author: v.author(r.Author), At: r.At.UTC(), Amendment: r.Amendment, Reason: r.Reason}
	if r.AcceptedBy != "" {
		rv.AcceptedBy = v.name(r.AcceptedBy)
	}
	if i > 0 {
		rv.Changes = DiffWords(st.Revisions[i-1].Text, r.Text)
	}
	return rv
}

// Statements lists the statements as screens show them: by theme in the
// themes' order, then those with no theme; by position within each.
func (v *View) Statements() []*StatementView { return v.statementIndex().ordered }

// FindStatement finds a statement by its number.
func (v *View) FindStatement(id int64) (*StatementView, bool) {
	idx := v.statementIndex()
	if id < 1 || int(id) > len(idx.byID) {
		return nil, false
	}
	return idx.byID[id-1], true
}

// FindCheck finds a check by its number.
func (v *View) FindCheck(id int64) (*CheckView, bool) {
	idx := v.statementIndex()
	if id < 1 || int(id) > len(idx.checks) {
		return nil, false
	}
	return idx.checks[id-1], true
}

// MyLevel is the viewer's own level on a check; 0 if they have given none.
func (v *View) MyLevel(c *CheckView) int {
	if v.viewer == "" {
		return 0
	}
	return c.check.Levels[v.viewer]
}

// Check is a check as the viewer sees it, with their own level.
func (v *View) Check(c *CheckView) CheckView {
	out := *c
	out.Mine = v.MyLevel(c)
	return out
}

func (v *View) checkPtr(c *CheckView) *CheckView {
	if c == nil || v.viewer == "" {
		return c
	}
	own := v.Check(c)
	return &own
}

// Statement is a statement as the viewer sees it, with their own levels.
func (v *View) Statement(s *StatementView) StatementView {
	out := *s
	out.Check, out.Result = v.checkPtr(s.Check), v.checkPtr(s.Result)
	return out
}

// Detail is a statement with its whole history, as the viewer sees it.
func (v *View) Detail(id int64) (StatementDetail, bool) {
	sv, ok := v.FindStatement(id)
	if !ok {
		return StatementDetail{}, false
	}
	sh := v.shared
	sh.mu.Lock()
	d := sh.details[id]
	sh.mu.Unlock()
	if d == nil {
		d = v.buildDetail(sv)
		sh.mu.Lock()
		sh.details[id] = d
		sh.mu.Unlock()
	}
	out := *d
	out.StatementView = v.Statement(sv)
	out.Checks = slices.Clone(d.Checks)
	for i := range out.Checks {
		out.Checks[i].Mine = v.MyLevel(&out.Checks[i])
	}
	return out, true
}

func (v *View) buildDetail(sv *StatementView) *StatementDetail {
	s := v.snap
	st := s.Statements[sv.ID-1]
	d := &StatementDetail{StatementView: *sv, Revisions: []RevisionView{}, Amendments: []AmendmentView{}, Comments: []CommentView{}, Checks: []CheckView{}}
	for i := range st.Revisions {
		d.Revisions = append(d.Revisions, v.revision(st, i))
	}
	amenders := map[string]bool{}
	for _, a := range s.Amendments {
		if a.Statement == st.ID {
			d.Amendments = append(d.Amendments, v.amendment(a))
			if a.Accepted != 0 {
				amenders[a.Author] = true
			}
		}
	}
	d.AmendedBy = len(amenders)
	for _, c := range s.Comments {
		if c.Statement == st.ID {
			d.Comments = append(d.Comments, CommentView{ID: c.ID, Revision: c.Revision, Author: v.name(c.Author), Text: c.Text, At: c.At.UTC()})
		}
	}
	idx := v.statementIndex()
	for _, c := range s.Checks {
		if c.Statement == st.ID {
			d.Checks = append(d.Checks, *idx.checks[c.ID-1])
		}
	}
	return d
}

// Proposed tells whether the viewer proposed the statement.
func (v *View) Proposed(s *StatementView) bool {
	return v.viewer != "" && s.ID >= 1 && int(s.ID) <= len(v.snap.Statements) && v.snap.Statements[s.ID-1].Proposer == v.viewer
}
