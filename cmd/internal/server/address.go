package server

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// Address is where people reach the server, as they type it into ssh: the
// host name or address of the machine (or of a load balancer in front of
// it), and the port.
type Address struct {
	Host string
	Port int
}

// ParseAddress reads HOST[:PORT], as --public-addr takes it; without a port
// it is 22, SSH's own. An IPv6 address with a port is written [ADDR]:PORT.
func ParseAddress(s string) (Address, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Address{}, fmt.Errorf("an address is HOST or HOST:PORT")
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		// No port: a host name, an IPv4 address, or a bare or bracketed
		// IPv6 address.
		host, port = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"), "22"
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return Address{}, fmt.Errorf("%q: the port must be a number from 1 to 65535", s)
	}
	if host == "" || strings.ContainsAny(host, " /@") {
		return Address{}, fmt.Errorf("%q is not a host name or address", s)
	}
	return Address{Host: host, Port: n}, nil
}

// ListenAddress is how people reach a server listening on listen when no
// public address is given: the same host and port, except that a server
// listening on every interface (0.0.0.0, ::) is named by the machine's
// host name.
func ListenAddress(listen string) Address {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return Address{Host: listen, Port: 22}
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		if h, err := os.Hostname(); err == nil {
			host = h
		}
	}
	n, _ := strconv.Atoi(port)
	return Address{Host: host, Port: n}
}

// String is HOST:PORT, as --public-addr takes it.
func (a Address) String() string { return net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) }

// SSH is the command that reaches the server as user (a forum's slug, say),
// or with no user name when user is empty: "ssh -p 2222 riverside@host".
func (a Address) SSH(user string) string {
	host := a.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if user != "" {
		host = user + "@" + host
	}
	if a.Port == 22 || a.Port == 0 {
		return "ssh " + host
	}
	return "ssh -p " + strconv.Itoa(a.Port) + " " + host
}
