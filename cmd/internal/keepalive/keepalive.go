// Package keepalive finds SSH clients that have gone without a word: a
// laptop closed, a network dropped. Nothing is ever read from such a
// connection, so nothing fails on it; the server learns it is gone only by
// asking the client something and getting no answer.
//
// A client that is only watching (a participant reading the screen) answers
// every keepalive, so it is never dropped, however long it stays quiet.
package keepalive

import (
	"context"
	"time"
)

// Request is the keepalive OpenSSH servers send. Every client answers it,
// if only to say it does not know it, and any answer will do.
const Request = "keepalive@openssh.com"

// Requester sends a global request and waits for its answer, as an
// *ssh.ServerConn of golang.org/x/crypto/ssh does.
type Requester interface {
	SendRequest(name string, wantReply bool, payload []byte) (bool, []byte, error)
}

// Run asks c for an answer every interval, until ctx ends or the
// connection fails. When an answer has not come within missed intervals of
// its request, Run calls dead (which should close the connection) and
// returns.
func Run(ctx context.Context, c Requester, every time.Duration, missed int, dead func()) {
	if every <= 0 {
		return
	}
	if missed < 1 {
		missed = 1
	}
	next := time.NewTimer(every)
	defer next.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-next.C:
		}
		answered := make(chan error, 1)
		go func() {
			// Returns when the answer comes or the connection closes.
			_, _, err := c.SendRequest(Request, true, nil)
			answered <- err
		}()
		limit := time.NewTimer(every * time.Duration(missed))
		select {
		case err := <-answered:
			limit.Stop()
			if err != nil {
				return // the connection is closed
			}
		case <-limit.C:
			dead()
			return
		case <-ctx.Done():
			limit.Stop()
			return
		}
		next.Reset(every)
	}
}
