package server

import (
	"os"
	"testing"
)

func TestAddressReadsAndWritesJoinLines(t *testing.T) {
	host, _ := os.Hostname()
	for _, c := range []struct {
		in, user, want string
	}{
		{"forum.example.org", "", "ssh forum.example.org"},
		{"forum.example.org:22", "riverside", "ssh riverside@forum.example.org"},
		{"forum.example.org:2222", "riverside", "ssh -p 2222 riverside@forum.example.org"},
		{"192.0.2.7:2200", "", "ssh -p 2200 192.0.2.7"},
		{"[2001:db8::7]:2200", "demo", "ssh -p 2200 demo@[2001:db8::7]"},
		{"2001:db8::7", "", "ssh [2001:db8::7]"},
	} {
		a, err := ParseAddress(c.in)
		if err != nil {
			t.Errorf("ParseAddress(%q): %v", c.in, err)
			continue
		}
		if got := a.SSH(c.user); got != c.want {
			t.Errorf("ParseAddress(%q).SSH(%q) = %q, want %q", c.in, c.user, got, c.want)
		}
	}
	for _, bad := range []string{"", "host:0", "host:70000", "host:ssh", "user@host", ":2222"} {
		if a, err := ParseAddress(bad); err == nil {
			t.Errorf("ParseAddress(%q) = %+v, want an error", bad, a)
		}
	}
	if got := ListenAddress("127.0.0.1:2222").SSH(""); got != "ssh -p 2222 127.0.0.1" {
		t.Errorf("from 127.0.0.1:2222: %q", got)
	}
	if got := ListenAddress("0.0.0.0:2222").SSH(""); got != "ssh -p 2222 "+host {
		t.Errorf("from 0.0.0.0:2222: %q, want the host name %q", got, host)
	}
}
