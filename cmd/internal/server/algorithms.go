package server

import (
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// The algorithms the server offers, most preferred first: only those with
// no known weakness. The post-quantum hybrid key exchange comes first, so
// that a client that has it (OpenSSH 9.9 and later) uses it; curve25519
// serves every other maintained client (OpenSSH, PuTTY, Dropbear). The NIST
// curves, SHA-1 and CBC are left out.
var (
	keyExchanges = []string{
		gossh.KeyExchangeMLKEM768X25519,
		gossh.KeyExchangeCurve25519, // the library adds its @libssh.org alias
	}
	ciphers = []string{
		gossh.CipherChaCha20Poly1305,
		gossh.CipherAES256GCM,
		gossh.CipherAES128GCM,
	}
	// A MAC is used only with a cipher that does not authenticate its own
	// output, and none of those above needs one; but the list is offered
	// all the same, and left empty the library would offer its defaults,
	// SHA-1 among them.
	macs = []string{
		gossh.HMACSHA256ETM,
		gossh.HMACSHA512ETM,
	}
)

// serverConfig is every connection's SSH configuration: the algorithms
// above; the host key and authentication are added by the SSH library.
func serverConfig(ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{Config: gossh.Config{
		KeyExchanges: keyExchanges,
		Ciphers:      ciphers,
		MACs:         macs,
	}}
}
