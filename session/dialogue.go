package session

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"moot/session/catalogue"
)

// Limits of the dialogue phase.
const (
	MaxCardLength   = 500
	MaxThemeLength  = 120
	MaxReasonLength = 200
	// CardBurst cards per CardWindow is the most one person may post.
	CardBurst  = 3
	CardWindow = 10 * time.Second
)

// CardStatus is where a card stands.
type CardStatus string

const (
	CardVisible   CardStatus = "visible"
	CardHidden    CardStatus = "hidden"    // by a facilitator, with a reason; can be restored
	CardWithdrawn CardStatus = "withdrawn" // by its author
	CardMerged    CardStatus = "merged"    // into another card, which credits its author
)

// Card is one point shared in a dialogue step: an experience, a piece of
// evidence, a barrier. Cards are never modified in place: a change puts a
// new *Card in the state, so a snapshot can share the old one safely.
type Card struct {
	ID   int64 `json:"id"`
	Step int   `json:"step"`
	// Author is the key fingerprint of who wrote it; Credits lists everyone
	// credited, the author first, then the authors of merged cards.
	Author    string     `json:"author"`
	Credits   []string   `json:"credits"`
	Text      string     `json:"text"`
	Anonymous bool       `json:"anonymous,omitempty"`
	Theme     int64      `json:"theme,omitempty"`
	Status    CardStatus `json:"status"`
	Parked    bool       `json:"parked,omitempty"`
	Reason    string     `json:"reason,omitempty"` // why it was hidden
	// MergedInto is the card that took this one's place.
	MergedInto int64     `json:"merged_into,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	EditedAt   time.Time `json:"edited_at,omitempty"`
	// Table is the table it was written at, on a step of tables (0: for
	// the whole room); Brought marks it brought back to the plenary by the
	// table's reporter (tables.go).
	Table   int64 `json:"table,omitempty"`
	Brought bool  `json:"brought,omitempty"`
}

// Shown tells whether the card appears on screens and in reports.
func (c *Card) Shown() bool { return c.Status == CardVisible }

// Theme groups cards. Themes belong to the forum, so a theme named in
// dialogue can gather cards from several steps and statements later.
type Theme struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
	Agreed   bool   `json:"agreed,omitempty"`
}

// Hand is a raised hand, waiting in the queue to speak: the room's, or
// on a step of tables the queue of the Table the person sits at.
type Hand struct {
	ID       string    `json:"id"`
	RaisedAt time.Time `json:"raised_at"`
	Table    int64     `json:"table,omitempty"`
}

// CardChanged: a card was added or changed. Change says how (added,
// edited, withdrawn, hidden, restored, parked, unparked, assigned, merged,
// brought, unbrought);
// Card is the card as it now stands.
type CardChanged struct {
	Change string `json:"change"`
	Card   Card   `json:"card"`
}

// ThemeChanged: a theme was added, renamed, moved or agreed; Theme is the
// theme as it now stands.
type ThemeChanged struct {
	Change string `json:"change"`
	Theme  Theme  `json:"theme"`
}

// HandRaised: someone asked to speak.
type HandRaised struct{ Hand }

// HandLowered: someone left the queue, by lowering their hand or by being
// called to speak (Called) by the room, or by their Table.
type HandLowered struct {
	ID     string `json:"id"`
	Called bool   `json:"called,omitempty"`
	Table  int64  `json:"table,omitempty"`
}

func (CardChanged) Kind() string  { return "card.changed" }
func (ThemeChanged) Kind() string { return "theme.changed" }
func (HandRaised) Kind() string   { return "hand.raised" }
func (HandLowered) Kind() string  { return "hand.lowered" }

func init() {
	registerEvent[CardChanged]()
	registerEvent[ThemeChanged]()
	registerEvent[HandRaised]()
	registerEvent[HandLowered]()
}

func (e CardChanged) apply(st *State) {
	c := e.Card
	if int(c.ID) == len(st.Cards)+1 {
		st.Cards = append(st.Cards, &c)
		st.posted[c.Author] = append(recentPosts(st.posted[c.Author], c.CreatedAt), c.CreatedAt)
		return
	}
	st.Cards[c.ID-1] = &c
}

func (e ThemeChanged) apply(st *State) {
	t := e.Theme
	for i, old := range st.Themes {
		if old.ID == t.ID {
			st.Themes[i] = &t
			sortThemes(st.Themes)
			return
		}
	}
	st.Themes = append(st.Themes, &t)
	sortThemes(st.Themes)
}

func (e HandRaised) apply(st *State) { st.Hands = append(st.Hands, e.Hand) }

func (e HandLowered) apply(st *State) {
	for i, h := range st.Hands {
		if h.ID == e.ID {
			st.Hands = append(st.Hands[:i:i], st.Hands[i+1:]...)
			break
		}
	}
	switch {
	case e.Called && e.Table != 0:
		t := *st.Tables[e.Table-1]
		t.Speaker = e.ID
		st.Tables[e.Table-1] = &t
	case e.Called:
		st.Speaker = e.ID
	}
}

func sortThemes(ts []*Theme) {
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Position < ts[j].Position })
}

// recentPosts keeps the times within the rate-limit window before now.
func recentPosts(times []time.Time, now time.Time) []time.Time {
	kept := times[:0:0]
	for _, t := range times {
		if now.Sub(t) < CardWindow {
			kept = append(kept, t)
		}
	}
	return kept
}

// dialogueStep checks that the forum is on a dialogue step, for commands
// that only make sense there.
func dialogueStep(st *State) error {
	if StageOf(st.Step, len(st.Forum.Steps)) != Running || st.Forum.Steps[st.Step-1].Phase != Dialogue {
		return catalogue.Err("session.card.off_step")
	}
	return nil
}

func (st *State) card(id int64) (*Card, error) {
	if id < 1 || int(id) > len(st.Cards) {
		return nil, catalogue.Err("session.card.no_such", id)
	}
	return st.Cards[id-1], nil
}

func (st *State) theme(id int64) (*Theme, error) {
	for _, t := range st.Themes {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, catalogue.Err("session.theme.no_such", id)
}

func cardText(s string) (string, error) {
	t := CleanText(s)
	if t == "" {
		return "", catalogue.Err("session.card.empty")
	}
	if n := utf8.RuneCountInString(t); n > MaxCardLength {
		return "", catalogue.Err("session.card.too_long", MaxCardLength, n)
	}
	return t, nil
}

// AddCard posts a card on the current dialogue step.
type AddCard struct {
	Text      string
	Anonymous bool
}

func (c AddCard) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if _, ok := st.Participants[a.ID]; !ok {
		return nil, ErrNameFirst
	}
	if err := dialogueStep(st); err != nil {
		return nil, err
	}
	text, err := cardText(c.Text)
	if err != nil {
		return nil, err
	}
	if c.Anonymous && !st.Forum.AnonymousCards {
		return nil, catalogue.Err("session.card.no_anonymous")
	}
	if recent := recentPosts(st.posted[a.ID], now); len(recent) >= CardBurst {
		wait := CardWindow - now.Sub(recent[0])
		return nil, catalogue.Err("session.card.too_fast", catalogue.Msg("count.cards", CardBurst), seconds(CardWindow), seconds(wait.Round(time.Second)+time.Second))
	}
	card := Card{
		ID: int64(len(st.Cards) + 1), Step: st.Step, Author: a.ID, Credits: []string{a.ID},
		Text: text, Anonymous: c.Anonymous, Status: CardVisible, CreatedAt: now,
	}
	if t := st.seatOf(a.ID); t != nil && tabledStep(st) {
		card.Table = t.ID
	}
	return []Event{CardChanged{Change: "added", Card: card}}, nil
}

// cardStatusWord is how a message names the state of a card that is not
// shown.
func cardStatusWord(s CardStatus) catalogue.Text {
	switch s {
	case CardHidden:
		return catalogue.Msg("session.card.hidden")
	case CardWithdrawn:
		return catalogue.Msg("session.card.withdrawn")
	case CardMerged:
		return catalogue.Msg("session.card.merged")
	}
	return catalogue.Msg("session.card.visible")
}

// ownOpenCard finds a card its author may still change: visible, on the
// step under way.
func ownOpenCard(st *State, a Actor, id int64) (*Card, error) {
	c, err := st.card(id)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Author != a.ID:
		return nil, Forbidden("session.card.not_yours", id)
	case !c.Shown():
		return nil, catalogue.Err("session.card.is", id, cardStatusWord(c.Status))
	case c.Step != st.Step:
		return nil, catalogue.Err("session.card.step_over", id)
	}
	return c, nil
}

// EditCard rewrites one's own card while its step is under way.
type EditCard struct {
	ID   int64
	Text string
}

func (c EditCard) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	old, err := ownOpenCard(st, a, c.ID)
	if err != nil {
		return nil, err
	}
	text, err := cardText(c.Text)
	if err != nil {
		return nil, err
	}
	if text == old.Text {
		return nil, nil
	}
	card := *old
	card.Text, card.EditedAt = text, now
	return []Event{CardChanged{Change: "edited", Card: card}}, nil
}

// WithdrawCard takes one's own card back while its step is under way.
type WithdrawCard struct{ ID int64 }

func (c WithdrawCard) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	old, err := ownOpenCard(st, a, c.ID)
	if err != nil {
		return nil, err
	}
	card := *old
	card.Status, card.EditedAt = CardWithdrawn, now
	return []Event{CardChanged{Change: "withdrawn", Card: card}}, nil
}

// HideCard takes a card off every screen and out of reports; the log keeps
// it and RestoreCard brings it back.
type HideCard struct {
	ID     int64
	Reason string
}

func (c HideCard) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.hide"); err != nil {
		return nil, err
	}
	old, err := st.card(c.ID)
	if err != nil {
		return nil, err
	}
	reason := CleanLine(c.Reason)
	if reason == "" {
		return nil, catalogue.Err("session.card.hide_why")
	}
	if utf8.RuneCountInString(reason) > MaxReasonLength {
		return nil, catalogue.Err("session.reason.too_long", MaxReasonLength)
	}
	if !old.Shown() {
		return nil, catalogue.Err("session.card.is_already", c.ID, cardStatusWord(old.Status))
	}
	card := *old
	card.Status, card.Reason = CardHidden, reason
	return []Event{CardChanged{Change: "hidden", Card: card}}, nil
}

// RestoreCard brings back a hidden card.
type RestoreCard struct{ ID int64 }

func (c RestoreCard) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.restore"); err != nil {
		return nil, err
	}
	old, err := st.card(c.ID)
	if err != nil {
		return nil, err
	}
	if old.Status != CardHidden {
		return nil, catalogue.Err("session.card.not_hidden", c.ID)
	}
	card := *old
	card.Status, card.Reason = CardVisible, ""
	return []Event{CardChanged{Change: "restored", Card: card}}, nil
}

// ParkCard moves a card to the parking lot (out of scope now, kept for
// later), or back out of it.
type ParkCard struct {
	ID     int64
	Parked bool
}

func (c ParkCard) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.park"); err != nil {
		return nil, err
	}
	old, err := st.card(c.ID)
	if err != nil {
		return nil, err
	}
	if !old.Shown() {
		return nil, catalogue.Err("session.card.is", c.ID, cardStatusWord(old.Status))
	}
	if old.Parked == c.Parked {
		return nil, nil
	}
	card := *old
	card.Parked = c.Parked
	change := "parked"
	if !c.Parked {
		change = "unparked"
	}
	return []Event{CardChanged{Change: change, Card: card}}, nil
}

// AssignCards puts cards under a theme (Theme 0 takes them out of any).
type AssignCards struct {
	Theme int64
	Cards []int64
}

func (c AssignCards) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.assign"); err != nil {
		return nil, err
	}
	if c.Theme != 0 {
		if _, err := st.theme(c.Theme); err != nil {
			return nil, err
		}
	}
	cards, err := shownCards(st, c.Cards)
	if err != nil {
		return nil, err
	}
	var events []Event
	for _, old := range cards {
		if old.Theme == c.Theme {
			continue
		}
		card := *old
		card.Theme = c.Theme
		events = append(events, CardChanged{Change: "assigned", Card: card})
	}
	return events, nil
}

// MergeCards folds duplicate cards into the first: it keeps its text and
// credits every author of the others, which leave the screens.
type MergeCards struct {
	Into int64
	From []int64
}

func (c MergeCards) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.merge"); err != nil {
		return nil, err
	}
	if len(c.From) == 0 {
		return nil, catalogue.Err("session.card.merge_two")
	}
	all, err := shownCards(st, append([]int64{c.Into}, c.From...))
	if err != nil {
		return nil, err
	}
	into := *all[0]
	into.Credits = append([]string(nil), into.Credits...)
	var events []Event
	for _, from := range all[1:] {
		if from.ID == into.ID {
			return nil, catalogue.Err("session.card.merge_itself", from.ID)
		}
		for _, who := range from.Credits {
			if !slices.Contains(into.Credits, who) {
				into.Credits = append(into.Credits, who)
			}
		}
		merged := *from
		merged.Status, merged.MergedInto = CardMerged, into.ID
		events = append(events, CardChanged{Change: "merged", Card: merged})
	}
	if into.Theme == 0 {
		into.Theme = all[1].Theme
	}
	return append(events, CardChanged{Change: "merged", Card: into}), nil
}

func shownCards(st *State, ids []int64) ([]*Card, error) {
	if len(ids) == 0 {
		return nil, catalogue.Err("session.card.name_one")
	}
	seen := map[int64]bool{}
	var out []*Card
	for _, id := range ids {
		c, err := st.card(id)
		if err != nil {
			return nil, err
		}
		if !c.Shown() {
			return nil, catalogue.Err("session.card.is", id, cardStatusWord(c.Status))
		}
		if seen[id] {
			return nil, catalogue.Err("session.card.twice", id)
		}
		seen[id] = true
		out = append(out, c)
	}
	return out, nil
}

func themeName(st *State, name string, except int64) (string, error) {
	n := CleanLine(name)
	if n == "" {
		return "", catalogue.Err("session.theme.no_name")
	}
	if utf8.RuneCountInString(n) > MaxThemeLength {
		return "", catalogue.Err("session.theme.too_long", MaxThemeLength)
	}
	for _, t := range st.Themes {
		if t.ID != except && strings.EqualFold(t.Name, n) {
			return "", catalogue.Err("session.theme.exists", t.Name, t.ID)
		}
	}
	return n, nil
}

// AddTheme creates a theme at the end of the list.
type AddTheme struct{ Name string }

func (c AddTheme) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.add_themes"); err != nil {
		return nil, err
	}
	name, err := themeName(st, c.Name, 0)
	if err != nil {
		return nil, err
	}
	var id int64 = 1
	for _, t := range st.Themes {
		id = max(id, t.ID+1)
	}
	return []Event{ThemeChanged{Change: "added", Theme: Theme{ID: id, Name: name, Position: len(st.Themes) + 1}}}, nil
}

// RenameTheme gives a theme a new name.
type RenameTheme struct {
	Theme int64
	Name  string
}

func (c RenameTheme) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.rename_themes"); err != nil {
		return nil, err
	}
	old, err := st.theme(c.Theme)
	if err != nil {
		return nil, err
	}
	name, err := themeName(st, c.Name, c.Theme)
	if err != nil {
		return nil, err
	}
	t := *old
	t.Name = name
	return []Event{ThemeChanged{Change: "renamed", Theme: t}}, nil
}

// MoveTheme puts a theme at a position (1 is first) in the list.
type MoveTheme struct {
	Theme    int64
	Position int
}

func (c MoveTheme) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.order_themes"); err != nil {
		return nil, err
	}
	if _, err := st.theme(c.Theme); err != nil {
		return nil, err
	}
	if c.Position < 1 || c.Position > len(st.Themes) {
		return nil, catalogue.Err("session.theme.positions", len(st.Themes))
	}
	order := make([]*Theme, 0, len(st.Themes))
	var moved *Theme
	for _, t := range st.Themes {
		if t.ID == c.Theme {
			moved = t
			continue
		}
		order = append(order, t)
	}
	order = slices.Insert(order, c.Position-1, moved)
	var events []Event
	for i, old := range order {
		if old.Position != i+1 {
			t := *old
			t.Position = i + 1
			events = append(events, ThemeChanged{Change: "moved", Theme: t})
		}
	}
	return events, nil
}

// AgreeTheme records that the room agreed a theme (or takes that back).
type AgreeTheme struct {
	Theme  int64
	Agreed bool
}

func (c AgreeTheme) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if err := requireFacilitator(a, "session.only.agree_themes"); err != nil {
		return nil, err
	}
	old, err := st.theme(c.Theme)
	if err != nil {
		return nil, err
	}
	if old.Agreed == c.Agreed {
		return nil, nil
	}
	t := *old
	t.Agreed = c.Agreed
	change := "agreed"
	if !c.Agreed {
		change = "unagreed"
	}
	return []Event{ThemeChanged{Change: change, Theme: t}}, nil
}

// RaiseHand puts the actor in the queue to speak; Raise false lowers it.
type RaiseHand struct{ Raise bool }

func (c RaiseHand) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	if _, ok := st.Participants[a.ID]; !ok {
		return nil, ErrNameFirst
	}
	raised := slices.ContainsFunc(st.Hands, func(h Hand) bool { return h.ID == a.ID })
	switch {
	case c.Raise && raised:
		return nil, catalogue.Err("session.hand.up_already")
	case !c.Raise && !raised:
		return nil, catalogue.Err("session.hand.not_up")
	case c.Raise:
		h := Hand{ID: a.ID, RaisedAt: now}
		if t := st.seatOf(a.ID); t != nil && tabledStep(st) {
			h.Table = t.ID
		}
		return []Event{HandRaised{h}}, nil
	}
	return []Event{HandLowered{ID: a.ID}}, nil
}

// CallNextSpeaker gives the floor to whoever raised their hand first: in
// the room's queue, or in a Table's. A table's reporter calls the next at
// their own table, on a step of tables.
type CallNextSpeaker struct{ Table int64 }

func (c CallNextSpeaker) decide(st *State, a Actor, now time.Time) ([]Event, error) {
	table := c.Table
	if a.Role != RoleFacilitator {
		t := st.seatOf(a.ID)
		if t == nil || t.Reporter != a.ID || !tabledStep(st) || (c.Table != 0 && c.Table != t.ID) {
			return nil, Forbidden("session.only.call_speakers")
		}
		table = t.ID
	} else if table != 0 {
		if _, err := st.currentTable(table); err != nil {
			return nil, err
		}
	}
	for _, h := range st.Hands {
		if h.Table == table {
			return []Event{HandLowered{ID: h.ID, Called: true, Table: table}}, nil
		}
	}
	if table != 0 {
		return nil, catalogue.Err("session.hand.none_at", st.Tables[table-1].Name)
	}
	return nil, catalogue.Err("session.hand.none")
}
