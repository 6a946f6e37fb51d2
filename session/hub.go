package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"moot/session/catalogue"
)

// maxBatch bounds how many waiting commands the Hub commits together. One
// transaction (one fsync) for many commands is what lets a room of hundreds
// vote at once without each vote waiting for every other vote's disk write.
const maxBatch = 256

// ErrStopped is returned by a Hub that is shutting down.
var ErrStopped = catalogue.Err("session.stopped")

// Hub runs one live forum. Every change goes through it as a Command: the Hub
// decides it against the state, commits the resulting events through the
// Store, and only then answers the caller and publishes a new Snapshot to
// every subscriber. One goroutine owns the state, so commands are applied in
// one order, the order of the log.
type Hub struct {
	store    Store
	log      *slog.Logger
	requests chan request
	quit     chan struct{}
	done     chan struct{}
	current  atomic.Pointer[Snapshot]
	stopOnce sync.Once

	// shared is the store as a SharedStore when other nodes write to it
	// too, and follow tells the run loop that they have committed to the
	// forum's log; both nil when only this process writes.
	shared     SharedStore
	follow     <-chan struct{}
	stopFollow context.CancelFunc
	// elsewhere holds who is connected on other nodes (shared stores
	// only), owned by the run goroutine.
	elsewhere map[string]bool

	// Owned by the run goroutine.
	state    *State
	presence map[string]int
	subs     map[*Subscription]struct{}
	// unsent says what has changed in h.current since the last fan-out,
	// one bit for each kind of change.
	unsent change
	// lastFan is when snapshots were last delivered, lastContent when
	// they last carried a change of content.
	lastFan, lastContent time.Time
	fanTimer             *time.Timer
	fanTimerC            <-chan time.Time
	fanDue               time.Time
}

// change is what a new snapshot changed, which decides how soon screens
// need it. The kinds are bits, in order of urgency: max of two is the more
// urgent, and a Hub's unsent changes are their union.
type change int

const (
	noChange change = 0
	// clockChange: only the time, while a timebox runs; the countdown
	// moves on every screen once a second.
	clockChange change = 1 << iota
	// presenceChange: only who is connected, or quiet events; screens show
	// a count, which can wait a second in a storm of people joining.
	presenceChange
	// contentChange: anything else, which people are waiting to see.
	contentChange
)

// A quietEvent changes nothing that anyone but a facilitator sees on
// screen (a vote on a secret ballot changes only how many have voted), so
// screens can have it as late as a change of presence. Whoever made the
// change has their answer already.
type quietEvent interface {
	quiet(st *State) bool
}

// A quietRecord is a quiet event that tells so by its record.
type quietRecord interface {
	quietAt(st *State, r Record) bool
}

// changeOf tells how soon screens need the committed records.
func changeOf(st *State, records []Record) change {
	for _, r := range records {
		switch q := r.Event.(type) {
		case quietEvent:
			if q.quiet(st) {
				continue
			}
		case quietRecord:
			if q.quietAt(st, r) {
				continue
			}
		}
		return contentChange
	}
	return presenceChange
}

// quietAt: a person's first naming (they joined as it was made) shows on
// no screen but their own and the facilitator's list of people. Taking
// part needs a name, so a newcomer's name is on nothing else yet. In a
// room of people joining at once, everyone's screen draws the newcomers
// as it draws who is connected, once a second; theirs draws it at once
// (showActors).
func (e ParticipantNamed) quietAt(_ *State, r Record) bool { return e.JoinedAt.Equal(r.At) }

// presenceEvery is fanOutEvery for a change only of who is connected.
const presenceEvery = time.Second

// fanOutEvery is the least time between two deliveries of changes of
// content to the screens. The pace holds back the trailing edge of a storm,
// never its leading one: a change after a quiet spell goes out at once; a
// storm of changes (a room voting, a hundred people joining) goes out at
// most this often, every screen drawing the latest. So the work of drawing
// grows with the number of screens, not with screens times changes, and a
// change waits at most this long to be seen. Deliveries of presence and of
// the clock do not count against it: a change of content is never held up
// because the countdown moved or someone arrived just before. Snapshot()
// is always up to date: only the delivery waits.
const fanOutEvery = 50 * time.Millisecond

// paceEachScreen widens fanOutEvery with the number of screens: drawing
// and sending one screen costs some 40 µs of a core at 1,000 screens
// (bench/RESULTS.md), so in a storm the screens take at most about half a
// core, whatever their number, and the rest is left for the commands that
// make the storm. At 1,000 screens content goes out every 100 ms, at 2,000
// every 200 ms (the longest a change in such a storm waits); below 500
// every fanOutEvery. Like fanOutEvery it holds back only the trailing edge:
// a change after a quiet spell goes out at once.
const paceEachScreen = 100 * time.Microsecond

// contentEvery is the least time between two deliveries of content to
// this Hub's screens.
func (h *Hub) contentEvery() time.Duration {
	return max(fanOutEvery, time.Duration(len(h.subs))*paceEachScreen)
}

type request struct {
	actor string
	cmd   Command
	// For presence changes, which are not commands and are not persisted.
	sub    *Subscription
	attach bool
	reply  chan reply
	// sync asks for the state to take what other nodes committed (Sync).
	sync bool
}

type reply struct {
	events []Event
	err    error
}

// NewHub opens the forum in the store and starts its Hub.
func NewHub(ctx context.Context, store Store, f *Forum, log *slog.Logger) (*Hub, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	h := &Hub{
		store:      store,
		log:        log.With("forum", f.Slug),
		requests:   make(chan request, maxBatch),
		quit:       make(chan struct{}),
		done:       make(chan struct{}),
		presence:   map[string]int{},
		subs:       map[*Subscription]struct{}{},
		stopFollow: func() {},
	}
	if shared, ok := store.(SharedStore); ok {
		// Following starts before the state is read, so that nothing
		// committed in between goes unnoticed.
		followCtx, cancel := context.WithCancel(context.Background())
		follow, err := shared.Follow(followCtx, f.Slug)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("follow forum %s: %w", f.Slug, err)
		}
		h.shared, h.follow, h.stopFollow = shared, follow, cancel
	}
	st, err := store.OpenForum(ctx, f)
	if err != nil {
		h.stopFollow()
		return nil, fmt.Errorf("open forum %s: %w", f.Slug, err)
	}
	h.state = st
	if err := h.seedThemes(ctx); err != nil {
		h.stopFollow()
		return nil, fmt.Errorf("forum %s: the agenda's themes: %w", f.Slug, err)
	}
	h.current.Store(st.snapshot(h.presence, time.Now(), nil))
	go h.run()
	return h, nil
}

// Forum is the definition the Hub runs.
func (h *Hub) Forum() *Forum { return h.Snapshot().Forum }

// Snapshot is the latest published state of the forum.
func (h *Hub) Snapshot() *Snapshot { return h.current.Load() }

// RoleOf tells what the holder of a key may do in this forum.
func (h *Hub) RoleOf(id string) Role { return h.Forum().RoleOf(id) }

// Do applies a command for the holder of key id and returns once it has
// been committed (nil) or refused (the reason). A refused command changes
// nothing.
func (h *Hub) Do(ctx context.Context, id string, cmd Command) error {
	_, err := h.Apply(ctx, id, cmd)
	return err
}

// Apply is Do that also returns the events the command caused, for callers
// that need to know what was made (the number of a new card, say).
func (h *Hub) Apply(ctx context.Context, id string, cmd Command) ([]Event, error) {
	r, err := h.send(ctx, request{actor: id, cmd: cmd})
	return r.events, err
}

func (h *Hub) send(ctx context.Context, r request) (reply, error) {
	// A caller that gave up after its command was queued would not know
	// whether its change was saved, so once queued, send waits for the
	// answer even if ctx ends meanwhile.
	r.reply = make(chan reply, 1)
	select {
	case h.requests <- r:
	case <-h.quit:
		return reply{}, ErrStopped
	case <-ctx.Done():
		return reply{}, ctx.Err()
	}
	select {
	case rep := <-r.reply:
		return rep, rep.err
	case <-h.done:
		// The run loop answers every request it took before it exits.
		select {
		case rep := <-r.reply:
			return rep, rep.err
		default:
			return reply{}, ErrStopped
		}
	}
}

// Sync brings the forum's state up to its log before the caller reads
// Snapshot: with several nodes on one store, whatever another node
// acknowledged before Sync was called is in the snapshot when it returns.
// With a store only this process writes, the snapshot is always up to date
// and Sync does nothing.
func (h *Hub) Sync(ctx context.Context) error {
	if h.shared == nil {
		return nil
	}
	_, err := h.send(ctx, request{sync: true})
	return err
}

// Subscription delivers snapshots to one screen. Its mailbox holds one
// snapshot, the latest: a subscriber that cannot keep up skips the ones in
// between and never delays the Hub or anyone else.
type Subscription struct {
	id      string
	mailbox chan *Snapshot
	hub     *Hub
	once    sync.Once
	// watcher is a read-only view (a projector): not a person, not counted
	// as connected.
	watcher bool
}

// Subscribe opens a screen for the holder of key id: they count as connected
// until Close. The first snapshot is waiting in the mailbox.
func (h *Hub) Subscribe(ctx context.Context, id string) (*Subscription, error) {
	s := &Subscription{id: id, mailbox: make(chan *Snapshot, 1), hub: h}
	if _, err := h.send(ctx, request{sub: s, attach: true}); err != nil {
		return nil, err
	}
	return s, nil
}

// C is the mailbox. It is never closed; a Stopping snapshot is the last.
func (s *Subscription) C() <-chan *Snapshot { return s.mailbox }

// Close ends the subscription; the person no longer counts as connected.
func (s *Subscription) Close() {
	s.once.Do(func() {
		_, _ = s.hub.send(context.Background(), request{sub: s, attach: false})
	})
}

func (s *Subscription) offer(snap *Snapshot) {
	for {
		select {
		case s.mailbox <- snap:
			return
		default:
		}
		// Full: take the stale snapshot out. Only the Hub sends, so after
		// this the next send succeeds unless the reader took it first,
		// which is just as good.
		select {
		case <-s.mailbox:
		default:
		}
	}
}

// Stop publishes a last snapshot that tells every screen the server is
// stopping, and ends the Hub. Commands already taken are answered first.
func (h *Hub) Stop() {
	h.stopOnce.Do(func() { close(h.quit) })
	<-h.done
}

func (h *Hub) run() {
	defer close(h.done)
	var tick *time.Ticker
	var tickC <-chan time.Time
	var presenceC <-chan time.Time
	if h.shared != nil {
		presence := time.NewTicker(PresenceEvery)
		defer presence.Stop()
		presenceC = presence.C
	}
	for {
		h.syncClock(&tick, &tickC)
		select {
		case r := <-h.requests:
			batch := []request{r}
		drain:
			for len(batch) < maxBatch {
				select {
				case r := <-h.requests:
					batch = append(batch, r)
				default:
					break drain
				}
			}
			h.apply(batch)
		case <-h.follow:
			if c := h.catchUp(); c != noChange {
				h.publish(c)
			}
		case <-presenceC:
			if h.sharePresence(h.connected()) {
				h.publish(presenceChange)
			}
		case <-tickC:
			// Only the time has moved: the snapshot as it was, at a later
			// clock, which screens redraw as no more than the countdown.
			h.current.Store(h.current.Load().Later(time.Now()))
			h.unsent |= clockChange
		case <-h.fanTimerC:
			h.fanTimer, h.fanTimerC = nil, nil
		case <-h.quit:
			h.stopFollow()
			if h.shared != nil {
				// The others stop counting this node's people at once.
				h.sharePresence(nil)
			}
			// Answer whatever is still queued, then say goodbye.
			for drained := false; !drained; {
				select {
				case r := <-h.requests:
					r.reply <- reply{err: ErrStopped}
				default:
					drained = true
				}
			}
			if tick != nil {
				tick.Stop()
			}
			if h.fanTimer != nil {
				h.fanTimer.Stop()
			}
			snap := h.state.snapshot(h.presence, time.Now(), h.current.Load())
			snap.Stopping = true
			h.current.Store(snap)
			for s := range h.subs {
				s.offer(snap)
			}
			return
		}
		h.fanOut()
	}
}

// fanOut delivers the current snapshot to every screen if it has changed,
// as soon as the most urgent of its changes may go out (due).
func (h *Hub) fanOut() {
	if h.unsent == noChange {
		return
	}
	due := h.due()
	if now := time.Now(); now.Before(due) {
		if h.fanTimer == nil || due.Before(h.fanDue) {
			if h.fanTimer != nil {
				h.fanTimer.Stop()
			}
			h.fanTimer, h.fanDue = time.NewTimer(due.Sub(now)), due
			h.fanTimerC = h.fanTimer.C
		}
		return
	}
	if h.fanTimer != nil {
		h.fanTimer.Stop()
		h.fanTimer, h.fanTimerC = nil, nil
	}
	snap := h.current.Load()
	for s := range h.subs {
		s.offer(snap)
	}
	now := time.Now()
	if h.unsent&contentChange != 0 {
		h.lastContent = now
	}
	h.unsent, h.lastFan = noChange, now
}

// due is when the unsent changes may go out: the clock at once; content
// contentEvery after the last delivery of content; presence presenceEvery
// after the last delivery of anything, which showed who was connected then.
func (h *Hub) due() time.Time {
	if h.unsent&clockChange != 0 {
		return time.Time{}
	}
	due := h.lastFan.Add(presenceEvery)
	if h.unsent&contentChange != 0 {
		if content := h.lastContent.Add(h.contentEvery()); content.Before(due) {
			due = content
		}
	}
	return due
}

// syncClock keeps one ticker per forum, running only while a timebox does,
// so that countdowns move on every screen without a ticker per person.
func (h *Hub) syncClock(tick **time.Ticker, tickC *<-chan time.Time) {
	running := h.state.Timer.Running()
	switch {
	case running && *tick == nil:
		*tick = time.NewTicker(time.Second)
		*tickC = (*tick).C
	case !running && *tick != nil:
		(*tick).Stop()
		*tick, *tickC = nil, nil
	}
}

// clock is the time a change is decided at, to the millisecond: the store
// keeps times to the millisecond, so a forum reads the same from memory as
// from disk (an export over SSH and moot export give the same bytes).
func clock() time.Time { return time.Now().Truncate(time.Millisecond) }

func (h *Hub) apply(batch []request) {
	replies := make([]reply, len(batch))
	changed := noChange
	var commands []int
	synced := false
	for i, r := range batch {
		switch {
		case r.sub != nil:
			h.applyPresence(r.sub, r.attach)
			changed = max(changed, presenceChange)
		case r.sync:
			synced = true
		default:
			commands = append(commands, i)
		}
	}
	if len(commands) > 0 {
		// Deciding takes what other nodes committed first. A command
		// that breaks (a panic, recover.go) sends the ones after it
		// round again, on the state brought back from the store.
		for len(commands) > 0 {
			var c change
			c, commands = h.decideAndCommit(batch, commands, replies)
			changed = max(changed, c)
		}
	} else if synced {
		changed = max(changed, h.catchUp())
	}
	if changed != noChange {
		h.publish(changed)
	}
	if changed == presenceChange {
		h.showActors(batch, replies)
	}
	for i, r := range batch {
		r.reply <- replies[i]
	}
}

// showActors offers the latest snapshot at once to the screens of those
// whose commands the batch committed, when what they changed waits for
// everyone else (a quiet event): a newcomer's screen names them, a
// voter's shows their dots, while the others' screens keep the pace of
// presence.
func (h *Hub) showActors(batch []request, replies []reply) {
	var actors map[string]bool
	for i, r := range batch {
		if r.cmd != nil && replies[i].err == nil && len(replies[i].events) > 0 {
			if actors == nil {
				actors = map[string]bool{}
			}
			actors[r.actor] = true
		}
	}
	if actors == nil {
		return
	}
	snap := h.current.Load()
	for s := range h.subs {
		if actors[s.id] {
			s.offer(snap)
		}
	}
}

// maxAttempts bounds how often the Hub decides a batch again after another
// node committed first. The second attempt holds the log, so it loses only
// to a writer that does not take the lock.
const maxAttempts = 3

// storeTimeout bounds each call the Hub makes to a shared store, so that a
// database across the network that stops answering holds people up, with
// an answer, for no longer than this.
const storeTimeout = 15 * time.Second

// storeContext is the context of a call to the store: bounded by
// storeTimeout for a shared store; an embedded one answers or fails by
// itself (SQLite's busy timeout).
func (h *Hub) storeContext() (context.Context, context.CancelFunc) {
	if h.shared == nil {
		return context.Background(), func() {}
	}
	return context.WithTimeout(context.Background(), storeTimeout)
}

// errBusy answers commands that lost the race to commit every time.
var errBusy = catalogue.Err("session.busy")

// decideAndCommit decides the batch's commands against the state and
// commits their events in one transaction, answering each in replies. On a
// shared store the state first takes what other nodes committed, so that a
// command sees every change acknowledged anywhere before it came. When
// another node committed first, the state goes back to what it was and the
// commands are decided again, this time with the log held (SharedStore.Lock)
// after taking that node's events: a command is answered as done only once
// its events are in the log.
//
// A command whose events could not be applied (a panic) is refused, and the
// state, which it may have half changed, is brought back from the store
// once the commands before it are committed; the commands after it are
// returned in rest, to be decided afresh.
func (h *Hub) decideAndCommit(batch []request, commands []int, replies []reply) (_ change, rest []int) {
	changed := noChange
	for attempt := 1; ; attempt++ {
		var base *State
		var held LockedLog
		commit := func(ctx context.Context, records []Record) error {
			return h.store.Commit(ctx, h.state.Forum.Slug, records)
		}
		if h.shared != nil {
			if attempt == 1 {
				// Whatever another node acknowledged before these
				// commands came is in the log: decide on it.
				changed = max(changed, h.catchUp())
			} else {
				var c change
				var err error
				if held, c, err = h.hold(); err != nil {
					h.log.Error("holding the log to decide again", "err", err)
					failAll(replies, commands, catalogue.Err("session.not_saved", err))
					return changed, nil
				}
				changed = max(changed, c)
				commit = held.Commit
			}
			base = h.state.clone()
		}
		now := clock()
		var records []Record
		broken := false
		rest = nil
		for k, i := range commands {
			r := batch[i]
			replies[i] = reply{}
			actor := Actor{ID: r.actor, Role: h.state.Forum.RoleOf(r.actor)}
			if err := refuseArchived(h.state, r.cmd); err != nil {
				replies[i].err = err
				continue
			}
			events, err := h.decide(r.cmd, actor, now)
			if err != nil {
				replies[i].err = err
				continue
			}
			before := len(records)
			if err := h.applyEvents(r.cmd, r.actor, events, now, &records); err != nil {
				records = records[:before]
				replies[i].err = err
				broken, rest = true, commands[k+1:]
				break
			}
			replies[i].events = events
		}
		if len(records) == 0 {
			if held != nil {
				held.Release()
			}
			if broken {
				h.reload()
				changed = max(changed, contentChange)
			}
			return changed, rest
		}
		ctx, cancel := h.storeContext()
		err := h.committing(func() error { return commit(ctx, records) })
		cancel()
		if held != nil {
			held.Release()
		}
		if err == nil {
			changed = max(changed, changeOf(h.state, records))
			if broken {
				h.reload()
				changed = max(changed, contentChange)
			}
			return changed, rest
		}
		if base == nil {
			h.log.Error("commit failed; reloading the forum from the store", "err", err, "events", len(records))
			failUnsaved(replies, catalogue.Err("session.not_saved", err))
			h.reload()
			return max(changed, contentChange), rest
		}
		// Nothing of this batch is in the log: back to the state before it
		// (a command that broke it, if one did, is out of it this time).
		h.state = base
		if broken {
			commands = append(commandsBefore(commands, rest), rest...)
		}
		if errors.Is(err, ErrConflict) && attempt < maxAttempts {
			h.log.Debug("another server committed first; deciding again", "attempt", attempt, "events", len(records))
			continue
		}
		if errors.Is(err, ErrConflict) {
			h.log.Warn("commands lost the race to commit every time", "attempts", attempt, "events", len(records))
			err = errBusy
		} else {
			h.log.Error("commit failed", "err", err, "events", len(records))
			err = catalogue.Err("session.not_saved", err)
		}
		failUnsaved(replies, err)
		failAll(replies, rest, err)
		return changed, nil
	}
}

// commandsBefore is commands up to the one that broke, which comes just
// before rest; it is answered already and not decided again.
func commandsBefore(commands, rest []int) []int {
	return append([]int(nil), commands[:len(commands)-len(rest)-1]...)
}

// hold holds the forum's log and applies what other nodes committed
// before, telling how soon screens need it.
func (h *Hub) hold() (LockedLog, change, error) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	held, err := h.shared.Lock(ctx, h.state.Forum.Slug)
	if err != nil {
		return nil, noChange, err
	}
	changed := noChange
	err = h.state.readLog(ctx, held, func(page []Record) {
		changed = max(changed, changeOf(h.state, page))
	})
	if err != nil {
		held.Release()
		return nil, changed, err
	}
	return held, changed, nil
}

// failAll answers every command of the batch with err.
func failAll(replies []reply, commands []int, err error) {
	for _, i := range commands {
		replies[i] = reply{err: err}
	}
}

// failUnsaved turns the answers of commands whose events were not saved
// into err.
func failUnsaved(replies []reply, err error) {
	for i := range replies {
		if len(replies[i].events) > 0 {
			replies[i] = reply{err: err}
		}
	}
}

// catchUp applies the events other nodes committed after the state's Seq,
// in log order, and tells how soon screens need them.
func (h *Hub) catchUp() change {
	changed := noChange
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	err := h.state.readLog(ctx, h.store, func(page []Record) {
		changed = max(changed, changeOf(h.state, page))
	})
	if err != nil {
		// The next notice (or the next lost race) tries again from the
		// last event applied.
		h.log.Error("catching up with other servers' changes", "err", err)
	}
	return changed
}

// reload puts the state back to what the store holds, undoing changes whose
// commit failed.
func (h *Hub) reload() {
	st, err := h.store.OpenForum(context.Background(), h.state.Forum)
	if err != nil {
		// The state in memory may now be ahead of the store; nothing that
		// was not committed was confirmed to anyone, but refuse to go on
		// building on it.
		h.log.Error("reload failed", "err", err)
		return
	}
	h.state = st
}

func (h *Hub) applyPresence(s *Subscription, attach bool) {
	if attach {
		h.subs[s] = struct{}{}
		// A new screen has something to draw at once, even while
		// deliveries to the others wait.
		s.offer(h.current.Load())
		if !s.watcher {
			h.presence[s.id]++
		}
		return
	}
	if _, ok := h.subs[s]; !ok {
		return
	}
	delete(h.subs, s)
	if s.watcher {
		return
	}
	if h.presence[s.id]--; h.presence[s.id] <= 0 {
		delete(h.presence, s.id)
	}
}

// publish makes a new snapshot of the state; fanOut delivers it.
func (h *Hub) publish(c change) {
	h.current.Store(h.state.snapshot(h.present(), time.Now(), h.current.Load()))
	h.unsent |= c
}

// present is who is connected: here, and on other nodes.
func (h *Hub) present() map[string]int {
	if len(h.elsewhere) == 0 {
		return h.presence
	}
	all := make(map[string]int, len(h.presence)+len(h.elsewhere))
	for id := range h.elsewhere {
		all[id] = 1
	}
	for id, n := range h.presence {
		all[id] += n
	}
	return all
}

// connected lists the people connected here.
func (h *Hub) connected() []string {
	ids := make([]string, 0, len(h.presence))
	for id := range h.presence {
		ids = append(ids, id)
	}
	return ids
}

// sharePresence tells the other nodes who is connected here and learns who
// is connected there, telling whether that changed.
func (h *Hub) sharePresence(here []string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), PresenceEvery)
	defer cancel()
	elsewhere, err := h.shared.SharePresence(ctx, h.state.Forum.Slug, here)
	if err != nil {
		// Presence is shared again at the next tick; a node that cannot
		// say is forgotten by the others after PresenceExpiry.
		h.log.Warn("sharing who is connected", "err", err)
		return false
	}
	changed := len(elsewhere) != len(h.elsewhere)
	next := make(map[string]bool, len(elsewhere))
	for _, id := range elsewhere {
		next[id] = true
		changed = changed || !h.elsewhere[id]
	}
	h.elsewhere = next
	return changed
}
