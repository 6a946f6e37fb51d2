package session

import (
	"cmp"
	"slices"
	"time"
)

// Views of the dialogue phase: cards, themes and hands.

// CardView is a card as a viewer may see it: names, never keys; no name at
// all on an anonymous card, nor the name of anyone credited only through
// an anonymous card merged into it; no names in the report.
type CardView struct {
	ID        int64      `json:"id"`
	Step      int        `json:"step"`
	Text      string     `json:"text"`
	Author    string     `json:"author"`
	Credits   []string   `json:"credits"`
	Anonymous bool       `json:"anonymous"`
	Mine      bool       `json:"mine"`
	Theme     *ThemeRef  `json:"theme"`
	Parked    bool       `json:"parked"`
	Status    CardStatus `json:"status"`
	// Reason is why a hidden card was hidden (facilitators only).
	Reason string `json:"reason,omitempty"`
	// People counts everyone the card credits: its author and the authors
	// of the cards merged into it, named or not.
	People int `json:"people"`
	// MergedFrom lists the cards merged into it.
	MergedFrom []int64   `json:"merged_from"`
	CreatedAt  time.Time `json:"created_at"`
	Edited     bool      `json:"edited"`
	// Table is the table it was written at, on a step of tables (null:
	// for the whole room); BroughtBack marks it brought back to the
	// plenary by the table's reporter.
	Table       *TableRef `json:"table"`
	BroughtBack bool      `json:"brought_back"`

	card  *Card
	names int64
}

// Stamp is the same for two views of the card that draw alike: the card
// unchanged and nobody renamed.
func (c *CardView) Stamp() Stamp { return Stamp{card: c.card, names: c.names} }

// ThemeRef names a theme.
type ThemeRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ThemeView is a theme with how many cards it gathers (shown ones, not
// parked, of every step).
type ThemeView struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
	Agreed   bool   `json:"agreed"`
	Cards    int    `json:"cards"`
}

// HandView is a raised hand in the queue to speak.
type HandView struct {
	Position int       `json:"position"`
	Name     string    `json:"name"`
	RaisedAt time.Time `json:"raised_at"`
	// WaitingSeconds and Mine are the viewer's: see View.Hand.
	WaitingSeconds int  `json:"waiting_seconds"`
	Mine           bool `json:"mine"`

	id string
}

// cardIndex is every card an audience may see.
type cardIndex struct {
	byID   map[int64]*CardView
	steps  map[int][]*CardView // shown cards, in the order screens show them
	hidden map[int][]*CardView // hidden cards, for facilitators
}

func (v *View) cards() *cardIndex {
	return v.shared.cards.get(func() *cardIndex {
		s := v.snap
		idx := &cardIndex{byID: map[int64]*CardView{}, steps: map[int][]*CardView{}, hidden: map[int][]*CardView{}}
		merged := map[int64][]*Card{}
		for _, c := range s.Cards {
			if c.Status == CardMerged && c.MergedInto != 0 {
				merged[c.MergedInto] = append(merged[c.MergedInto], c)
			}
		}
		themes := map[int64]*ThemeRef{}
		for _, t := range s.Themes {
			themes[t.ID] = &ThemeRef{ID: t.ID, Name: t.Name}
		}
		tables := make([]TableRef, len(s.Tables))
		for i, t := range s.Tables {
			tables[i] = TableRef{ID: t.ID, Name: t.Name}
		}
		for _, c := range s.Cards {
			switch {
			case c.Shown():
			case c.Status == CardHidden && v.Facilitator():
			default:
				continue // withdrawn and merged away: nobody's
			}
			cv := &CardView{
				ID: c.ID, Step: c.Step, Text: c.Text, Anonymous: c.Anonymous, Parked: c.Parked, Status: c.Status,
				People: len(c.Credits), MergedFrom: []int64{}, CreatedAt: c.CreatedAt.UTC(), Edited: !c.EditedAt.IsZero(),
				Credits: []string{}, card: c, names: s.NamesSeq,
			}
			if c.Status == CardHidden {
				cv.Reason = c.Reason
			}
			if c.Theme != 0 {
				cv.Theme = themes[c.Theme]
			}
			if c.Table != 0 {
				cv.Table, cv.BroughtBack = &tables[c.Table-1], c.Brought
			}
			for _, m := range merged[c.ID] {
				cv.MergedFrom = append(cv.MergedFrom, m.ID)
			}
			if !c.Anonymous && v.namesPeople() {
				cv.Author = nameIn(s, c.Author)
				named := namedAuthors(c, merged)
				for _, id := range c.Credits {
					if named[id] {
						cv.Credits = append(cv.Credits, nameIn(s, id))
					}
				}
			}
			idx.byID[c.ID] = cv
			if c.Shown() {
				idx.steps[c.Step] = append(idx.steps[c.Step], cv)
			} else {
				idx.hidden[c.Step] = append(idx.hidden[c.Step], cv)
			}
		}
		pos := map[int64]int{}
		for i, t := range s.Themes {
			pos[t.ID] = i
		}
		rank := func(c *CardView) int {
			switch {
			case c.Parked:
				return len(s.Themes) + 1
			case c.Theme == nil:
				return len(s.Themes)
			}
			return pos[c.Theme.ID]
		}
		for _, cards := range idx.steps {
			// Stable: within a group, cards keep the order they were posted in.
			slices.SortStableFunc(cards, func(x, y *CardView) int { return cmp.Compare(rank(x), rank(y)) })
		}
		return idx
	})
}

// namedAuthors is who may be named as credited on card c: the authors of
// the cards, c and those merged into it (and into them), that were not
// posted anonymously. Someone credited only through an anonymous card
// stays unnamed.
func namedAuthors(c *Card, merged map[int64][]*Card) map[string]bool {
	named := map[string]bool{}
	var walk func(c *Card)
	walk = func(c *Card) {
		if !c.Anonymous {
			named[c.Author] = true
		}
		for _, m := range merged[c.ID] {
			walk(m)
		}
	}
	walk(c)
	return named
}

// StepCards lists the cards shown on a step, as screens show them: by
// theme in the themes' order, then those with no theme, then the parking
// lot; within each, in the order posted. Hidden, withdrawn and merged-away
// cards are not among them. On a step of tables a participant's are
// those of the tables they sat at, and those written for the whole room
// (view_tables.go).
func (v *View) StepCards(step int) []*CardView {
	if v.shared.audience != ForParticipant || !v.Tabled(step) {
		return v.cards().steps[step]
	}
	return v.cardsAt(step, v.tables().memberOf[v.viewer])
}

// HiddenCards lists a step's hidden cards, with the reason each was
// hidden: for a facilitator only (nil for anyone else).
func (v *View) HiddenCards(step int) []*CardView { return v.cards().hidden[step] }

// FindCard finds a card the viewer may see by its number.
func (v *View) FindCard(id int64) (*CardView, bool) {
	c, ok := v.cards().byID[id]
	return c, ok
}

// Mine tells whether the viewer wrote the card (anonymous or not).
func (v *View) Mine(c *CardView) bool { return v.viewer != "" && c.card.Author == v.viewer }

// Card is a card as the viewer sees it, with Mine set.
func (v *View) Card(c *CardView) CardView {
	out := *c
	out.Mine = v.Mine(c)
	return out
}

// Themes lists the forum's themes in order.
func (v *View) Themes() []ThemeView {
	return v.shared.themes.get(func() []ThemeView {
		out := []ThemeView{}
		n := map[int64]int{}
		for _, c := range v.snap.Cards {
			if c.Shown() && !c.Parked {
				n[c.Theme]++
			}
		}
		for _, t := range v.snap.Themes {
			out = append(out, ThemeView{ID: t.ID, Name: t.Name, Position: t.Position, Agreed: t.Agreed, Cards: n[t.ID]})
		}
		return out
	})
}

// FindTheme finds a theme by its number.
func (v *View) FindTheme(id int64) (ThemeView, bool) {
	for _, t := range v.Themes() {
		if t.ID == id {
			return t, true
		}
	}
	return ThemeView{}, false
}

// Hands is the queue to speak, in order: the room's, or on a step of
// tables the queue of the viewer's table; none where the view names
// nobody.
func (v *View) Hands() []*HandView { return v.TableHands(v.atTable()) }

// Hand is a raised hand as the viewer sees it at now: how long it has
// waited, and whether it is theirs.
func (v *View) Hand(h *HandView, now time.Time) HandView {
	out := *h
	out.WaitingSeconds = int(now.Sub(h.RaisedAt) / time.Second)
	out.Mine = v.viewer != "" && h.id == v.viewer
	return out
}

// MyHand is the viewer's place in the queue to speak; 0 when their hand
// is down.
func (v *View) MyHand() int {
	for _, h := range v.Hands() {
		if v.viewer != "" && h.id == v.viewer {
			return h.Position
		}
	}
	return 0
}

// Speaker is the name of the person last called to speak, by the room or
// on a step of tables by the viewer's table; "" if none.
func (v *View) Speaker() string {
	if v.speaker() == "" || !v.namesPeople() {
		return ""
	}
	return nameIn(v.snap, v.speaker())
}

func (v *View) speaker() string {
	if t := v.atTable(); t != 0 {
		return v.snap.Tables[t-1].Speaker
	}
	return v.snap.Speaker
}

// HasFloor tells whether the viewer is the person last called to speak.
func (v *View) HasFloor() bool { return v.viewer != "" && v.speaker() == v.viewer }
