package session

import (
	"testing"
	"time"
)

// Votes on an open secret ballot show on nobody's screen but as the
// facilitator's count, and a newcomer's name only in the facilitator's
// list, so they may reach screens as late as presence does; anything else
// goes out at the quick cadence.
func TestChangeOf(t *testing.T) {
	st := NewState(&Forum{})
	st.Ballots = []*Ballot{{ID: 1, Secret: true}, {ID: 2, Secret: false}, {ID: 3, Secret: true, ClosedAt: time.Now()}}
	vote := func(b int64) Record { return Record{Event: VoteCast{Ballot: b, Voter: "x"}} }
	joined, later := time.Now(), time.Now().Add(time.Minute)
	named := func(at time.Time) Record {
		return Record{At: at, Event: ParticipantNamed{Participant{ID: "x", Name: "Ada", JoinedAt: joined}}}
	}
	for name, c := range map[string]struct {
		records []Record
		want    change
	}{
		"secret open ballot":     {[]Record{vote(1), vote(1)}, presenceChange},
		"live ballot":            {[]Record{vote(2)}, contentChange},
		"closed secret ballot":   {[]Record{vote(3)}, contentChange},
		"a vote and a step move": {[]Record{vote(1), {Event: StepMoved{To: 1}}}, contentChange},
		"no such ballot":         {[]Record{vote(9)}, contentChange},
		"a newcomer's name":      {[]Record{named(joined)}, presenceChange},
		"a name changed later":   {[]Record{named(later)}, contentChange},
	} {
		if got := changeOf(st, c.records); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}

// The pace of deliveries: the clock goes out at once; a change of content
// waits only for the last delivery of content, never for one of presence
// or of the clock; presence waits a second after any delivery.
func TestDue(t *testing.T) {
	now := time.Now()
	long := now.Add(-time.Hour)
	for name, c := range map[string]struct {
		unsent               change
		lastFan, lastContent time.Time
		want                 time.Time
	}{
		"content after a quiet spell":            {contentChange, long, long, long.Add(fanOutEvery)},
		"content just after presence went out":   {contentChange, now, long, long.Add(fanOutEvery)},
		"content just after content went out":    {contentChange, now, now, now.Add(fanOutEvery)},
		"presence just after anything went out":  {presenceChange, now, long, now.Add(presenceEvery)},
		"presence after a quiet spell":           {presenceChange, long, long, long.Add(presenceEvery)},
		"presence and content, content long ago": {presenceChange | contentChange, now, long, long.Add(fanOutEvery)},
		"the clock, whatever went out":           {clockChange | presenceChange, now, now, time.Time{}},
	} {
		h := &Hub{unsent: c.unsent, lastFan: c.lastFan, lastContent: c.lastContent}
		if got := h.due(); !got.Equal(c.want) {
			t.Errorf("%s: due %v, want %v", name, got.Sub(now), c.want.Sub(now))
		}
	}
}

// With many screens a storm of content goes out less often, in proportion
// to their number, so that drawing them leaves room for the commands; a
// change after a quiet spell still goes out at once, and a few hundred
// screens keep fanOutEvery.
func TestDueWithManyScreens(t *testing.T) {
	now := time.Now()
	long := now.Add(-time.Hour)
	for _, c := range []struct {
		screens              int
		lastFan, lastContent time.Time
		want                 time.Time
	}{
		{100, now, now, now.Add(fanOutEvery)},
		{500, now, now, now.Add(fanOutEvery)},
		{1000, now, now, now.Add(100 * time.Millisecond)},
		{2000, now, now, now.Add(200 * time.Millisecond)},
		{2000, now, long, long.Add(200 * time.Millisecond)},
		// After a quiet spell longer than the pace: due already, so the
		// change goes out at once.
		{2000, now.Add(-300 * time.Millisecond), now.Add(-300 * time.Millisecond), now.Add(-100 * time.Millisecond)},
	} {
		h := &Hub{unsent: contentChange, lastFan: c.lastFan, lastContent: c.lastContent, subs: map[*Subscription]struct{}{}}
		for range c.screens {
			h.subs[&Subscription{}] = struct{}{}
		}
		got := h.due()
		if !got.Equal(c.want) {
			t.Errorf("%d screens, content %v ago: due %v, want %v", c.screens, now.Sub(c.lastContent), got.Sub(now), c.want.Sub(now))
		}
		if quiet := now.Sub(c.lastContent) > h.contentEvery(); quiet && got.After(now) {
			t.Errorf("%d screens: a change after %v of quiet waits until %v", c.screens, now.Sub(c.lastContent), got.Sub(now))
		}
	}
}
