// Package report builds what organisers take away from a forum: a
// versioned Report from the forum's view for the report (which names
// nobody but those who asked, and keeps the small-group rule) and its
// event log, written as Markdown or HTML (to read and publish), JSON (the
// complete forum, for programs) or CSV (one table per kind, for
// spreadsheets). What it says of cards, ballots, statements and feedback
// is session's views, as the commands print them.
//
// Each phase adds its own part, in its own file: a builder fills its
// fields of the Report, a part of the document to read (layout.go) draws
// them once for Markdown and HTML alike, and CSV tables list them. A phase
// added later registers its own in init and touches nothing else here.
package report

import (
	"fmt"
	"strings"
	"time"

	"moot/session"
	"moot/session/catalogue"
)

// Version is the version of the Report's shape. Fields are only ever added
// within a version; a field that changes meaning or goes away takes a new
// version. Version 2 took its cards, ballots, statements and feedback from
// the views the commands print, and keeps the small-group rule.
const Version = 2

// Order is the order the report to read tells the forum in.
type Order string

const (
	// AgreedFirst opens with the agreed statements, then the priorities
	// voted on, what people raised, what was not agreed, the feedback and
	// who took part: as an organiser usually publishes. The default.
	AgreedFirst Order = "agreed"
	// ForumOrder follows the forum's steps, one section each, with the
	// statements in the order the forum kept them, agreed or not.
	ForumOrder Order = "forum"
)

// Orders lists the orders, the default first.
var Orders = []Order{AgreedFirst, ForumOrder}

// ParseOrder reads an order as an export names it; "" is the default.
func ParseOrder(s string) (Order, error) {
	if s == "" {
		return AgreedFirst, nil
	}
	for _, o := range Orders {
		if strings.EqualFold(s, string(o)) {
			return o, nil
		}
	}
	return "", fmt.Errorf("unknown order %q (agreed: the agreed statements first, the default; or forum: the forum's steps in order)", s)
}

// Report is everything a forum's report says. Its JSON form is documented
// field by field in the README ("Export").
type Report struct {
	Version    int       `json:"version"`
	ExportedAt time.Time `json:"exported_at"`
	// Seq is the number of the last event the report includes.
	Seq int64 `json:"seq"`
	// Order is the order the report tells the forum in; it numbers the
	// statements.
	Order Order `json:"order"`
	Forum Forum `json:"forum"`
	// Stage is lobby, running or closed; CurrentStep is the step index
	// (0 lobby, 1..n, n+1 closed).
	Stage         session.Stage          `json:"stage"`
	CurrentStep   int                    `json:"current_step"`
	Archived      bool                   `json:"archived"`
	Participation *session.Participation `json:"participation"`
	Themes        []session.ThemeView    `json:"themes"`
	Steps         []Step                 `json:"steps"`
	// Statements are every statement drafted in deliberation, in the
	// report's order and numbered in it; Feedback every comment on the
	// draft report, oldest first.
	Statements []Statement            `json:"statements"`
	Feedback   []session.FeedbackView `json:"feedback"`
	// Tables are every table made, in order (dialogue_tables.go);
	// Evaluation the polls of the forum's evaluation (polls.go).
	Tables     []session.TableView `json:"tables"`
	Evaluation []session.PollView  `json:"evaluation"`

	// lang is the language of the report to read; JSON and CSV are in
	// English whatever it is.
	lang *voice
}

// say is the report's voice: its language, English if it was given none.
func (r *Report) say() *voice {
	if r.lang == nil {
		return english()
	}
	return r.lang
}

// Forum is the forum as its agenda describes it.
type Forum struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Purpose string `json:"purpose"`
	Date    string `json:"date"`
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
	Cards []session.CardView `json:"cards"`
	// Ballots are the dot votes opened on the step, in order; empty on
	// other phases.
	Ballots []session.BallotView `json:"ballots"`
	// Tabled marks a dialogue step at tables; its cards say their table.
	Tabled bool `json:"tabled"`
	// Polls are the polls asked on the step, in order, but those of the
	// evaluation.
	Polls []session.PollView `json:"polls"`
}

// Input is what a report is built from.
type Input struct {
	Snapshot *session.Snapshot
	// Log is the forum's event log, up to Snapshot.Seq.
	Log []session.Record
	// Order is the order of the report to read; "" is AgreedFirst.
	Order Order
	// Catalogue has the languages the report can be written in; nil:
	// English and the pseudo-locale.
	Catalogue *catalogue.Catalogue
	// Lang is the language of the report to read, as Language gives it;
	// "" is the forum's (agenda lang:), else English.
	Lang string
}

// Language checks a language asked of an export against the catalogue
// and gives its code as the catalogue spells it; "" is the forum's. Both
// ways to export (moot export and export over SSH) ask it, so they refuse
// alike.
func Language(c *catalogue.Catalogue, code string) (string, error) {
	if c == nil {
		c = catalogue.Default()
	}
	if code == "" {
		return "", nil
	}
	for _, l := range c.Languages() {
		if strings.EqualFold(l, code) {
			return l, nil
		}
	}
	there := make(catalogue.Commas, 0, len(c.Languages()))
	for _, l := range c.Languages() {
		there = append(there, l)
	}
	return "", catalogue.Err("command.lang.no_such", session.CleanLine(code), there)
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

// source is what builders read: the forum as the report may see it, and
// its log.
type source struct {
	view *session.View
	log  []session.Record
}

// A builder fills its part of the report; each phase registers one.
type builder func(r *Report, src source)

var builders = []builder{buildForum}

// Build makes the report of a forum. Its builders see only the forum's
// view for the report, never the snapshot's raw state.
func Build(in Input) *Report {
	v := in.Snapshot.ViewAs(session.ForReport)
	order := in.Order
	if order == "" {
		order = AgreedFirst
	}
	r := &Report{
		Version:     Version,
		ExportedAt:  asOf(in.Log),
		Seq:         v.Seq(),
		Order:       order,
		Stage:       v.Stage(),
		CurrentStep: v.Step(),
		Archived:    v.Archived(),
		Themes:      []session.ThemeView{},
		Steps:       []Step{},
		Statements:  []Statement{},
		Feedback:    []session.FeedbackView{},
		lang:        newVoice(in.Catalogue.Printer(in.Lang, v.Forum().Lang)),
	}
	for _, b := range builders {
		b(r, source{view: v, log: in.Log})
	}
	return r
}

func buildForum(r *Report, src source) {
	f := src.view.Forum()
	r.Forum = Forum{Slug: f.Slug, Title: f.Title, Purpose: f.Purpose, Date: f.Date}
	r.Participation = src.view.Participation()

	started := map[int]time.Time{}
	for _, rec := range src.log {
		if m, ok := rec.Event.(session.StepMoved); ok {
			if _, seen := started[m.To]; !seen {
				started[m.To] = rec.At.UTC()
			}
		}
	}
	for i, st := range f.Steps {
		s := Step{Number: i + 1, Title: st.Title, Phase: st.Phase, Prompt: st.Prompt,
			TimeboxMinutes: int(st.Timebox / time.Minute), Cards: []session.CardView{}, Ballots: []session.BallotView{}}
		if at, ok := started[i+1]; ok {
			s.StartedAt = &at
		}
		r.Steps = append(r.Steps, s)
	}
}
