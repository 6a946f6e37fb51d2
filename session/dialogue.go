package session

import "time"

// Limits of the dialogue phase.
const (
	MaxCardLength   = 500
	MaxThemeLength  = 60
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

// Hand is a raised hand, waiting in the queue to speak.
type Hand struct {
	ID       string    `json:"id"`
	RaisedAt time.Time `json:"raised_at"`
}
