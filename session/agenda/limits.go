package agenda

import (
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

// Bounds on an agenda. Every field is bounded before it is cleaned or
// used, so that a file made to be costly (a field of megabytes, aliases
// that expand a thousandfold) is refused at the cost of reading it once.
const (
	// MaxFileBytes bounds an agenda file: the longest real agenda is a
	// few KiB.
	MaxFileBytes = 256 << 10
	// MaxNodes bounds the values of an agenda counted with every alias
	// (*name) expanded in place: aliases may save repeating a ballot's
	// settings, never multiply a file.
	MaxNodes = 20_000
	// MaxExpandedBytes bounds the text of an agenda, aliases expanded.
	MaxExpandedBytes = 4 * MaxFileBytes

	MaxTitleLength  = 200  // the forum's title and each step's, in characters
	MaxTextLength   = 4000 // the purpose and each step's prompt
	MaxSectorLength = 60
	MaxSectors      = 30
	MaxThemes       = 200
	MaxFacilitators = 200
	MaxSteps        = 100

	// maxKeyLine bounds one facilitator's key line; the longest public
	// keys (RSA of 16384 bits) take under 3 KiB.
	maxKeyLine = 16 << 10
)

// rawLimit is the most bytes a value may have before cleaning if it is to
// hold max characters once cleaned: four bytes a character, and room for
// what cleaning takes out.
func rawLimit(max int) int { return 4*max + 1024 }

// within is a list to go through item by item: all of it, or none when it
// is longer than max, since then its length is the problem to report.
func within[T any](list []T, max int) []T {
	if len(list) > max {
		return nil
	}
	return list
}

// ReadFile reads an agenda file, refusing one over MaxFileBytes without
// reading the rest of it.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%s is over %d KiB; an agenda can be at most %d KiB", path, MaxFileBytes>>10, MaxFileBytes>>10)
	}
	return data, nil
}

// checkAliases refuses a document whose aliases expand it past MaxNodes
// values or MaxExpandedBytes of text. It counts without expanding: each
// anchored value is measured once, and the measure reused wherever an
// alias names it.
func checkAliases(root *yaml.Node) error {
	type measure struct{ nodes, bytes int }
	seen := map[*yaml.Node]measure{}
	var size func(n *yaml.Node) measure
	size = func(n *yaml.Node) measure {
		if n == nil {
			return measure{}
		}
		if m, ok := seen[n]; ok {
			return m
		}
		m := measure{nodes: 1, bytes: len(n.Value)}
		kids := n.Content
		if n.Kind == yaml.AliasNode {
			kids = []*yaml.Node{n.Alias}
		}
		for _, c := range kids {
			k := size(c)
			m.nodes += k.nodes
			m.bytes += k.bytes
			if m.nodes > MaxNodes || m.bytes > MaxExpandedBytes {
				break
			}
		}
		m.nodes, m.bytes = min(m.nodes, MaxNodes+1), min(m.bytes, MaxExpandedBytes+1)
		seen[n] = m
		return m
	}
	if m := size(root); m.nodes > MaxNodes || m.bytes > MaxExpandedBytes {
		return Problems{{Msg: fmt.Sprintf("the agenda's aliases (*name) expand it to more than %d values or %d KiB; write the values out instead", MaxNodes, MaxExpandedBytes>>10)}}
	}
	return nil
}
