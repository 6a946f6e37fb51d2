// Package report builds what organisers take away from a forum: a
// versioned Report from a forum's state and event log, written as
// Markdown (to read), JSON (the complete forum, for programs) or CSV (one
// table per kind, for spreadsheets).
//
// Each phase adds its own part: a builder fills its fields of the Report,
// a Markdown section draws them under each step (or at the end), and a CSV
// table lists them. A phase added later registers its own in init and
// touches nothing else here.
package report

import (
	"sort"
	"time"

	"moot/session"
)

// Version is the version of the Report's shape. Fields are only ever added
// within a version; a field that changes meaning or goes away takes a new
// version.
const Version = 1

// Report is everything a forum's report says. Its JSON form is documented
// field by field in the README ("Export").
type Report struct {
	Version    int       `json:"version"`
	ExportedAt time.Time `json:"exported_at"`
	// Seq is the number of the last event the report includes.
	Seq   int64 `json:"seq"`
	Forum Forum `json:"forum"`
	// Stage is lobby, running or closed; CurrentStep is the step index
	// (0 lobby, 1..n, n+1 closed).
	Stage         session.Stage `json:"stage"`
	CurrentStep   int           `json:"current_step"`
	Archived      bool          `json:"archived"`
	Participation Participation `json:"participation"`
	Themes        []Theme       `json:"themes"`
	Steps         []Step        `json:"steps"`
	// Statements are every statement drafted in deliberation, in the
	// order screens show them (by theme); Feedback every comment on the
	// draft report, oldest first.
	Statements []Statement `json:"statements"`
	Feedback   []Feedback  `json:"feedback"`
}

// Forum is the forum as its agenda describes it.
type Forum struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Purpose string `json:"purpose"`
	Date    string `json:"date"`
}

// Participation counts who took part, by sector, never by name.
type Participation struct {
	// People counts everyone who gave a name.
	People   int           `json:"people"`
	BySector []SectorCount `json:"by_sector"`
	// Named lists, by name, only the people who agreed to be named in
	// the report (the credit command); nobody else is ever named.
	Named []string `json:"named"`
}

// SectorCount is how many people chose a sector; Sector is empty for
// those who chose none.
type SectorCount struct {
	Sector string `json:"sector"`
	People int    `json:"people"`
}

// Theme is one of the forum's themes.
type Theme struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
	Agreed   bool   `json:"agreed"`
	// Cards counts the cards under it that the report shows.
	Cards int `json:"cards"`
}

// Step is one step of the agenda and what came of it.
type Step struct {
	Number         int           `json:"number"`
	Title          string        `json:"title"`
	Phase          session.Phase `json:"phase"`
	Prompt         string        `json:"prompt"`
	TimeboxMinutes int           `json:"timebox_minutes"`
	// StartedAt is when the forum first reached the step; null if never.
	StartedAt *time.Time `json:"started_at"`
	// Cards are the dialogue cards posted on the step that are shown:
	// hidden, withdrawn and merged-away cards are left out. Empty on
	// other phases.
	Cards []Card `json:"cards"`
	// Ballots are the dot votes opened on the step, in order; empty on
	// other phases.
	Ballots []Ballot `json:"ballots"`
}

// Card is a dialogue card as the report shows it: no names.
type Card struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
	// Theme is null for a card with no theme.
	Theme     *ThemeRef `json:"theme"`
	Parked    bool      `json:"parked"`
	Anonymous bool      `json:"anonymous"`
	// People counts the people credited: its author and the authors of
	// the cards merged into it.
	People     int       `json:"people"`
	MergedFrom []int64   `json:"merged_from"`
	CreatedAt  time.Time `json:"created_at"`
	Edited     bool      `json:"edited"`
}

// ThemeRef names a theme.
type ThemeRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Input is what a report is built from.
type Input struct {
	Snapshot *session.Snapshot
	// Log is the forum's event log, up to Snapshot.Seq.
	Log []session.Record
}

// asOf is the time of the last change a report includes, so that a report
// is the forum's state alone: exported twice, over SSH or offline, the same
// state gives the same bytes. Zero before any change.
func asOf(log []session.Record) time.Time {
	if len(log) == 0 {
		return time.Time{}
	}
	return log[len(log)-1].At.UTC().Truncate(time.Second)
}

// A builder fills its part of the report; each phase registers one.
type builder func(r *Report, in Input)

var builders = []builder{buildForum}

// Build makes the report of a forum.
func Build(in Input) *Report {
	snap := in.Snapshot
	r := &Report{
		Version:     Version,
		ExportedAt:  asOf(in.Log),
		Seq:         snap.Seq,
		Stage:       snap.Stage(),
		CurrentStep: snap.Step,
		Archived:    snap.Archived,
		Themes:      []Theme{},
		Steps:       []Step{},
		Statements:  []Statement{},
		Feedback:    []Feedback{},
	}
	for _, b := range builders {
		b(r, in)
	}
	return r
}

func buildForum(r *Report, in Input) {
	f := in.Snapshot.Forum
	r.Forum = Forum{Slug: f.Slug, Title: f.Title, Purpose: f.Purpose, Date: f.Date}

	bySector := map[string]int{}
	for _, p := range in.Snapshot.Participants {
		bySector[p.Sector]++
	}
	r.Participation.People = len(in.Snapshot.Participants)
	r.Participation.Named = []string{}
	for _, p := range in.Snapshot.Participants { // sorted by name
		if p.Credit {
			r.Participation.Named = append(r.Participation.Named, p.Name)
		}
	}
	r.Participation.BySector = []SectorCount{}
	for _, s := range f.Sectors {
		r.Participation.BySector = append(r.Participation.BySector, SectorCount{Sector: s, People: bySector[s]})
		delete(bySector, s)
	}
	// Sectors no longer in the agenda (it was edited), then no sector.
	var rest []string
	for s := range bySector {
		if s != "" {
			rest = append(rest, s)
		}
	}
	sort.Strings(rest)
	for _, s := range rest {
		r.Participation.BySector = append(r.Participation.BySector, SectorCount{Sector: s, People: bySector[s]})
	}
	if n := bySector[""]; n > 0 {
		r.Participation.BySector = append(r.Participation.BySector, SectorCount{Sector: "", People: n})
	}

	started := map[int]time.Time{}
	for _, rec := range in.Log {
		if m, ok := rec.Event.(session.StepMoved); ok {
			if _, seen := started[m.To]; !seen {
				started[m.To] = rec.At.UTC()
			}
		}
	}
	for i, st := range f.Steps {
		s := Step{Number: i + 1, Title: st.Title, Phase: st.Phase, Prompt: st.Prompt,
			TimeboxMinutes: int(st.Timebox / time.Minute), Cards: []Card{}, Ballots: []Ballot{}}
		if at, ok := started[i+1]; ok {
			s.StartedAt = &at
		}
		r.Steps = append(r.Steps, s)
	}
}
