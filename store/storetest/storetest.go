// Package storetest holds the tests every session.Store passes, run by each
// store's own tests against a real database: SQLite in a temporary folder,
// PostgreSQL in a throwaway cluster (Postgres tells how to reach one).
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"moot/session"
	"moot/session/sessiontest"
)

// Opener opens the database of one test. Each call is a new handle on the
// same data: a server restarting, or a second node.
type Opener func() session.Store

// Run runs the tests every store passes. fresh makes an empty database for
// a test and returns how to open it.
func Run(t *testing.T, fresh func(t *testing.T) Opener) {
	for _, c := range []struct {
		name string
		test func(t *testing.T, open Opener)
	}{
		{"RoundTripEveryEventKind", roundTripEveryEventKind},
		{"CommitExpectsTheNextSeq", commitExpectsTheNextSeq},
		{"CommitIsAllOrNothing", commitIsAllOrNothing},
		{"EventsInPages", eventsInPages},
		{"AgendaWithFewerStepsClosesTheForum", fewerStepsCloses},
		{"UnknownForum", unknownForum},
	} {
		t.Run(c.name, func(t *testing.T) { c.test(t, fresh(t)) })
	}
}

// Commit commits records in batches of growing size, as a Hub's group
// commit makes them.
func Commit(t testing.TB, s session.Store, slug string, records []session.Record) {
	t.Helper()
	for i, n := 0, 1; i < len(records); n++ {
		end := min(i+n, len(records))
		if err := s.Commit(context.Background(), slug, records[i:end]); err != nil {
			t.Fatalf("commit of events %d to %d: %v", records[i].Seq, records[end-1].Seq, err)
		}
		i = end
	}
}

// Every kind of event goes into the store and comes back: the state a
// store loads from its log equals the state the same events made in
// memory, and the log gives back each record as it was committed.
func roundTripEveryEventKind(t *testing.T, open Opener) {
	ctx := context.Background()
	log := sessiontest.Log()
	held := sessiontest.Kinds(log)
	for _, kind := range session.EventKinds() {
		if !held[kind] {
			t.Errorf("event kind %q is in no record of sessiontest.Log: add an example there, so that every store is tested with it", kind)
		}
	}

	s := open()
	st, err := s.OpenForum(ctx, sessiontest.Forum())
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != 0 {
		t.Fatalf("a new forum starts at event %d, want 0", st.Seq)
	}
	Commit(t, s, "riverside", log)

	want := session.NewState(sessiontest.Forum())
	if err := want.Apply(log); err != nil {
		t.Fatal(err)
	}
	got, err := open().OpenForum(ctx, sessiontest.Forum())
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(want, got); d != "" {
		t.Errorf("the state loaded from the store differs from the state the events made:\n%s", d)
	}

	back, err := s.Events(ctx, "riverside", 0, len(log)+10)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(log) {
		t.Fatalf("the log gives back %d records of %d", len(back), len(log))
	}
	for i, r := range back {
		w := log[i]
		if r.Seq != w.Seq || r.Actor != w.Actor || !r.At.Equal(w.At) || r.Event.Kind() != w.Event.Kind() {
			t.Errorf("record %d came back as %d %s %v %s, want %d %s %v %s", i, r.Seq, r.Actor, r.At, r.Event.Kind(), w.Seq, w.Actor, w.At, w.Event.Kind())
		}
		if d := Diff(w.Event, r.Event); d != "" {
			t.Errorf("event %d (%s) came back changed:\n%s", w.Seq, w.Event.Kind(), d)
		}
	}
}

// Events decided on a log that has moved on are refused with
// session.ErrConflict, whether their first seq is taken or leaves a gap,
// and nothing of them is kept.
func commitExpectsTheNextSeq(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open()
	if _, err := s.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	log := sessiontest.Log()
	Commit(t, s, "riverside", log[:3])
	for _, batch := range [][]session.Record{log[2:4], log[1:2], log[4:6]} {
		err := s.Commit(ctx, "riverside", batch)
		if !errors.Is(err, session.ErrConflict) {
			t.Errorf("committing events %d..%d after event 3: %v, want ErrConflict", batch[0].Seq, batch[len(batch)-1].Seq, err)
		}
	}
	st, err := open().OpenForum(ctx, sessiontest.Forum())
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != 3 || len(st.Participants) != 3 {
		t.Errorf("after refused commits the forum is at event %d with %d people, want 3 and 3", st.Seq, len(st.Participants))
	}
	// The next one is taken.
	Commit(t, s, "riverside", log[3:4])
}

// A batch is one transaction: if any event in it cannot be saved, none is.
func commitIsAllOrNothing(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open()
	if _, err := s.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(time.Now().UnixMilli()).UTC()
	err := s.Commit(ctx, "riverside", []session.Record{
		{Seq: 1, At: now, Actor: "x", Event: session.StepMoved{To: 1}},
		{Seq: 1, At: now, Actor: "x", Event: session.StepMoved{To: 2}},
	})
	if err == nil {
		t.Fatal("a batch reusing a sequence number was saved")
	}
	st, err := s.OpenForum(ctx, sessiontest.Forum())
	if err != nil {
		t.Fatal(err)
	}
	if st.Step != 0 || st.Seq != 0 {
		t.Errorf("half a failed batch was kept: step %d seq %d", st.Step, st.Seq)
	}
}

func eventsInPages(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open()
	if _, err := s.OpenForum(ctx, sessiontest.Forum()); err != nil {
		t.Fatal(err)
	}
	Commit(t, s, "riverside", sessiontest.Log()[:10])
	page, err := s.Events(ctx, "riverside", 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 3 || page[0].Seq != 3 || page[2].Seq != 5 {
		t.Errorf("3 events after event 2: %v", seqs(page))
	}
	if page, _ := s.Events(ctx, "riverside", 10, 3); len(page) != 0 {
		t.Errorf("events after the last: %v", seqs(page))
	}
	slugs, err := s.Forums(ctx)
	if err != nil || len(slugs) != 1 || slugs[0] != "riverside" {
		t.Errorf("forums = %v, %v", slugs, err)
	}
}

// A forum restarted from an agenda with fewer steps than the step it was
// on is closed.
func fewerStepsCloses(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open()
	f := sessiontest.Forum()
	if _, err := s.OpenForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(time.Now().UnixMilli()).UTC()
	if err := s.Commit(ctx, f.Slug, []session.Record{{Seq: 1, At: now, Actor: "x", Event: session.StepMoved{To: 3}}}); err != nil {
		t.Fatal(err)
	}
	f.Steps = f.Steps[:1]
	st, err := open().OpenForum(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if st.Step != 2 {
		t.Errorf("step = %d after the agenda shrank to 1 step, want 2 (closed)", st.Step)
	}
}

func unknownForum(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open()
	err := s.Commit(ctx, "nowhere", []session.Record{{Seq: 1, At: time.Now(), Actor: "x",
		Event: session.ParticipantNamed{Participant: session.Participant{ID: "a", Name: "A"}}}})
	if err == nil {
		t.Error("an event of a forum that does not exist was saved")
	}
	if page, err := s.Events(ctx, "nowhere", 0, 10); err != nil || len(page) != 0 {
		t.Errorf("events of a forum that does not exist: %v, %v", seqs(page), err)
	}
}

func seqs(rs []session.Record) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.Seq
	}
	return out
}

// Diff names where two values differ, field by field (unexported fields
// included), or returns "" when they are deeply equal. Times are equal
// when they are the same instant; those in unexported fields are compared
// field by field, as reflect.DeepEqual does.
func Diff(want, got any) string {
	var b strings.Builder
	diff(&b, "", reflect.ValueOf(want), reflect.ValueOf(got), 0)
	return b.String()
}

var timeType = reflect.TypeOf(time.Time{})

func diff(b *strings.Builder, path string, w, g reflect.Value, depth int) {
	if b.Len() > 2000 || depth > 20 {
		return
	}
	if w.IsValid() != g.IsValid() {
		fmt.Fprintf(b, "%s: one is missing\n", path)
		return
	}
	if !w.IsValid() {
		return
	}
	if w.Type() != g.Type() {
		fmt.Fprintf(b, "%s: type %v, want %v\n", path, g.Type(), w.Type())
		return
	}
	if w.Type() == timeType && w.CanInterface() {
		wt, gt := w.Interface().(time.Time), g.Interface().(time.Time)
		if !wt.Equal(gt) {
			fmt.Fprintf(b, "%s: %v, want %v\n", path, gt, wt)
		}
		return
	}
	switch w.Kind() {
	case reflect.Pointer, reflect.Interface:
		if w.IsNil() || g.IsNil() {
			if w.IsNil() != g.IsNil() {
				fmt.Fprintf(b, "%s: nil on one side only\n", path)
			}
			return
		}
		diff(b, path, w.Elem(), g.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < w.NumField(); i++ {
			diff(b, path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i), depth+1)
		}
	case reflect.Slice, reflect.Array:
		if w.Len() != g.Len() {
			fmt.Fprintf(b, "%s: %d elements, want %d\n", path, g.Len(), w.Len())
			return
		}
		for i := 0; i < w.Len(); i++ {
			diff(b, fmt.Sprintf("%s[%d]", path, i), w.Index(i), g.Index(i), depth+1)
		}
	case reflect.Map:
		if w.Len() != g.Len() {
			fmt.Fprintf(b, "%s: %d entries, want %d\n", path, g.Len(), w.Len())
		}
		for _, k := range w.MapKeys() {
			diff(b, fmt.Sprintf("%s[%v]", path, k), w.MapIndex(k), g.MapIndex(k), depth+1)
		}
	default:
		if !equalScalar(w, g) {
			fmt.Fprintf(b, "%s: %v, want %v\n", path, scalar(g), scalar(w))
		}
	}
}

func equalScalar(w, g reflect.Value) bool {
	switch w.Kind() {
	case reflect.Bool:
		return w.Bool() == g.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return w.Int() == g.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return w.Uint() == g.Uint()
	case reflect.Float32, reflect.Float64:
		return w.Float() == g.Float()
	case reflect.String:
		return w.String() == g.String()
	}
	return true
}

func scalar(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.String:
		return fmt.Sprintf("%q", v.String())
	}
	return v.Kind().String()
}
