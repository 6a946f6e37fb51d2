package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"moot/cmd/internal/server"
)

// demoFacilitator is a key kept in the data folder for whoever runs the demo
// on a machine with no SSH key of their own (no ~/.ssh/*.pub), so that they
// can steer it at once: made on the first start, the same one after.
func demoFacilitator(dataDir string) (fingerprint, keyFile string, err error) {
	keyFile = filepath.Join(dataDir, "facilitator")
	private, err := server.LoadKey(keyFile, "moot demo facilitator")
	if err != nil {
		return "", "", fmt.Errorf("the demo's facilitator key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(private)
	if err != nil {
		return "", "", fmt.Errorf("the demo's facilitator key %s: %w", keyFile, err)
	}
	// The public half beside it, for whoever wants to name this key
	// elsewhere (--facilitators, an agenda).
	public := gossh.MarshalAuthorizedKey(signer.PublicKey())
	if old, err := os.ReadFile(keyFile + ".pub"); err != nil || !bytes.Equal(old, public) {
		if err := os.WriteFile(keyFile+".pub", public, 0o644); err != nil {
			return "", "", fmt.Errorf("the demo's facilitator key: %w", err)
		}
	}
	return gossh.FingerprintSHA256(signer.PublicKey()), keyFile, nil
}

// withKey is an ssh command line that offers only the key in keyFile:
// without IdentitiesOnly, ssh would offer the keys of an agent first, and
// moot takes the first key offered as who you are.
func withKey(line, keyFile string) string {
	return "ssh -i " + keyFile + " -o IdentitiesOnly=yes" + strings.TrimPrefix(line, "ssh")
}
