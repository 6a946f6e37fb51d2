package report

import (
	"fmt"
	"strconv"
	"time"

	"moot/session"
)

func init() {
	builders = append(builders, buildVoting)
	stepSections[session.Voting] = append(stepSections[session.Voting], ballotsSection)
	tables = append(tables, table{"ballots", ballotsTable})
}

// Ballot is a dot vote on a voting step and, once it may be shown, its
// ranked results.
type Ballot struct {
	ID         int64      `json:"id"`
	Title      string     `json:"title"`
	Status     string     `json:"status"` // open or closed
	Dots       int        `json:"dots"`
	MaxPerItem int        `json:"max_per_item"`
	TopK       int        `json:"top_k"`
	Secret     bool       `json:"secret"`
	OpenedAt   time.Time  `json:"opened_at"`
	ClosedAt   *time.Time `json:"closed_at"`
	// Shown is false for a secret ballot still open: its tally is not in
	// the report (Voters, TotalDots, Results and BySector are empty).
	Shown     bool           `json:"shown"`
	Voters    int            `json:"voters"`
	TotalDots int            `json:"total_dots"`
	Results   []BallotResult `json:"results"`
	BySector  []BallotSector `json:"by_sector"`
}

// BallotResult is one item in ranked order: most dots first, ties sharing
// a rank (Tied), never broken; Top marks the items that lead (within top_k,
// ties at the cut-off kept, at least one dot).
type BallotResult struct {
	Rank   int     `json:"rank"`
	Tied   bool    `json:"tied"`
	Top    bool    `json:"top"`
	Item   int     `json:"item"`
	Text   string  `json:"text"`
	Source string  `json:"source"`
	Ref    int64   `json:"ref"`
	Dots   int     `json:"dots"`
	Share  float64 `json:"share"`
}

// BallotSector is the part of a tally that came from one sector ("" is
// people who gave none); Dots[i] is on item i+1.
type BallotSector struct {
	Sector string `json:"sector"`
	Voters int    `json:"voters"`
	Dots   []int  `json:"dots"`
}

func buildVoting(r *Report, in Input) {
	snap := in.Snapshot
	for i := range r.Steps {
		step := &r.Steps[i]
		step.Ballots = []Ballot{}
		for _, b := range snap.BallotsOf(step.Number) {
			rb := Ballot{ID: b.ID, Title: b.Title, Status: "open", Dots: b.Dots, MaxPerItem: b.MaxPerItem, TopK: b.TopK, Secret: b.Secret,
				OpenedAt: b.OpenedAt.UTC(), Results: []BallotResult{}, BySector: []BallotSector{}}
			if !b.Open() {
				at := b.ClosedAt.UTC()
				rb.Status, rb.ClosedAt = "closed", &at
			}
			counts, ok := snap.Counts(b.ID)
			if ok {
				rb.Shown, rb.Voters = true, snap.Voters(b.ID)
				if b.Results != nil {
					rb.Voters = b.Results.Voters
				}
				for _, n := range counts {
					rb.TotalDots += n
				}
				for _, x := range session.Rank(b, counts) {
					share := 0.0
					if rb.TotalDots > 0 {
						share = float64(x.Dots) / float64(rb.TotalDots)
					}
					rb.Results = append(rb.Results, BallotResult{Rank: x.Rank, Tied: x.Tied, Top: x.Top, Item: x.Item.ID, Text: x.Item.Text,
						Source: string(x.Item.Source), Ref: x.Item.Ref, Dots: x.Dots, Share: share})
				}
				sectors, _ := snap.BySector(b.ID)
				for _, s := range sectors {
					rb.BySector = append(rb.BySector, BallotSector{Sector: s.Sector, Voters: s.Voters, Dots: append([]int{}, s.Dots...)})
				}
			}
			step.Ballots = append(step.Ballots, rb)
		}
	}
}

// rankLabel writes a rank as results show it: "=2" for a tie.
func rankLabel(x BallotResult) string {
	if x.Tied {
		return "=" + strconv.Itoa(x.Rank)
	}
	return strconv.Itoa(x.Rank)
}

func ballotsSection(r *Report, s *Step, w *mdWriter) bool {
	if len(s.Ballots) == 0 {
		return false
	}
	for _, b := range s.Ballots {
		title := fmt.Sprintf("Ballot %d", b.ID)
		if b.Title != "" {
			title += ": " + inline(b.Title)
		}
		w.heading(3, title)
		rules := fmt.Sprintf("%d dots each", b.Dots)
		if b.MaxPerItem > 0 {
			rules += fmt.Sprintf(", at most %d on one item", b.MaxPerItem)
		}
		if !b.Shown {
			w.line(rules + ". _Still open and secret: its results show once it closes._")
			w.blank()
			continue
		}
		status := "closed"
		if b.Status == "open" {
			status = "still open, so these results may change"
		}
		w.line(fmt.Sprintf("%s; %d voted, %d dots spent; %s. ★ marks the top %d (items tied at the cut-off all kept); tied items share a rank (=).",
			rules, b.Voters, b.TotalDots, status, b.TopK))
		w.blank()
		w.line("| Rank | Item | Dots | Share | Top |")
		w.line("| ---: | --- | ---: | ---: | :---: |")
		for _, x := range b.Results {
			top := ""
			if x.Top {
				top = "★"
			}
			w.line(fmt.Sprintf("| %s | %s | %d | %.0f%% | %s |", rankLabel(x), cell(x.Text), x.Dots, x.Share*100, top))
		}
		w.blank()
	}
	return true
}

func ballotsTable(r *Report) [][]string {
	rows := [][]string{{"step", "ballot_id", "ballot_title", "status", "voters", "rank", "tied", "top", "item_id", "item_text", "source", "ref", "dots", "share"}}
	for _, s := range r.Steps {
		for _, b := range s.Ballots {
			for _, x := range b.Results {
				ref := ""
				if x.Ref != 0 {
					ref = itoa(x.Ref)
				}
				rows = append(rows, []string{strconv.Itoa(s.Number), itoa(b.ID), b.Title, b.Status, strconv.Itoa(b.Voters),
					strconv.Itoa(x.Rank), strconv.FormatBool(x.Tied), strconv.FormatBool(x.Top), strconv.Itoa(x.Item), x.Text, x.Source, ref,
					strconv.Itoa(x.Dots), strconv.FormatFloat(x.Share, 'f', 4, 64)})
			}
		}
	}
	return rows
}
