package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Latencies summarises a set of durations, in milliseconds.
type Latencies struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P95   float64 `json:"p95_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

func summarise(ds []time.Duration) Latencies {
	if len(ds) == 0 {
		return Latencies{}
	}
	sorted := append([]time.Duration(nil), ds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	// Nearest rank: the smallest value with at least q of the set at or
	// below it.
	at := func(q float64) float64 {
		i := int(q*float64(len(sorted))+0.999999) - 1
		return ms(sorted[min(max(i, 0), len(sorted)-1)])
	}
	return Latencies{Count: len(sorted), P50: at(0.50), P95: at(0.95), P99: at(0.99), Max: ms(sorted[len(sorted)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (l Latencies) String() string {
	if l.Count == 0 {
		return "-"
	}
	return fmt.Sprintf("p50 %.1f  p95 %.1f  p99 %.1f  max %.1f ms", l.P50, l.P95, l.P99, l.Max)
}

// process reads a server process's CPU time and memory from /proc.
type process struct{ pid int }

// ticksPerSecond is USER_HZ, 100 on every Linux this runs on.
const ticksPerSecond = 100

// cpu is the user plus system CPU time the process has used.
func (p process) cpu() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid))
	if err != nil {
		return 0, err
	}
	// The command name is in parentheses and may hold spaces; fields
	// start after the last ')'.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", p.pid)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("unreadable /proc/%d/stat", p.pid)
	}
	return time.Duration(utime+stime) * time.Second / ticksPerSecond, nil
}

// memory returns the resident set now and its peak, in KiB.
func (p process) memory() (rss, peak int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = n
		case "VmHWM":
			peak = n
		}
	}
	return rss, peak, nil
}

// print writes the report as a table.
func (rep *Report) print(w io.Writer) {
	nodes := ""
	if rep.Nodes > 1 {
		nodes = fmt.Sprintf(" on %d nodes", rep.Nodes)
	}
	terminals := fmt.Sprintf("%dx%d PTYs", rep.Width, rep.Height)
	if rep.Line {
		terminals = "in line mode"
	}
	kex := rep.KeyExchange
	if kex == "" {
		kex = "default key exchanges"
	}
	fmt.Fprintf(w, "moot-load: N=%d participants%s, %s, %s; %d cores, %.1f GiB, load average %s at the start, %s, %s\n\n",
		rep.N, nodes, terminals, kex, rep.Machine.Cores, float64(rep.Machine.MemoryKiB)/(1<<20), rep.Machine.LoadAverage, rep.Machine.GoVersion, rep.Machine.Date)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tfigure\tvalue")
	if j := rep.Join; j != nil {
		fmt.Fprintf(tw, "join\tjoined\t%d in %.2fs (%.0f per second)\n", j.Joined, j.Seconds, j.PerSecond)
		fmt.Fprintf(tw, "join\tSSH handshake\t%s\n", j.Handshake)
		fmt.Fprintf(tw, "join\tto named on screen\t%s\n", j.ToJoined)
		fmt.Fprintf(tw, "join\tserver CPU\t%.2fs\n", j.ServerCPUSecs)
	}
	if i := rep.Idle; i != nil {
		fmt.Fprintf(tw, "idle\tserver CPU\t%.2fs in %.1fs (%.1f%% of one core)\n", i.ServerCPUSecs, i.Seconds, i.CPUPercent)
	}
	for _, u := range []struct {
		name  string
		stats *UpdateStats
	}{{"broadcast", rep.Broadcast}, {"cards", rep.Cards}, {"votes", rep.Votes}} {
		if u.stats == nil {
			continue
		}
		s := u.stats
		fmt.Fprintf(tw, "%s\tacknowledged\t%s\n", u.name, s.Ack)
		fmt.Fprintf(tw, "%s\teach screen\t%s\n", u.name, s.Screens)
		fmt.Fprintf(tw, "%s\tall screens\t%s\n", u.name, s.AllScreens)
		fmt.Fprintf(tw, "%s\tscreens reached\t%d of %d over %d updates\n", u.name, s.Reached, s.Expected, s.Updates)
		fmt.Fprintf(tw, "%s\tbytes per participant per update\t%.0f\n", u.name, s.BytesPerUser)
		fmt.Fprintf(tw, "%s\tserver CPU\t%.2fs\n", u.name, s.ServerCPUSecs)
		for _, n := range s.ByNode {
			fmt.Fprintf(tw, "%s\tnode %d: each screen\t%s\n", u.name, n.Node, n.Screens)
			fmt.Fprintf(tw, "%s\tnode %d: all its screens\t%s (%d of %d reached)\n", u.name, n.Node, n.AllScreens, n.Reached, n.Expected)
		}
		if s.BehindFirst.Count > 0 {
			fmt.Fprintf(tw, "%s\tlast screen of another node after the first's\t%s\n", u.name, s.BehindFirst)
		}
		if s.StormSeconds > 0 {
			fmt.Fprintf(tw, "%s\tevery vote acknowledged within\t%.2fs (%d votes); stored tally equals acknowledged votes: %v\n", u.name, s.StormSeconds, s.Votes, s.TallyMatches)
		}
		if s.KilledNode > 0 {
			fmt.Fprintf(tw, "%s\tnode %d killed after\t%d acknowledged votes; %d voted again on node 1, %d screens moved there\n", u.name, s.KilledNode, s.KilledAfterAt, s.VotedAgain, s.ScreensMoved)
		}
	}
	if s := rep.Server; s.PID != 0 {
		if rep.Nodes > 1 {
			fmt.Fprintf(tw, "server\tthe figures below are the first node's\t\n")
		}
		fmt.Fprintf(tw, "server\tRSS baseline / connected / peak\t%d / %d / %d KiB\n", s.BaselineRSSKiB, s.ConnectedRSSKiB, s.PeakRSSKiB)
		fmt.Fprintf(tw, "server\tRSS per connected participant\t%.0f KiB\n", s.RSSPerParticipant)
		fmt.Fprintf(tw, "server\tCPU, whole run\t%.2fs\n", s.CPUSeconds)
		if len(s.NodesCPUSeconds) > 1 {
			cpus := make([]string, len(s.NodesCPUSeconds))
			for i, c := range s.NodesCPUSeconds {
				cpus[i] = fmt.Sprintf("%.2fs", c)
			}
			fmt.Fprintf(tw, "server\tCPU of each node (since it started)\t%s\n", strings.Join(cpus, " / "))
		}
	}
	fmt.Fprintf(tw, "moot-load\tits own CPU, whole run\t%.2fs\n", rep.LoadCPUSecs)
	tw.Flush()
	if len(rep.Errors) > 0 {
		fmt.Fprintf(w, "\n%d errors:\n", len(rep.Errors))
		for _, e := range rep.Errors {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}
