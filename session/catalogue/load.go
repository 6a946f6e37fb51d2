package catalogue

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

// A translation is a YAML file named for its language (fr.yaml, pt-BR.yaml)
// that gives messages by key, as the English in en/ does:
//
//	line.card.from: "Carte {card} de {author} : {text}"
//	count.cards:
//	  one: "{n} carte"
//	  other: "{n} cartes"
//
// Each message uses the placeholders of the English, each at least once,
// in any order, and no others; a message with forms gives those of the
// language's plural (or, for an ordinal.* key, ordinal) categories that
// it needs, "other" always, and =N for a number exactly. A message it
// leaves out is printed in English.

// Translation is one language's messages.
type Translation struct {
	Code     string
	File     string
	messages []*message
}

// Problem is one thing wrong with a translation file, at its line.
type Problem struct {
	Line int
	Text string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return p.Text
	}
	return fmt.Sprintf("line %d: %s", p.Line, p.Text)
}

// Problems are everything wrong with a translation file.
type Problems struct {
	File string
	List []Problem
}

func (e *Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem", e.File, len(e.List))
	if len(e.List) != 1 {
		b.WriteString("s")
	}
	for _, p := range e.List {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// MaxFileBytes bounds a translation file.
const MaxFileBytes = 1 << 20

// LoadDir reads every translation (*.yaml) in dir and checks it against
// the English; a folder that does not exist holds none. Every problem of
// every file is in the error.
func LoadDir(dir string) ([]*Translation, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var out []*Translation
	var errs []error
	for _, f := range files {
		t, err := LoadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, t)
	}
	return out, errors.Join(errs...)
}

// LoadFile reads one translation and checks it against the English.
func LoadFile(path string) (*Translation, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > MaxFileBytes {
		return nil, &Problems{File: path, List: []Problem{{Text: fmt.Sprintf("the file is larger than %d bytes", MaxFileBytes)}}}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	code := strings.TrimSuffix(filepath.Base(path), ".yaml")
	return Parse(data, code, path)
}

// Parse checks a translation's text against the English; file names it in
// problems.
func Parse(data []byte, code, file string) (*Translation, error) {
	if file == "" {
		file = code + ".yaml"
	}
	_, err := language.Parse(code)
	switch {
	case err != nil:
		return nil, &Problems{File: file, List: []Problem{{Text: fmt.Sprintf("%q is not a language code (name the file for its language, as fr.yaml or pt-BR.yaml)", code)}}}
	case code == English || code == Pseudo:
		return nil, &Problems{File: file, List: []Problem{{Text: fmt.Sprintf("%s is moot's own; a translation is of another language", code)}}}
	}
	english, err := readEnglish()
	if err != nil {
		return nil, err
	}
	byKey := map[string]*message{}
	for _, m := range english.messages {
		byKey[m.key] = m
	}
	t, err := parse(data, code, byKey)
	if err != nil {
		var ps *Problems
		if errors.As(err, &ps) {
			ps.File = file
		}
		return nil, err
	}
	t.File = file
	if _, err := New(t); err != nil {
		return nil, &Problems{File: file, List: []Problem{{Text: err.Error()}}}
	}
	return t, nil
}

// forms a message may give: CLDR's categories, and =N.
var formNames = []string{"zero", "one", "two", "few", "many", "other"}

// cardinalForms are the plural categories a language's numbers fall in,
// found by asking x/text of numbers enough to meet every one.
func cardinalForms(tag language.Tag) []string {
	seen := map[string]bool{"other": true}
	for n := 0; n <= 1000; n++ {
		seen[formName(plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0))] = true
		for _, f := range []int{1, 5} {
			seen[formName(plural.Cardinal.MatchPlural(tag, n, 1, 1, f, f))] = true
		}
	}
	for _, n := range []int{1000000, 2000000} {
		seen[formName(plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0))] = true
	}
	var out []string
	for _, f := range formNames {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}

// ordinalForms are the categories of a language's ordinals.
func ordinalForms(tag language.Tag) []string {
	seen := map[string]bool{"other": true}
	for n := 0; n <= 1000; n++ {
		seen[formName(plural.Ordinal.MatchPlural(tag, n, 0, 0, 0, 0))] = true
	}
	var out []string
	for _, f := range formNames {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}

// parse reads a catalogue file. english is nil for the English itself;
// for a translation it is the English by key, against which every message
// is checked.
func parse(data []byte, code string, english map[string]*message) (*Translation, error) {
	file := code + ".yaml"
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return &Translation{Code: code}, nil
		}
		return nil, &Problems{File: file, List: []Problem{{Text: strings.TrimPrefix(err.Error(), "yaml: ")}}}
	}
	if len(doc.Content) == 0 {
		return &Translation{Code: code}, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Problems{File: file, List: []Problem{{root.Line, "a translation is a list of key: message"}}}
	}
	tag := language.Make(code)
	t := &Translation{Code: code}
	var problems []Problem
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		bad := func(format string, args ...any) {
			problems = append(problems, Problem{k.Line, key + ": " + fmt.Sprintf(format, args...)})
		}
		if line, twice := seen[key]; twice {
			bad("given already, at line %d", line)
			continue
		}
		seen[key] = k.Line
		m := &message{key: key, line: k.Line}
		var en *message
		if english != nil {
			if en = english[key]; en == nil {
				problems = append(problems, Problem{k.Line, fmt.Sprintf("unknown key %s: moot has no such message", key)})
				continue
			}
		}
		switch v.Kind {
		case yaml.ScalarNode:
			if en != nil && en.kind != "" {
				bad("the English has forms (%s): give forms too", strings.Join(en.formOrder(), ", "))
				continue
			}
			m.text = v.Value
		case yaml.MappingNode:
			if en != nil && en.kind == "" {
				bad("the English is one text: give one text, not forms")
				continue
			}
			m.kind = "plural"
			if strings.HasPrefix(key, "ordinal.") {
				m.kind = "ordinal"
			}
			m.forms = map[string]string{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				f, fv := v.Content[j], v.Content[j+1]
				switch {
				case f.Value != "" && f.Value[0] == '=':
					var n uint
					if _, err := fmt.Sscanf(f.Value, "=%d", &n); err != nil || fmt.Sprintf("=%d", n) != f.Value {
						problems = append(problems, Problem{f.Line, fmt.Sprintf("%s: form %s: write =N for a number exactly, as =0", key, f.Value)})
						continue
					}
				case !slices.Contains(formNames, f.Value):
					problems = append(problems, Problem{f.Line, fmt.Sprintf("%s: form %q: one of %s, or =N", key, f.Value, strings.Join(formNames, ", "))})
					continue
				case m.kind == "ordinal" && !slices.Contains(ordinalForms(tag), f.Value):
					problems = append(problems, Problem{f.Line, fmt.Sprintf("%s: form %s: %s has no such ordinal form (it has %s)", key, f.Value, code, strings.Join(ordinalForms(tag), ", "))})
					continue
				case m.kind == "plural" && !slices.Contains(cardinalForms(tag), f.Value):
					// x/text knows which plural forms each language has.
					problems = append(problems, Problem{f.Line, fmt.Sprintf("%s: form %s: %s has no such plural form (it has %s)", key, f.Value, code, strings.Join(cardinalForms(tag), ", "))})
					continue
				}
				if fv.Kind != yaml.ScalarNode {
					problems = append(problems, Problem{fv.Line, fmt.Sprintf("%s: form %s: give a text", key, f.Value)})
					continue
				}
				m.forms[f.Value] = fv.Value
			}
			if _, ok := m.forms["other"]; !ok {
				bad("the form other is missing: every message with forms gives other")
				continue
			}
		default:
			bad("give a text, or forms (one: ..., other: ...)")
			continue
		}
		texts := []string{m.text}
		// forms[i] names the form texts[i] is ("" for a plain message).
		forms := []string{""}
		if m.kind != "" {
			texts, forms = nil, nil
			for _, f := range m.formOrder() {
				texts = append(texts, m.forms[f])
				forms = append(forms, f)
			}
			other, _ := placeholders(m.forms["other"])
			m.names = append([]string{"n"}, slices.DeleteFunc(other, func(n string) bool { return n == "n" })...)
		} else {
			m.names, _ = placeholders(m.text)
		}
		ok := true
		for i, text := range texts {
			names, err := placeholders(text)
			if err != nil {
				bad("%v", err)
				ok = false
				continue
			}
			if en == nil {
				continue
			}
			for _, n := range names {
				if !slices.Contains(en.names, n) {
					bad("unknown placeholder {%s} (this message has %s)", n, braces(en.names))
					ok = false
				}
			}
			for j, n := range en.names {
				// A form may leave out the number it is chosen by, and a
				// form other than "other" (which says everything) may
				// leave out more: "=0: No statements yet."
				if !slices.Contains(names, n) && !(en.kind != "" && (j == 0 || forms[i] != "other")) {
					bad("placeholder {%s} is missing from %q", n, text)
					ok = false
				}
			}
		}
		if ok {
			t.messages = append(t.messages, m)
		}
	}
	if len(problems) > 0 {
		return nil, &Problems{File: file, List: problems}
	}
	return t, nil
}

func braces(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "{" + n + "}"
	}
	return strings.Join(out, ", ")
}
