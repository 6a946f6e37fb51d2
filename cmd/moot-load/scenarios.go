package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"moot/session"
)

// Report is everything one run measured.
type Report struct {
	Machine   Machine      `json:"machine"`
	N         int          `json:"n"`
	Width     int          `json:"width"`
	Height    int          `json:"height"`
	Join      *JoinResult  `json:"join,omitempty"`
	Idle      *IdleResult  `json:"idle,omitempty"`
	Broadcast *UpdateStats `json:"broadcast,omitempty"`
	Cards     *UpdateStats `json:"cards,omitempty"`
	Votes     *UpdateStats `json:"votes,omitempty"`
	Server    ServerStats  `json:"server"`
	// LoadCPUSecs is the CPU the load generator itself used: on the same
	// machine, it competes with the server for the cores.
	LoadCPUSecs float64  `json:"load_generator_cpu_seconds"`
	Errors      []string `json:"errors"`
}

// Machine is where the figures were taken.
type Machine struct {
	Cores     int    `json:"cores"`
	MemoryKiB int64  `json:"memory_kib"`
	GoVersion string `json:"go"`
	Date      string `json:"date"`
}

// JoinResult is the join storm.
type JoinResult struct {
	Joined        int       `json:"joined"`
	Seconds       float64   `json:"seconds"`
	PerSecond     float64   `json:"per_second"`
	Handshake     Latencies `json:"handshake"`
	ToJoined      Latencies `json:"to_joined"`
	ServerCPUSecs float64   `json:"server_cpu_seconds"`
}

// IdleResult is the server's CPU while nothing happens.
type IdleResult struct {
	Seconds       float64 `json:"seconds"`
	ServerCPUSecs float64 `json:"server_cpu_seconds"`
	CPUPercent    float64 `json:"cpu_percent_of_one_core"`
}

// UpdateStats is one kind of change: how long until it was acknowledged,
// and until every screen showed it.
type UpdateStats struct {
	Updates       int       `json:"updates"`
	Ack           Latencies `json:"ack"`
	Screens       Latencies `json:"screens"`
	AllScreens    Latencies `json:"all_screens"`
	Reached       int       `json:"screens_reached"`
	Expected      int       `json:"screens_expected"`
	BytesPerUser  float64   `json:"bytes_per_participant_per_update"`
	ServerCPUSecs float64   `json:"server_cpu_seconds"`
	// For the vote storm: how long until every vote was acknowledged, and
	// whether the stored tally equals the acknowledged allocations.
	StormSeconds float64 `json:"storm_seconds,omitempty"`
	TallyMatches bool    `json:"tally_matches,omitempty"`
}

// ServerStats is the server process's memory and CPU.
type ServerStats struct {
	PID               int     `json:"pid"`
	BaselineRSSKiB    int64   `json:"baseline_rss_kib"`
	ConnectedRSSKiB   int64   `json:"connected_rss_kib"`
	PeakRSSKiB        int64   `json:"peak_rss_kib"`
	RSSPerParticipant float64 `json:"rss_kib_per_participant"`
	CPUSeconds        float64 `json:"cpu_seconds"`
}

type loadRun struct {
	o       options
	rep     *Report
	addr    string
	fac     *gossh.Client
	proc    *process
	people  []*participant
	log     io.Writer
	errMu   sync.Mutex
	cpuFrom time.Duration

	// The current scenario's acknowledgements, per-screen times and
	// all-screens times.
	acks, screens, alls []time.Duration
}

func (r *loadRun) fail(format string, v ...any) {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	if len(r.rep.Errors) < 50 {
		r.rep.Errors = append(r.rep.Errors, fmt.Sprintf(format, v...))
	}
}

func measure(o options, log io.Writer) (*Report, error) {
	r := &loadRun{o: o, log: log, rep: &Report{Machine: machine(), N: o.n, Width: o.width, Height: o.height, Errors: []string{}}}
	var facKey gossh.Signer
	if o.server != "" {
		s, err := spawn(o.server, o.timeout)
		if err != nil {
			return nil, err
		}
		defer s.stop()
		r.addr, facKey = s.addr, s.key
		r.proc = &process{pid: s.cmd.Process.Pid}
	} else {
		k, err := readKey(o.facKey)
		if err != nil {
			return nil, fmt.Errorf("--facilitator-key: %v", err)
		}
		r.addr, facKey = o.addr, k
		if o.pid != 0 {
			r.proc = &process{pid: o.pid}
		}
	}
	fac, _, err := dial(r.addr, facKey, o.timeout)
	if err != nil {
		return nil, fmt.Errorf("facilitator: %v", err)
	}
	defer fac.Close()
	r.fac = fac
	if _, err := exec(fac, "name Load facilitator", o.timeout); err != nil {
		return nil, err
	}
	if r.proc != nil {
		r.rep.Server.PID = r.proc.pid
		r.rep.Server.BaselineRSSKiB, _, _ = r.proc.memory()
		r.cpuFrom, _ = r.proc.cpu()
	}
	defer func() {
		for _, p := range r.people {
			p.close()
		}
	}()

	steps, err := r.learnSteps()
	if err != nil {
		return r.rep, err
	}
	want := map[string]bool{}
	for _, s := range strings.Split(o.scenarios, ",") {
		want[strings.TrimSpace(s)] = true
	}
	fmt.Fprintf(log, "joining %d participants...\n", o.n)
	r.join()
	if len(r.people) == 0 {
		return r.rep, fmt.Errorf("nobody could join")
	}
	if r.proc != nil {
		r.rep.Server.ConnectedRSSKiB, _, _ = r.proc.memory()
	}
	if want["idle"] {
		fmt.Fprintf(log, "idle for %v...\n", o.idle)
		r.idle()
	}
	if want["broadcast"] {
		fmt.Fprintf(log, "broadcast, %d rounds...\n", o.rounds)
		r.broadcast(steps)
	}
	if want["cards"] {
		fmt.Fprintln(log, "card storm...")
		r.cards(steps)
	}
	if want["votes"] {
		fmt.Fprintln(log, "vote storm...")
		r.votes(steps)
	}
	if self, err := (process{pid: os.Getpid()}).cpu(); err == nil {
		r.rep.LoadCPUSecs = self.Seconds()
	}
	if r.proc != nil {
		_, r.rep.Server.PeakRSSKiB, _ = r.proc.memory()
		cpu, _ := r.proc.cpu()
		r.rep.Server.CPUSeconds = (cpu - r.cpuFrom).Seconds()
		if n := len(r.people); n > 0 && r.rep.Server.ConnectedRSSKiB > 0 {
			r.rep.Server.RSSPerParticipant = float64(r.rep.Server.ConnectedRSSKiB-r.rep.Server.BaselineRSSKiB) / float64(n)
		}
	}
	return r.rep, nil
}

// stepInfo is one agenda step as the load needs it.
type stepInfo struct {
	index int
	title string
	phase string
}

var stepLine = regexp.MustCompile(`^step (\d+)/(\d+): (.*) \[(\w+)\]$`)

// learnSteps walks the facilitator through the agenda once to learn every
// step's title and phase, and leaves the forum on step 1.
func (r *loadRun) learnSteps() ([]stepInfo, error) {
	out, err := exec(r.fac, "status --json", r.o.timeout)
	if err != nil {
		return nil, err
	}
	var status struct {
		Step struct {
			Count int `json:"count"`
		} `json:"step"`
	}
	if err := json.Unmarshal([]byte(out), &status); err != nil {
		return nil, fmt.Errorf("status --json: %v", err)
	}
	var steps []stepInfo
	for i := status.Step.Count; i >= 1; i-- {
		out, err := exec(r.fac, fmt.Sprintf("step goto %d", i), r.o.timeout)
		if err != nil {
			return nil, err
		}
		m := stepLine.FindStringSubmatch(strings.TrimSpace(out))
		if m == nil {
			return nil, fmt.Errorf("unexpected answer to step goto: %q", out)
		}
		steps = append([]stepInfo{{index: i, title: m[3], phase: m[4]}}, steps...)
	}
	return steps, nil
}

func (r *loadRun) serverCPU() time.Duration {
	if r.proc == nil {
		return 0
	}
	d, _ := r.proc.cpu()
	return d
}

// join connects every participant, --concurrency at a time.
func (r *loadRun) join() {
	type joined struct {
		p         *participant
		handshake time.Duration
		total     time.Duration
	}
	results := make(chan joined, r.o.n)
	sem := make(chan struct{}, r.o.concurrency)
	cpu0 := r.serverCPU()
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < r.o.n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			t0 := time.Now()
			p, hs, err := r.joinOne(fmt.Sprintf("P%04d", i))
			if err != nil {
				r.fail("join %d: %v", i, err)
				if p != nil {
					p.close()
				}
				return
			}
			results <- joined{p: p, handshake: hs, total: time.Since(t0)}
		}(i)
	}
	wg.Wait()
	close(results)
	elapsed := time.Since(start)
	var hs, totals []time.Duration
	for j := range results {
		r.people = append(r.people, j.p)
		hs = append(hs, j.handshake)
		totals = append(totals, j.total)
	}
	r.rep.Join = &JoinResult{
		Joined: len(r.people), Seconds: elapsed.Seconds(), PerSecond: float64(len(r.people)) / elapsed.Seconds(),
		Handshake: summarise(hs), ToJoined: summarise(totals), ServerCPUSecs: (r.serverCPU() - cpu0).Seconds(),
	}
}

func (r *loadRun) joinOne(name string) (*participant, time.Duration, error) {
	key, err := newKey()
	if err != nil {
		return nil, 0, err
	}
	c, hs, err := dial(r.addr, key, r.o.timeout)
	if err != nil {
		return nil, 0, err
	}
	p := &participant{name: name, key: key, client: c}
	if err := p.open(r.o.width, r.o.height); err != nil {
		return p, hs, err
	}
	if _, err := p.waitFor("What name should others see?", r.o.timeout); err != nil {
		return p, hs, err
	}
	if err := p.typ(name + "\r"); err != nil {
		return p, hs, err
	}
	if _, err := p.waitFor("Which sector", r.o.timeout); err != nil {
		return p, hs, err
	}
	if err := p.typ("\r"); err != nil {
		return p, hs, err
	}
	if _, err := p.waitFor("you are "+name, r.o.timeout); err != nil {
		return p, hs, err
	}
	return p, hs, nil
}

func (r *loadRun) idle() {
	cpu0 := r.serverCPU()
	start := time.Now()
	time.Sleep(r.o.idle) // measuring, not synchronising: the server is left alone
	secs := time.Since(start).Seconds()
	cpu := (r.serverCPU() - cpu0).Seconds()
	r.rep.Idle = &IdleResult{Seconds: secs, ServerCPUSecs: cpu, CPUPercent: 100 * cpu / secs}
}

// update makes one change and times it: act makes the change and returns
// its acknowledgement times, and every participant's screen is watched for
// text.
func (r *loadRun) update(stats *UpdateStats, text string, act func() ([]time.Duration, error)) {
	waits := make([]<-chan time.Time, len(r.people))
	bytes0 := int64(0)
	for i, p := range r.people {
		waits[i] = p.expect(text)
		bytes0 += p.bytes.Load()
	}
	cpu0 := r.serverCPU()
	t0 := time.Now()
	acks, err := act()
	r.acks = append(r.acks, acks...)
	if err != nil {
		r.fail("%v", err)
		return
	}
	deadline := time.After(r.o.timeout)
	var latest time.Duration
	reached := 0
wait:
	for i, w := range waits {
		select {
		case at := <-w:
			d := at.Sub(t0)
			r.screens = append(r.screens, d)
			latest = max(latest, d)
			reached++
		case <-deadline:
			r.fail("%s: %q not on %d of %d screens after %v", r.people[i].name, text, len(waits)-i, len(waits), r.o.timeout)
			break wait
		}
	}
	bytes1 := int64(0)
	for _, p := range r.people {
		bytes1 += p.bytes.Load()
	}
	stats.Updates++
	stats.Reached += reached
	stats.Expected += len(r.people)
	stats.BytesPerUser += float64(bytes1-bytes0) / float64(len(r.people))
	stats.ServerCPUSecs += (r.serverCPU() - cpu0).Seconds()
	if reached == len(r.people) {
		r.alls = append(r.alls, latest)
	}
}

func (r *loadRun) broadcast(steps []stepInfo) {
	stats := &UpdateStats{}
	r.acks, r.screens, r.alls = nil, nil, nil
	current := 1
	for round := 0; round < r.o.rounds; round++ {
		next := current%len(steps) + 1
		if len(steps) == 1 {
			r.fail("broadcast needs an agenda of two steps or more")
			return
		}
		title := steps[next-1].title
		r.update(stats, title, func() ([]time.Duration, error) {
			t0 := time.Now()
			_, err := exec(r.fac, fmt.Sprintf("step goto %d", next), r.o.timeout)
			return []time.Duration{time.Since(t0)}, err
		})
		current = next
	}
	r.finish(stats)
	r.rep.Broadcast = stats
}

func (r *loadRun) finish(stats *UpdateStats) {
	stats.Ack = summarise(r.acks)
	stats.Screens = summarise(r.screens)
	stats.AllScreens = summarise(r.alls)
	if stats.Updates > 0 {
		stats.BytesPerUser /= float64(stats.Updates)
	}
}

// cards: every participant writes a card on their own screen at once; the
// acknowledgement is their screen saying saved, the update reaching every
// screen is every screen counting every card.
func (r *loadRun) cards(steps []stepInfo) {
	dialogue := 0
	for _, s := range steps {
		if s.phase == "dialogue" {
			dialogue = s.index
			break
		}
	}
	if dialogue == 0 {
		r.fail("cards: the agenda has no dialogue step")
		return
	}
	if _, err := exec(r.fac, fmt.Sprintf("step goto %d", dialogue), r.o.timeout); err != nil {
		r.fail("cards: %v", err)
		return
	}
	// Everyone writes on the dialogue step's screen, so wait until every
	// screen is showing it.
	for _, p := range r.people {
		if _, err := p.waitFor(steps[dialogue-1].title, r.o.timeout); err != nil {
			r.fail("cards: %v", err)
			return
		}
	}
	out, err := exec(r.fac, "cards --json", r.o.timeout)
	if err != nil {
		r.fail("cards: %v", err)
		return
	}
	var before []json.RawMessage
	_ = json.Unmarshal([]byte(out), &before)
	total := len(before) + len(r.people)
	stats := &UpdateStats{}
	r.acks, r.screens, r.alls = nil, nil, nil
	r.update(stats, session.Count(total, "card", "cards"), func() ([]time.Duration, error) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		var acks []time.Duration
		for _, p := range r.people {
			wg.Add(1)
			go func(p *participant) {
				defer wg.Done()
				// The person's own screen saying saved is their
				// acknowledgement: the card was committed before it showed.
				saved := p.expect("saved")
				t0 := time.Now()
				if err := p.typ("wA point from " + p.name + "\r"); err != nil {
					r.fail("%s: %v", p.name, err)
					return
				}
				select {
				case at := <-saved:
					mu.Lock()
					acks = append(acks, at.Sub(t0))
					mu.Unlock()
				case <-time.After(r.o.timeout):
					r.fail("%s: no saved on screen after %v", p.name, r.o.timeout)
				}
			}(p)
		}
		wg.Wait()
		return acks, nil
	})
	r.finish(stats)
	r.rep.Cards = stats
}

var ballotOpened = regexp.MustCompile(`ballot #(\d+) open`)

// votes: the facilitator opens a ballot of five items on a voting step;
// every participant allocates their five dots by SSH command at once. The
// acknowledgement is the command's answer, sent after the commit. The
// ballot is then closed, and the update reaching every screen is every
// screen showing the final results; the stored tally must equal the sum of
// the acknowledged allocations.
func (r *loadRun) votes(steps []stepInfo) {
	voting := 0
	for _, s := range steps {
		if s.phase == "voting" {
			voting = s.index
			break
		}
	}
	if voting == 0 {
		r.fail("votes: the agenda has no voting step")
		return
	}
	if _, err := exec(r.fac, fmt.Sprintf("step goto %d", voting), r.o.timeout); err != nil {
		r.fail("votes: %v", err)
		return
	}
	out, err := exec(r.fac, "ballot open --title Load --item First --item Second --item Third --item Fourth --item Fifth --dots 5", r.o.timeout)
	if err != nil {
		r.fail("votes: %v", err)
		return
	}
	m := ballotOpened.FindStringSubmatch(out)
	if m == nil {
		r.fail("votes: unexpected answer to ballot open: %q", out)
		return
	}
	ballot := m[1]
	stats := &UpdateStats{}
	r.acks, r.screens, r.alls = nil, nil, nil
	var mu sync.Mutex
	var wg sync.WaitGroup
	expected := make([]int, 6) // dots per item, from acknowledged votes
	start := make(chan struct{})
	for i, p := range r.people {
		// Allocations differ from person to person, so that the tally
		// checks something: item a gets 3 dots, item b gets 2.
		a, b := i%5+1, (i+2)%5+1
		wg.Add(1)
		go func(p *participant) {
			defer wg.Done()
			<-start
			t0 := time.Now()
			_, err := exec(p.client, fmt.Sprintf("vote %s %d=3 %d=2", ballot, a, b), r.o.timeout)
			d := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				r.fail("%s: %v", p.name, err)
				return
			}
			r.acks = append(r.acks, d)
			expected[a] += 3
			expected[b] += 2
		}(p)
	}
	cpu0 := r.serverCPU()
	t0 := time.Now()
	close(start)
	wg.Wait()
	stats.StormSeconds = time.Since(t0).Seconds()
	stats.ServerCPUSecs = (r.serverCPU() - cpu0).Seconds()
	acks := r.acks
	r.update(stats, "final results", func() ([]time.Duration, error) {
		_, err := exec(r.fac, "ballot close "+ballot, r.o.timeout)
		return nil, err
	})
	r.acks = acks
	r.finish(stats)
	r.rep.Votes = stats
	out, err = exec(r.fac, "results "+ballot+" --json", r.o.timeout)
	if err != nil {
		r.fail("votes: %v", err)
		return
	}
	var res struct {
		Items []struct {
			ID   int `json:"id"`
			Dots int `json:"dots"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		r.fail("votes: results --json: %v", err)
		return
	}
	for _, it := range res.Items {
		if it.ID < 1 || it.ID > 5 || it.Dots != expected[it.ID] {
			r.fail("votes: item %d has %d dots stored, %d acknowledged", it.ID, it.Dots, expected[min(max(it.ID, 0), 5)])
		}
	}
	stats.TallyMatches = len(res.Items) == 5 && len(r.rep.Errors) == 0
}
