package session

import (
	"fmt"
	"strings"
	"testing"
)

// The small-group rule on breakdowns made by hand.
func TestPoolSmallGroups(t *testing.T) {
	g := func(sector string, people int) group {
		return group{sector: sector, people: people, counts: []int{people, 2 * people}}
	}
	for _, c := range []struct {
		name   string
		groups []group
		min    int
		want   string // shown groups, "sector people counts", pools with their sectors
		note   string
	}{
		{"all large", []group{g("A", 3), g("B", 5)}, 3, "A 3 [3 6]; B 5 [5 10]", ""},
		{"small ones pooled", []group{g("A", 3), g("B", 1), g("C", 1), g("", 1)}, 3,
			"A 3 [3 6]; Other sectors [B C ] 3 [3 6]", "B, C and No sector given each have fewer than 3 voters, so they are counted together as Other sectors."},
		{"a pool too small takes in the smallest shown", []group{g("A", 4), g("B", 3), g("C", 1)}, 3,
			"A 4 [4 8]; Other sectors [C B] 4 [4 8]", "C has fewer than 3 voters, so it is counted together with B as Other sectors."},
		{"the last of equals joins", []group{g("A", 3), g("B", 3), g("C", 1)}, 3,
			"A 3 [3 6]; Other sectors [C B] 4 [4 8]", "C has fewer than 3 voters, so it is counted together with B as Other sectors."},
		{"everyone pooled is no breakdown", []group{g("A", 4), g("B", 1)}, 3,
			"", "Not broken down by sector: B has fewer than 3 voters, so no sector can be shown without singling someone out."},
		{"all small", []group{g("A", 2), g("B", 2)}, 3,
			"", "Not broken down by sector: A and B each have fewer than 3 voters, so no sector can be shown without singling someone out."},
		{"too few in all", []group{g("A", 1), g("B", 1)}, 3,
			"", "Not broken down by sector: fewer than 3 voters in all, so any sector could single someone out."},
		{"nobody", []group{g("A", 0)}, 3, "", ""},
		{"groups of no one are left out", []group{g("A", 0), g("B", 3)}, 3, "B 3 [3 6]", ""},
		{"a higher threshold", []group{g("A", 3), g("B", 4), g("C", 5)}, 4,
			"C 5 [5 10]; Other sectors [A B] 7 [7 14]", "A has fewer than 4 voters, so it is counted together with B as Other sectors."},
	} {
		shown, why := poolSmallGroups(c.groups, c.min, "session.count.voters")
		note := why.String()
		var got []string
		for _, s := range shown {
			name := s.sector
			if s.pooled != nil {
				name += fmt.Sprintf(" %q", s.pooled)
				name = strings.ReplaceAll(strings.ReplaceAll(name, `" "`, " "), `"`, "")
			}
			got = append(got, fmt.Sprintf("%s %d %v", name, s.people, s.counts))
		}
		if strings.Join(got, "; ") != c.want || note != c.note {
			t.Errorf("%s:\n got %q\n     %q\nwant %q\n     %q", c.name, strings.Join(got, "; "), note, c.want, c.note)
		}
		for _, s := range shown {
			if s.people < c.min {
				t.Errorf("%s: a group of %d is shown", c.name, s.people)
			}
		}
	}
}
