package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"moot/session"
)

// Report is everything one run measured.
type Report struct {
	Machine Machine `json:"machine"`
	N       int     `json:"n"`
	// Nodes is how many servers shared the participants (one PostgreSQL
	// database between them when more than one).
	Nodes int `json:"nodes"`
	// KeyExchange is the one key exchange the participants offered, or
	// "" for the SSH library's list (mlkem768x25519-sha256 first).
	KeyExchange string `json:"key_exchange"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	// Line: the participants were in line mode (ssh -T), not on screens.
	Line      bool         `json:"line_mode,omitempty"`
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
	// LoadAverage is the machine's load over 1, 5 and 15 minutes as the
	// run began (/proc/loadavg): other work on the same cores.
	LoadAverage string `json:"load_average"`
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
	// With several nodes: the screens of each node, the change having been
	// made on the first; and, per update, how much later the last screen
	// of each other node showed it than the last screen of the first.
	ByNode        []NodeScreens `json:"by_node,omitempty"`
	BehindFirst   Latencies     `json:"behind_first,omitempty"`
	Votes         int           `json:"votes,omitempty"`
	KilledNode    int           `json:"killed_node,omitempty"`
	VotedAgain    int           `json:"voted_again,omitempty"`
	ScreensMoved  int           `json:"screens_moved,omitempty"`
	KilledAfterAt int           `json:"killed_after_acks,omitempty"`
}

// NodeScreens is how one node's screens showed the changes.
type NodeScreens struct {
	Node       int       `json:"node"`
	Screens    Latencies `json:"screens"`
	AllScreens Latencies `json:"all_screens"`
	Reached    int       `json:"screens_reached"`
	Expected   int       `json:"screens_expected"`
}

// ServerStats is the server process's memory and CPU.
type ServerStats struct {
	PID               int     `json:"pid"`
	BaselineRSSKiB    int64   `json:"baseline_rss_kib"`
	ConnectedRSSKiB   int64   `json:"connected_rss_kib"`
	PeakRSSKiB        int64   `json:"peak_rss_kib"`
	RSSPerParticipant float64 `json:"rss_kib_per_participant"`
	CPUSeconds        float64 `json:"cpu_seconds"`
	// NodesCPUSeconds is every node's CPU over the run, the first first.
	NodesCPUSeconds []float64 `json:"nodes_cpu_seconds,omitempty"`
}

type loadRun struct {
	o   options
	rep *Report
	// addrs holds each node's address; people join them in turn, and the
	// facilitator the first.
	addrs   []string
	cluster *cluster
	procs   []*process
	fac     *gossh.Client
	proc    *process
	people  []*participant
	log     io.Writer
	errMu   sync.Mutex
	cpuFrom time.Duration

	// The current scenario's acknowledgements, per-screen times and
	// all-screens times; with several nodes, the same per node, and how
	// far each other node's last screen was behind the first's.
	acks, screens, alls []time.Duration
	nodeScreens         [][]time.Duration
	nodeAlls            [][]time.Duration
	nodeReached         []int
	nodeExpected        []int
	behind              []time.Duration
	// nodesCPU is each node's CPU when last read, for one killed since.
	nodesCPU []time.Duration
	// moved counts the people who reconnected to the first node.
	moved atomic.Int64
}

func (r *loadRun) fail(format string, v ...any) {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	if len(r.rep.Errors) < 50 {
		r.rep.Errors = append(r.rep.Errors, fmt.Sprintf(format, v...))
	}
}

func measure(o options, log io.Writer) (*Report, error) {
	r := &loadRun{o: o, log: log, rep: &Report{Machine: machine(), N: o.n, Nodes: o.nodes, KeyExchange: o.kex, Width: o.width, Height: o.height, Line: o.line, Errors: []string{}}}
	var facKey gossh.Signer
	if o.server != "" {
		c, err := spawnCluster(o)
		if err != nil {
			return nil, err
		}
		defer c.stop()
		r.cluster, facKey = c, c.key
		for _, n := range c.nodes {
			r.addrs = append(r.addrs, n.addr)
			r.procs = append(r.procs, &process{pid: n.cmd.Process.Pid})
		}
		r.proc = r.procs[0]
	} else {
		k, err := readKey(o.facKey)
		if err != nil {
			return nil, fmt.Errorf("--facilitator-key: %v", err)
		}
		r.addrs, facKey = []string{o.addr}, k
		if o.pid != 0 {
			r.proc = &process{pid: o.pid}
			r.procs = []*process{r.proc}
		}
	}
	fac, _, err := dial(r.addrs[0], facKey, o.timeout, o.kex)
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
	for i, p := range r.procs {
		// A killed node's CPU is what it had when it was last read.
		cpu, _ := p.cpu()
		if i < len(r.nodesCPU) {
			cpu = max(cpu, r.nodesCPU[i])
		}
		r.rep.Server.NodesCPUSeconds = append(r.rep.Server.NodesCPUSeconds, cpu.Seconds())
	}
	if r.proc != nil {
		_, r.rep.Server.PeakRSSKiB, _ = r.proc.memory()
		cpu, _ := r.proc.cpu()
		r.rep.Server.CPUSeconds = (cpu - r.cpuFrom).Seconds()
		// The first node's memory, over the people who joined it.
		n := 0
		for i := range r.people {
			if i%len(r.addrs) == 0 {
				n++
			}
		}
		if n > 0 && r.rep.Server.ConnectedRSSKiB > 0 {
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
			p, hs, err := r.joinOne(fmt.Sprintf("P%04d", i), i%len(r.addrs))
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

func (r *loadRun) joinOne(name string, node int) (*participant, time.Duration, error) {
	key, err := newKey()
	if err != nil {
		return nil, 0, err
	}
	c, hs, err := dial(r.addrs[node], key, r.o.timeout, r.o.kex)
	if err != nil {
		return nil, 0, err
	}
	p := &participant{name: name, key: key, client: c, node: node, line: r.o.line}
	if err := p.open(r.o.width, r.o.height); err != nil {
		return p, hs, err
	}
	if _, err := p.waitFor("What name should others see?", r.o.timeout); err != nil {
		return p, hs, err
	}
	if err := p.typ(name + p.enter()); err != nil {
		return p, hs, err
	}
	if _, err := p.waitFor("Which sector", r.o.timeout); err != nil {
		return p, hs, err
	}
	if err := p.typ(p.enter()); err != nil {
		return p, hs, err
	}
	if _, err := p.waitFor(p.joined(), r.o.timeout); err != nil {
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
	r.updateN(stats, text, 1, act)
}

// updateN is update waiting, in line mode, for text to be said times
// times.
func (r *loadRun) updateN(stats *UpdateStats, text string, times int, act func() ([]time.Duration, error)) {
	waits := make([]<-chan time.Time, len(r.people))
	bytes0 := int64(0)
	for i, p := range r.people {
		waits[i] = p.expectN(text, times)
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
	nodes := len(r.addrs)
	latest := make([]time.Duration, nodes)
	reached := make([]int, nodes)
	expected := make([]int, nodes)
	for _, p := range r.people {
		expected[p.node]++
	}
wait:
	for i, w := range waits {
		node := r.people[i].node
		select {
		case at := <-w:
			d := at.Sub(t0)
			r.screens = append(r.screens, d)
			r.nodeScreens[node] = append(r.nodeScreens[node], d)
			latest[node] = max(latest[node], d)
			reached[node]++
		case <-deadline:
			r.fail("%s: %q not on %d of %d screens after %v", r.people[i].name, text, len(waits)-i, len(waits), r.o.timeout)
			break wait
		}
	}
	bytes1 := int64(0)
	for _, p := range r.people {
		bytes1 += p.bytes.Load()
	}
	all := 0
	for node := range nodes {
		all += reached[node]
		r.nodeReached[node] += reached[node]
		r.nodeExpected[node] += expected[node]
		if reached[node] == expected[node] && expected[node] > 0 {
			r.nodeAlls[node] = append(r.nodeAlls[node], latest[node])
		}
		if node > 0 && reached[node] == expected[node] && reached[0] == expected[0] && expected[node] > 0 && expected[0] > 0 {
			r.behind = append(r.behind, latest[node]-latest[0])
		}
	}
	stats.Updates++
	stats.Reached += all
	stats.Expected += len(r.people)
	stats.BytesPerUser += float64(bytes1-bytes0) / float64(len(r.people))
	stats.ServerCPUSecs += (r.serverCPU() - cpu0).Seconds()
	if all == len(r.people) {
		r.alls = append(r.alls, slices.Max(latest))
	}
}

// begin clears what the last scenario measured.
func (r *loadRun) begin() {
	n := len(r.addrs)
	r.acks, r.screens, r.alls, r.behind = nil, nil, nil, nil
	r.nodeScreens, r.nodeAlls = make([][]time.Duration, n), make([][]time.Duration, n)
	r.nodeReached, r.nodeExpected = make([]int, n), make([]int, n)
}

func (r *loadRun) broadcast(steps []stepInfo) {
	stats := &UpdateStats{}
	r.begin()
	current := 1
	for round := 0; round < r.o.rounds; round++ {
		next := current%len(steps) + 1
		if len(steps) == 1 {
			r.fail("broadcast needs an agenda of two steps or more")
			return
		}
		title := steps[next-1].title
		// Measuring, not synchronising: the server is left quiet, as
		// between a facilitator's moves.
		time.Sleep(r.o.gap)
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
	if len(r.addrs) > 1 {
		for node := range r.addrs {
			stats.ByNode = append(stats.ByNode, NodeScreens{Node: node + 1, Screens: summarise(r.nodeScreens[node]),
				AllScreens: summarise(r.nodeAlls[node]), Reached: r.nodeReached[node], Expected: r.nodeExpected[node]})
		}
		stats.BehindFirst = summarise(r.behind)
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
	// screen is showing it. (In line mode a card is a command, taken on
	// the step the forum is on, which the step goto above committed.)
	for _, p := range r.people {
		if r.o.line {
			break
		}
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
	r.begin()
	// On a screen, every card counted; in line mode, a sentence for each.
	text, times := session.Count(total, "card", "cards"), 1
	if r.o.line {
		text, times = "Card ", len(r.people)
	}
	r.updateN(stats, text, times, func() ([]time.Duration, error) {
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
				write := "w"
				if p.line {
					write = "say "
				}
				if err := p.typ(write + "A point from " + p.name + p.enter()); err != nil {
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

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// killNode kills a node outright, keeping what CPU it had used.
func (r *loadRun) killNode(node int) {
	if cpu, err := r.procs[node].cpu(); err == nil {
		for len(r.nodesCPU) < len(r.procs) {
			r.nodesCPU = append(r.nodesCPU, 0)
		}
		r.nodesCPU[node] = cpu
	}
	r.cluster.nodes[node].kill()
}

// reconnect moves a participant from a dead node to the first one, once.
func (r *loadRun) reconnect(p *participant) error {
	p.moveMu.Lock()
	defer p.moveMu.Unlock()
	if p.node == 0 {
		return nil
	}
	r.moved.Add(1)
	return p.moveTo(0, r.addrs[0], r.o.width, r.o.height, r.o.timeout, r.o.kex)
}

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
	r.begin()
	var mu sync.Mutex
	var wg sync.WaitGroup
	// last holds each person's last acknowledged allocation: a vote
	// replaces the one before, so the stored tally must be their sum.
	type allocation struct{ a, b int }
	last := make([]*allocation, len(r.people))
	total := len(r.people) * r.o.voteRounds
	victim := len(r.addrs) - 1
	killAt := -1
	if r.o.killHalf {
		killAt = total / 2
	}
	acked := 0
	killed := make(chan struct{})
	start := make(chan struct{})
	for i, p := range r.people {
		wg.Add(1)
		go func(i int, p *participant) {
			defer wg.Done()
			<-start
			for round := 0; round < r.o.voteRounds; round++ {
				// Allocations differ from person to person and round to
				// round, so that the tally checks something: item a gets
				// 3 dots, item b gets 2.
				al := allocation{(i+round)%5 + 1, (i+round+2)%5 + 1}
				cmd := fmt.Sprintf("vote %s %d=3 %d=2", ballot, al.a, al.b)
				t0 := time.Now()
				_, err := exec(p.client, cmd, r.o.timeout)
				if err != nil && p.node == victim && isClosed(killed) {
					// Their server died: they reconnect to the first
					// node and vote again.
					if err = r.reconnect(p); err == nil {
						_, err = exec(p.client, cmd, r.o.timeout)
						mu.Lock()
						stats.VotedAgain++
						mu.Unlock()
					}
				}
				d := time.Since(t0)
				mu.Lock()
				if err != nil {
					mu.Unlock()
					r.fail("%s: %v", p.name, err)
					return
				}
				r.acks = append(r.acks, d)
				last[i] = &al
				acked++
				if acked == killAt {
					r.killNode(victim)
					stats.KilledNode, stats.KilledAfterAt = victim+1, acked
					close(killed)
				}
				mu.Unlock()
			}
		}(i, p)
	}
	cpu0 := r.serverCPU()
	t0 := time.Now()
	close(start)
	wg.Wait()
	stats.StormSeconds = time.Since(t0).Seconds()
	stats.ServerCPUSecs = (r.serverCPU() - cpu0).Seconds()
	stats.Votes = len(r.acks)
	expected := make([]int, 6) // dots per item, from acknowledged votes
	for _, al := range last {
		if al != nil {
			expected[al.a] += 3
			expected[al.b] += 2
		}
	}
	if isClosed(killed) {
		// Everyone whose screen was on the dead node comes back on the
		// first, before the results are shown.
		for _, p := range r.people {
			if err := r.reconnect(p); err != nil {
				r.fail("%s: reconnecting: %v", p.name, err)
			}
		}
		stats.ScreensMoved = int(r.moved.Load())
	}
	acks := r.acks
	results := "final results"
	if r.o.line {
		results = "has closed: Load"
	}
	r.update(stats, results, func() ([]time.Duration, error) {
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
