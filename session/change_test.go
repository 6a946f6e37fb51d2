package session

import (
	"testing"
	"time"
)

// Votes on an open secret ballot show on nobody's screen but as the
// facilitator's count, so they may reach screens as late as presence does;
// anything else goes out at the quick cadence.
func TestChangeOf(t *testing.T) {
	st := NewState(&Forum{})
	st.Ballots = []*Ballot{{ID: 1, Secret: true}, {ID: 2, Secret: false}, {ID: 3, Secret: true, ClosedAt: time.Now()}}
	vote := func(b int64) Record { return Record{Event: VoteCast{Ballot: b, Voter: "x"}} }
	for name, c := range map[string]struct {
		records []Record
		want    change
	}{
		"secret open ballot":     {[]Record{vote(1), vote(1)}, presenceChange},
		"live ballot":            {[]Record{vote(2)}, contentChange},
		"closed secret ballot":   {[]Record{vote(3)}, contentChange},
		"a vote and a step move": {[]Record{vote(1), {Event: StepMoved{To: 1}}}, contentChange},
		"no such ballot":         {[]Record{vote(9)}, contentChange},
	} {
		if got := changeOf(st, c.records); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}
