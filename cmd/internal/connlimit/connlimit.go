// Package connlimit caps the connections a server holds open: from one
// source address, and in all. Every open socket costs a file descriptor and
// some memory whether or not its peer ever says a word, so without a cap a
// few hosts can hold enough of them to lock everyone else out.
package connlimit

import (
	"fmt"
	"net"
	"sync"
)

// Limiter counts open connections by source. Its zero value refuses
// nothing; use New.
type Limiter struct {
	perAddr, total int

	mu     sync.Mutex
	open   int
	byAddr map[string]int
}

// New caps connections at perAddr from one source and total in all; 0
// means no cap.
func New(perAddr, total int) *Limiter {
	return &Limiter{perAddr: perAddr, total: total, byAddr: map[string]int{}}
}

// Refusal says why a connection was not taken.
type Refusal struct {
	// Source is the address (or IPv6 /64) the connection came from.
	Source string
	// PerAddr is true when the source had too many open, false when the
	// server had.
	PerAddr bool
	Limit   int
}

func (r *Refusal) Error() string {
	if r.PerAddr {
		return fmt.Sprintf("%d connections are open from %s already (the most from one address)", r.Limit, r.Source)
	}
	return fmt.Sprintf("%d connections are open already (the most the server takes)", r.Limit)
}

// Acquire counts a new connection from addr, or refuses it. A counted
// connection must be released exactly once, by calling release.
func (l *Limiter) Acquire(addr net.Addr) (release func(), refused *Refusal) {
	src := Source(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.total > 0 && l.open >= l.total:
		return nil, &Refusal{Source: src, Limit: l.total}
	case l.perAddr > 0 && l.byAddr[src] >= l.perAddr:
		return nil, &Refusal{Source: src, PerAddr: true, Limit: l.perAddr}
	}
	l.open++
	l.byAddr[src]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.open--
			if l.byAddr[src]--; l.byAddr[src] <= 0 {
				delete(l.byAddr, src)
			}
		})
	}, nil
}

// Open is how many connections are counted now.
func (l *Limiter) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

// Source names the source a connection is counted under: its IPv4 address,
// or the /64 network of an IPv6 one, since one IPv6 host commonly holds a
// whole /64 and could otherwise take a new address for every connection.
func Source(addr net.Addr) string {
	var ip net.IP
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip = a.IP
	default:
		host, _, err := net.SplitHostPort(addr.String())
		if err != nil {
			return addr.String()
		}
		ip = net.ParseIP(host)
		if ip == nil {
			return host
		}
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}
