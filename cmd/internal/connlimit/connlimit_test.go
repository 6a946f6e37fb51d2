package connlimit

import (
	"net"
	"testing"
)

func tcp(ip string) net.Addr { return &net.TCPAddr{IP: net.ParseIP(ip), Port: 40000} }

func TestCapsPerAddressAndInAll(t *testing.T) {
	l := New(2, 3)
	var releases []func()
	for i := range 2 {
		release, refused := l.Acquire(tcp("192.0.2.1"))
		if refused != nil {
			t.Fatalf("connection %d from one address refused under the cap: %v", i+1, refused)
		}
		releases = append(releases, release)
	}
	_, refused := l.Acquire(tcp("192.0.2.1"))
	if refused == nil || !refused.PerAddr || refused.Source != "192.0.2.1" {
		t.Fatalf("a third connection from one address: %+v, want refused per address", refused)
	}
	// Another address still gets in, up to the cap in all.
	other, refused := l.Acquire(tcp("192.0.2.2"))
	if refused != nil {
		t.Fatalf("another address refused: %v", refused)
	}
	if _, refused := l.Acquire(tcp("192.0.2.3")); refused == nil || refused.PerAddr {
		t.Fatalf("a fourth connection in all: %+v, want refused by the total", refused)
	}
	// Giving one back makes room, once only however often it is given.
	releases[0]()
	releases[0]()
	if got := l.Open(); got != 2 {
		t.Fatalf("open after one release (twice): %d, want 2", got)
	}
	if _, refused := l.Acquire(tcp("192.0.2.1")); refused != nil {
		t.Fatalf("after a release, refused: %v", refused)
	}
	other()
	releases[1]()
	if got := l.Open(); got != 1 {
		t.Fatalf("open: %d, want 1", got)
	}
}

func TestZeroIsNoCap(t *testing.T) {
	l := New(0, 0)
	for range 1000 {
		if _, refused := l.Acquire(tcp("192.0.2.1")); refused != nil {
			t.Fatal(refused)
		}
	}
}

func TestSourceGroupsAnIPv6Network(t *testing.T) {
	a := Source(tcp("2001:db8:1:2:aaaa::1"))
	b := Source(tcp("2001:db8:1:2:bbbb::7"))
	c := Source(tcp("2001:db8:1:3::1"))
	if a != b || a != "2001:db8:1:2::/64" {
		t.Errorf("two addresses of one /64: %q and %q, want both 2001:db8:1:2::/64", a, b)
	}
	if a == c {
		t.Errorf("addresses of two /64s share a source: %q", a)
	}
	if got := Source(tcp("::ffff:192.0.2.9")); got != "192.0.2.9" {
		t.Errorf("an IPv4-mapped address: %q", got)
	}
}
