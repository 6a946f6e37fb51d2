// Command moot-load measures how a moot server carries many people: it opens
// N SSH sessions to a server on this machine, each a simulated participant
// with its own key and a PTY, runs scenarios, and reports latencies, server
// CPU and memory.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

const usage = `moot-load: how many people one moot server carries, how fast, in how much memory.

Usage:
  moot-load --server PATH [flags]            start PATH (a moot binary) on a free
                                             loopback port with a fresh data
                                             directory, and measure it
  moot-load --addr HOST:PORT --facilitator-key FILE [--pid PID] [flags]
                                             measure a server already running on
                                             this machine (loopback only); every
                                             participant comes from 127.0.0.1, so
                                             serve it with --max-conns-per-addr 0
                                             (and --max-conns 0) for more than 300
  moot-load --server PATH --store postgres://USER@HOST:PORT/DB --nodes 2 [--kill-half] [flags]
                                             start PATH twice on one PostgreSQL
                                             database (a fresh one moot-load
                                             makes on that server and drops
                                             after), split the participants
                                             between the two, and measure how
                                             changes on the first reach the
                                             screens of the second

Scenarios (--scenarios, in this order; join always runs first):
  join       join storm: N participants connect, each with its own key and a
             PTY, give a name and skip the sector; reports connects per second
             and the SSH handshake and time-to-joined percentiles
  idle       hold every session for --idle and measure the server's CPU
  broadcast  the facilitator changes the step --rounds times, each --gap after
             the last change reached every screen (a change after a quiet
             spell, as a forum's are); for each change, the time to the
             facilitator's acknowledgement and until every participant's
             screen (read through a headless terminal) shows the new step's
             title; bytes sent per participant per update
  cards      card storm: on a dialogue step every participant writes a card on
             their screen at once; time until their own screen says saved, and
             until every screen counts every card
  votes      vote storm: the facilitator opens a ballot; every participant
             allocates their dots by SSH command at once (--vote-rounds times,
             each replacing the last); time to each acknowledgement
             (committed with full durability). With --kill-half the last
             node is killed (SIGKILL) once half the votes are acknowledged:
             the people on it reconnect to the first node, cast again the
             vote that failed, and the stored tally must still equal the
             acknowledged votes

With --line every participant joins in line mode instead (as ssh -T does:
no PTY); "their screen shows it" becomes "line mode said it": the new
step's title, a sentence for each card, the ballot closed.

Server CPU seconds and peak RSS come from /proc/PID of the server (known when
moot-load starts it, or given with --pid). Every loop is bounded in count and
time (--timeout for any one wait).

Flags:
`

type options struct {
	server, addr, facKey string
	store                string
	nodes                int
	killHalf             bool
	voteRounds           int
	pid                  int
	n, concurrency       int
	width, height        int
	line                 bool
	scenarios            string
	idle                 time.Duration
	rounds               int
	gap                  time.Duration
	timeout              time.Duration
	jsonOut              string
	cpuProfile           string
	kex                  string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("moot-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	fs.StringVar(&o.server, "server", "", "moot binary to start and measure")
	fs.StringVar(&o.addr, "addr", "", "address of a running server (loopback only)")
	fs.StringVar(&o.facKey, "facilitator-key", "", "private key file of one of the running server's facilitators")
	fs.StringVar(&o.store, "store", "", "with --server: a PostgreSQL server (postgres:// URL) to start the servers on, in a fresh database")
	fs.IntVar(&o.nodes, "nodes", 1, "with --server: how many servers to start; more than one needs --store")
	fs.BoolVar(&o.killHalf, "kill-half", false, "votes: kill the last node outright once half the votes are acknowledged")
	fs.IntVar(&o.voteRounds, "vote-rounds", 1, "votes: how many times each participant votes")
	fs.IntVar(&o.pid, "pid", 0, "process id of the running server, for CPU and memory")
	fs.IntVar(&o.n, "n", 100, "participants")
	fs.IntVar(&o.concurrency, "concurrency", 64, "participants joining at once")
	fs.IntVar(&o.width, "width", 80, "PTY width")
	fs.IntVar(&o.height, "height", 24, "PTY height")
	fs.BoolVar(&o.line, "line", false, "participants join in line mode (as ssh -T does: no PTY, sentences one a line) instead of a screen")
	fs.StringVar(&o.scenarios, "scenarios", "join,idle,broadcast,cards,votes", "comma-separated scenarios")
	fs.DurationVar(&o.idle, "idle", 10*time.Second, "how long the idle scenario holds the sessions")
	fs.IntVar(&o.rounds, "rounds", 5, "step changes in the broadcast scenario")
	fs.DurationVar(&o.gap, "gap", 200*time.Millisecond, "broadcast: the quiet spell before each step change")
	fs.DurationVar(&o.timeout, "timeout", 60*time.Second, "the longest any one wait may take")
	fs.StringVar(&o.jsonOut, "json", "", "also write the report as JSON to this file (- for stdout)")
	fs.StringVar(&o.kex, "kex", "", "the one SSH key exchange the participants offer, to compare its cost (e.g. curve25519-sha256); the server's preference is unchanged")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write moot-load's own CPU profile to this file (it shares the cores with the server)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := o.check(); err != nil {
		fmt.Fprintf(stderr, "moot-load: %v\n", err)
		return 2
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "moot-load: %v\n", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "moot-load: %v\n", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := measure(o, stderr)
	if rep != nil {
		rep.print(stdout)
		if o.jsonOut != "" {
			if werr := writeJSON(o.jsonOut, rep, stdout); werr != nil {
				fmt.Fprintf(stderr, "moot-load: %v\n", werr)
				return 1
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "moot-load: %v\n", err)
		return 1
	}
	if len(rep.Errors) > 0 {
		return 1
	}
	return 0
}

func (o *options) check() error {
	switch {
	case (o.server == "") == (o.addr == ""):
		return errors.New("give either --server PATH or --addr HOST:PORT")
	case o.addr != "" && o.facKey == "":
		return errors.New("--addr needs --facilitator-key")
	case o.n < 1 || o.n > 5000:
		return errors.New("--n must be from 1 to 5000")
	case o.concurrency < 1:
		return errors.New("--concurrency must be at least 1")
	case o.rounds < 1 || o.rounds > 1000:
		return errors.New("--rounds must be from 1 to 1000")
	case o.gap < 0 || o.gap > time.Minute:
		return errors.New("--gap must be from 0 to 1m")
	case o.nodes < 1 || o.nodes > 8:
		return errors.New("--nodes must be from 1 to 8")
	case o.nodes > 1 && o.store == "":
		return errors.New("--nodes above 1 needs --store: the servers share a PostgreSQL database")
	case o.store != "" && o.server == "":
		return errors.New("--store goes with --server")
	case o.store != "" && !strings.HasPrefix(o.store, "postgres://") && !strings.HasPrefix(o.store, "postgresql://"):
		return errors.New("--store takes a postgres:// URL")
	case o.killHalf && o.nodes < 2:
		return errors.New("--kill-half needs --nodes 2 or more: someone has to carry on")
	case o.voteRounds < 1 || o.voteRounds > 100:
		return errors.New("--vote-rounds must be from 1 to 100")
	}
	if o.store != "" {
		return loopbackOnly("--store", hostPort(o.store))
	}
	if o.addr != "" {
		return loopbackOnly("--addr", o.addr)
	}
	return nil
}

// loopbackOnly refuses any address that is not this machine's loopback: a
// load test sends traffic only to servers of one's own.
func loopbackOnly(flag, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s %q: %v", flag, addr, err)
	}
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("%s %q: cannot resolve %s", flag, addr, host)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("%s %q is not a loopback address; moot-load only loads servers on this machine", flag, addr)
		}
	}
	return nil
}

func writeJSON(path string, rep *Report, stdout io.Writer) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if path == "-" {
		_, err = stdout.Write(b)
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// spawned is a moot server moot-load started itself.
type spawned struct {
	cmd  *osexec.Cmd
	addr string
}

var joinLine = regexp.MustCompile(`ssh -p (\d+) (\S+)`)

// cluster is the servers moot-load started: one, or several on one
// PostgreSQL database, all with one facilitator key.
type cluster struct {
	nodes []*spawned
	dir   string
	key   gossh.Signer
	// dropDB drops the fresh database the nodes used, if any.
	dropDB func()
}

// spawnCluster starts o.nodes moot servers on free loopback ports, each
// with a data directory of its own (and, with --store, a fresh database
// they share).
func spawnCluster(o options) (*cluster, error) {
	dir, err := os.MkdirTemp("", "moot-load-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, dropDB: func() {}}
	if c.key, err = newKey(); err != nil {
		c.stop()
		return nil, err
	}
	pub := gossh.MarshalAuthorizedKey(c.key.PublicKey())
	if err := os.WriteFile(filepath.Join(dir, "facilitators"), pub, 0o600); err != nil {
		c.stop()
		return nil, err
	}
	store := ""
	if o.store != "" {
		if store, c.dropDB, err = freshDatabase(o.store, o.timeout); err != nil {
			c.stop()
			return nil, err
		}
	}
	for i := 0; i < o.nodes; i++ {
		// Every simulated participant comes from 127.0.0.1: one address,
		// so the caps on connections are lifted; every other bound is as
		// served.
		args := []string{"serve", "--listen", "127.0.0.1:0", "--data", filepath.Join(dir, fmt.Sprintf("data%d", i)),
			"--facilitators", filepath.Join(dir, "facilitators"), "--max-conns", "0", "--max-conns-per-addr", "0"}
		if store != "" {
			args = append(args, "--store", store)
		}
		n, err := spawn(o.server, args, o.timeout)
		if err != nil {
			c.stop()
			return nil, err
		}
		c.nodes = append(c.nodes, n)
	}
	return c, nil
}

func (c *cluster) stop() {
	for _, n := range c.nodes {
		n.stop()
	}
	c.dropDB()
	os.RemoveAll(c.dir)
}

// spawn starts the moot binary with args and waits for its join line.
func spawn(path string, args []string, timeout time.Duration) (*spawned, error) {
	cmd := osexec.Command(path, args...)
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &spawned{cmd: cmd}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := joinLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- net.JoinHostPort(m[2], m[1])
			}
		}
		close(found)
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			s.stop()
			return nil, fmt.Errorf("%s exited without serving", path)
		}
		s.addr = addr
		return s, nil
	case <-time.After(timeout):
		s.stop()
		return nil, fmt.Errorf("%s did not start within %v", path, timeout)
	}
}

func (s *spawned) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// kill ends the server outright, as a machine dying would.
func (s *spawned) kill() {
	_ = s.cmd.Process.Kill()
}

func readKey(path string) (gossh.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return gossh.ParsePrivateKey(b)
}

func machine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), Date: time.Now().UTC().Format(time.RFC3339)}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAverage = strings.Join(f[:3], " ")
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				m.MemoryKiB, _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			}
		}
	}
	return m
}
