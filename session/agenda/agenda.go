// Package agenda reads the YAML files in which organisers describe a forum:
// its title, purpose, sectors, facilitators and steps. Every problem is
// reported with the line it is on.
package agenda

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"
	"gopkg.in/yaml.v3"

	"moot/session"
	"moot/session/catalogue"
)

// Demo is the agenda of the forum moot serves when given none.
//
//go:embed demo.yaml
var Demo []byte

// Example is the commented agenda `moot init` writes: every field there is,
// each explained.
//
//go:embed example.yaml
var Example []byte

// Problem is one thing wrong with an agenda file.
type Problem struct {
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return p.Msg
	}
	return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
}

// Problems is every problem found in a file; it is the error Parse returns.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// field remembers the line a value was written on, so that a value that is
// well-formed YAML but wrong for a forum can be reported where it stands.
type field[T any] struct {
	Value T
	Line  int
}

func (f *field[T]) UnmarshalYAML(n *yaml.Node) error {
	f.Line = n.Line
	return n.Decode(&f.Value)
}

type file struct {
	Slug           field[string]   `yaml:"slug"`
	Title          field[string]   `yaml:"title"`
	Purpose        field[string]   `yaml:"purpose"`
	Date           field[string]   `yaml:"date"`
	Sectors        field[[]string] `yaml:"sectors"`
	Facilitators   []field[string] `yaml:"facilitators"`
	AnonymousCards field[bool]     `yaml:"anonymous_cards"`

	ParticipantsPropose field[bool]     `yaml:"participants_propose"`
	Scale               field[[]string] `yaml:"scale"`
	Blocking            field[string]   `yaml:"blocking"`
	ShowDistribution    field[bool]     `yaml:"show_distribution"`
	MinGroup            field[int]      `yaml:"min_group"`

	JoinCode field[string]   `yaml:"join_code"`
	Themes   []field[string] `yaml:"themes"`
	Tables   *tablesFile     `yaml:"tables"`
	Lang     field[string]   `yaml:"lang"`

	Steps []stepFile `yaml:"steps"`
}

// tablesFile says how the room is split into tables when the facilitator
// says nothing else: named tables, a number of tables, or a size.
type tablesFile struct {
	Names    []field[string] `yaml:"names"`
	Count    field[int]      `yaml:"count"`
	Size     field[int]      `yaml:"size"`
	BySector field[bool]     `yaml:"by_sector"`
}

// pollFile is a quick poll the agenda lists under a step.
type pollFile struct {
	Question field[string]   `yaml:"question"`
	Kind     field[string]   `yaml:"kind"`
	Points   field[int]      `yaml:"points"`
	Labels   field[[]string] `yaml:"labels"`
	Options  field[[]string] `yaml:"options"`
	Max      field[int]      `yaml:"max"`
	Words    field[int]      `yaml:"words"`
	Secret   field[bool]     `yaml:"secret"`
}

type stepFile struct {
	Title   field[string] `yaml:"title"`
	Phase   field[string] `yaml:"phase"`
	Prompt  field[string] `yaml:"prompt"`
	Timebox field[string] `yaml:"timebox"`
	Ballot  *ballotFile   `yaml:"ballot"`

	Tables     field[bool] `yaml:"tables"`
	Polls      []pollFile  `yaml:"polls"`
	Evaluation field[bool] `yaml:"evaluation"`
}

// ballotFile is a voting step's ballot: its settings and, optionally, the
// items to vote on.
type ballotFile struct {
	Dots       field[int]      `yaml:"dots"`
	MaxPerItem field[int]      `yaml:"max_per_item"`
	TopK       field[int]      `yaml:"top_k"`
	Secret     field[bool]     `yaml:"secret"`
	Items      []field[string] `yaml:"items"`
}

// Parse reads an agenda. On failure the error is Problems, each with its line.
//
// An agenda may come from anyone an admin lets add a forum, so it is held
// to bounds before any of it is used: its size, what its aliases expand to,
// and the length of every field before it is cleaned.
func Parse(data []byte) (*session.Forum, error) { return ParseFor(data, nil) }

// ParseFor reads an agenda for a server whose languages are c's (nil: the
// ones moot ships): the agenda's lang must be one of them.
func ParseFor(data []byte, c *catalogue.Catalogue) (*session.Forum, error) {
	if c == nil {
		c = catalogue.Default()
	}
	if len(data) > MaxFileBytes {
		return nil, Problems{{Msg: fmt.Sprintf("the file is %d KiB; an agenda can be at most %d KiB", (len(data)+1023)>>10, MaxFileBytes>>10)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlProblems(err)
	}
	if err := checkAliases(&root); err != nil {
		return nil, err
	}
	var doc file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var ps Problems
	if err := dec.Decode(&doc); err != nil {
		// A value of the wrong type or an unknown field leaves the rest
		// decoded: go on, so that every problem is reported at once. A
		// file that is not YAML at all stops here.
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, yamlProblems(err)
		}
		ps = yamlProblems(err)
	}
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	// clean cleans a value after its raw length is checked, so that a
	// value far too long is refused without being read through.
	clean := func(raw string, max, line int, what string, keepParagraphs bool) string {
		if len(raw) > rawLimit(max) {
			add(line, "%s: %q is longer than %d characters", what, short(raw), max)
			return ""
		}
		c := session.CleanLine(raw)
		if keepParagraphs {
			c = session.CleanText(raw)
		}
		if n := utf8.RuneCountInString(c); n > max {
			add(line, "%s: %q is longer than %d characters (it has %d)", what, short(c), max, n)
			return ""
		}
		return c
	}
	for _, l := range []struct {
		what string
		n    int
		max  int
		line int
	}{
		{"sectors", len(doc.Sectors.Value), MaxSectors, doc.Sectors.Line},
		{"themes", len(doc.Themes), MaxThemes, lineOf(&root, "themes")},
		{"facilitators", len(doc.Facilitators), MaxFacilitators, lineOf(&root, "facilitators")},
		{"steps", len(doc.Steps), MaxSteps, lineOf(&root, "steps")},
	} {
		if l.n > l.max {
			add(l.line, "%s: an agenda can list at most %d (this one lists %d)", l.what, l.max, l.n)
		}
	}
	if len(ps) > 0 && len(doc.Steps) > MaxSteps {
		// Too many to go through one by one.
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
		return nil, ps
	}

	f := &session.Forum{
		Slug:    strings.TrimSpace(doc.Slug.Value),
		Title:   clean(doc.Title.Value, MaxTitleLength, doc.Title.Line, "title", false),
		Purpose: clean(doc.Purpose.Value, MaxTextLength, doc.Purpose.Line, "purpose", true),
		Date:    strings.TrimSpace(doc.Date.Value),

		AnonymousCards: doc.AnonymousCards.Value,

		ParticipantsPropose: doc.ParticipantsPropose.Value,
		ShowDistribution:    doc.ShowDistribution.Value,
	}
	if f.Slug == "" {
		f.Slug = "forum"
	} else if !session.ValidSlug(f.Slug) {
		add(doc.Slug.Line, "slug %q: %s", short(f.Slug), session.SlugRule)
	}
	if f.Title == "" && len(doc.Title.Value) <= rawLimit(MaxTitleLength) {
		add(doc.Title.Line, "title: every forum needs a title")
	}
	if f.Date != "" && !validDate(f.Date) {
		add(doc.Date.Line, "date %q: write it as YYYY-MM-DD, or YYYY-MM or YYYY when the day is not set yet", short(f.Date))
	}
	f.Sectors = session.DefaultSectors
	if doc.Sectors.Line != 0 {
		f.Sectors = nil
		seen := map[string]bool{}
		for _, raw := range within(doc.Sectors.Value, MaxSectors) {
			s := clean(raw, MaxSectorLength, doc.Sectors.Line, "sectors", false)
			switch {
			case s == "" && len(raw) > rawLimit(MaxSectorLength):
			case s == "":
				add(doc.Sectors.Line, "sectors: a sector cannot be empty")
			case seen[strings.ToLower(s)]:
				add(doc.Sectors.Line, "sectors: %q is listed twice", short(s))
			default:
				seen[strings.ToLower(s)] = true
				f.Sectors = append(f.Sectors, s)
			}
		}
	}
	parseScale(&doc, f, add)
	if doc.MinGroup.Line != 0 {
		if n := doc.MinGroup.Value; n < session.LeastMinGroup || n > session.MostMinGroup {
			add(doc.MinGroup.Line, "min_group %d: %s", n, session.MinGroupRule)
		}
		f.MinGroup = doc.MinGroup.Value
	}
	if doc.Lang.Line != 0 {
		f.Lang = strings.TrimSpace(doc.Lang.Value)
		if !c.Has(f.Lang) {
			add(doc.Lang.Line, "lang %q: this server has no such language (it has %s; a translation is a file lang/%s.yaml in the data folder: see Languages in the README)",
				short(f.Lang), strings.Join(c.Languages(), ", "), short(f.Lang))
		}
	}
	if doc.JoinCode.Line != 0 {
		code := strings.TrimSpace(doc.JoinCode.Value)
		if err := session.ValidJoinCode(code); err != nil {
			add(doc.JoinCode.Line, "join_code: %v", err)
		}
		f.JoinCode = code
	}
	seenTheme := map[string]bool{}
	for _, name := range within(doc.Themes, MaxThemes) {
		if len(name.Value) > rawLimit(session.MaxThemeLength) {
			add(name.Line, "themes: %q is longer than %d characters", short(name.Value), session.MaxThemeLength)
			continue
		}
		t := session.CleanLine(name.Value)
		switch {
		case t == "":
			add(name.Line, "themes: a theme cannot be empty")
		case utf8.RuneCountInString(t) > session.MaxThemeLength:
			add(name.Line, "themes: %q is longer than %d characters", short(t), session.MaxThemeLength)
		case seenTheme[strings.ToLower(t)]:
			add(name.Line, "themes: %q is listed twice", short(t))
		default:
			seenTheme[strings.ToLower(t)] = true
			f.Themes = append(f.Themes, t)
		}
	}
	for _, k := range within(doc.Facilitators, MaxFacilitators) {
		if len(k.Value) > maxKeyLine {
			add(k.Line, "facilitators: a key line of %d KiB is longer than any public key", len(k.Value)>>10)
			continue
		}
		fp, err := Fingerprint(k.Value)
		if err != nil {
			add(k.Line, "facilitators: %v", err)
			continue
		}
		f.Facilitators = append(f.Facilitators, fp)
	}
	if doc.Tables != nil {
		f.Tables = parseTables(doc.Tables, lineOf(&root, "tables"), add)
	}
	if len(doc.Steps) == 0 {
		add(lineOf(&root, "steps"), "steps: a forum needs at least one step")
	}
	for i, s := range doc.Steps {
		stepLine := lineOf(&root, "steps", i)
		step := session.Step{
			Title:  clean(s.Title.Value, MaxTitleLength, s.Title.Line, fmt.Sprintf("step %d title", i+1), false),
			Prompt: clean(s.Prompt.Value, MaxTextLength, s.Prompt.Line, fmt.Sprintf("step %d prompt", i+1), true),
		}
		if step.Title == "" && len(s.Title.Value) <= rawLimit(MaxTitleLength) {
			add(stepLine, "step %d has no title", i+1)
		}
		phase, err := session.ParsePhase(strings.TrimSpace(short(s.Phase.Value)))
		switch {
		case s.Phase.Line == 0:
			add(stepLine, "step %d has no phase (one of: %s)", i+1, session.PhaseNames)
		case err != nil:
			add(s.Phase.Line, "step %d: %v", i+1, err)
		}
		step.Phase = phase
		if s.Timebox.Line != 0 {
			d, err := parseTimebox(s.Timebox.Value)
			if err != nil {
				add(s.Timebox.Line, "step %d: %v", i+1, err)
			}
			step.Timebox = d
		}
		if s.Ballot != nil {
			if phase != session.Voting && err == nil {
				add(lineOf(&root, "steps", i, "ballot"), "step %d: a ballot belongs to a voting step, not a %s step", i+1, phase)
			}
			step.Ballot = parseBallot(s.Ballot, i+1, add)
		}
		if s.Tables.Value {
			if phase != session.Dialogue && err == nil {
				add(s.Tables.Line, "step %d: tables are for a dialogue step, not a %s step", i+1, phase)
			}
			step.Tables = true
		}
		for j, pf := range s.Polls {
			spec, line := parsePoll(pf)
			if line == 0 {
				line = lineOf(&root, "steps", i, "polls", j)
			}
			if err := spec.Check(); err != nil {
				add(line, "step %d, poll %d: %v", i+1, j+1, err)
			}
			step.Polls = append(step.Polls, spec)
		}
		if s.Evaluation.Value {
			if len(s.Polls) == 0 {
				add(s.Evaluation.Line, "step %d: an evaluation is a set of polls: list them under polls", i+1)
			}
			step.Evaluation = true
		}
		f.Steps = append(f.Steps, step)
	}
	if len(ps) > 0 {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
		return nil, ps
	}
	if err := f.Validate(); err != nil {
		return nil, Problems{{Msg: err.Error()}}
	}
	return f, nil
}

func parseBallot(b *ballotFile, step int, add func(int, string, ...any)) *session.BallotSpec {
	spec := &session.BallotSpec{Dots: b.Dots.Value, MaxPerItem: b.MaxPerItem.Value, TopK: b.TopK.Value}
	if b.Dots.Line != 0 && (spec.Dots < 1 || spec.Dots > session.MaxBallotDots) {
		add(b.Dots.Line, "step %d: ballot dots must be from 1 to %d", step, session.MaxBallotDots)
	}
	dots := spec.Dots
	if dots == 0 {
		dots = session.DefaultBallotDots
	}
	if b.MaxPerItem.Line != 0 && (spec.MaxPerItem < 0 || spec.MaxPerItem > dots) {
		add(b.MaxPerItem.Line, "step %d: ballot max_per_item must be from 0 (no cap) to the dots per person (%d)", step, dots)
	}
	if b.TopK.Line != 0 && (spec.TopK < 1 || spec.TopK > session.MaxBallotItems) {
		add(b.TopK.Line, "step %d: ballot top_k must be from 1 to %d", step, session.MaxBallotItems)
	}
	if b.Secret.Line != 0 {
		secret := b.Secret.Value
		spec.Secret = &secret
	}
	if len(b.Items) > session.MaxBallotItems {
		add(b.Items[0].Line, "step %d: a ballot can have at most %d items", step, session.MaxBallotItems)
	}
	for _, it := range within(b.Items, session.MaxBallotItems) {
		if len(it.Value) > rawLimit(session.MaxCardLength) {
			add(it.Line, "step %d: a ballot item can be at most %d characters", step, session.MaxCardLength)
			continue
		}
		t := session.CleanText(it.Value)
		switch {
		case t == "":
			add(it.Line, "step %d: a ballot item cannot be empty", step)
		case len([]rune(t)) > session.MaxCardLength:
			add(it.Line, "step %d: a ballot item can be at most %d characters", step, session.MaxCardLength)
		default:
			spec.Items = append(spec.Items, t)
		}
	}
	if len(b.Items) == 1 {
		add(b.Items[0].Line, "step %d: a ballot needs at least two items", step)
	}
	return spec
}

// parseTables reads how the room is split into tables.
func parseTables(t *tablesFile, line int, add func(int, string, ...any)) *session.TablesSpec {
	spec := &session.TablesSpec{Count: t.Count.Value, Size: t.Size.Value, BySector: t.BySector.Value}
	for _, n := range t.Names {
		spec.Names = append(spec.Names, n.Value)
	}
	if err := spec.Check(); err != nil {
		add(line, "tables: %v", err)
	}
	return spec
}

// parsePoll reads a poll listed under a step, and the line it starts on.
func parsePoll(p pollFile) (session.PollSpec, int) {
	spec := session.PollSpec{Question: p.Question.Value, Kind: session.PollKind(strings.TrimSpace(p.Kind.Value)),
		Points: p.Points.Value, Labels: p.Labels.Value, Options: p.Options.Value, Max: p.Max.Value, Words: p.Words.Value}
	if p.Secret.Line != 0 {
		secret := p.Secret.Value
		spec.Secret = &secret
	}
	return spec, p.Question.Line
}

// parseScale reads the scale of agreement: its labels, most agreement
// first, and which level blocks (a label or a number; "none"; by default
// the last).
func parseScale(doc *file, f *session.Forum, add func(int, string, ...any)) {
	labels := session.DefaultScale
	if doc.Scale.Line != 0 {
		labels = nil
		seen := map[string]bool{}
		for _, l := range within(doc.Scale.Value, session.MaxScaleLevels) {
			if len(l) > rawLimit(60) {
				add(doc.Scale.Line, "scale: %q is longer than 60 characters", short(l))
				continue
			}
			l = session.CleanLine(l)
			switch {
			case l == "":
				add(doc.Scale.Line, "scale: a level cannot be empty")
			case utf8.RuneCountInString(l) > 60:
				add(doc.Scale.Line, "scale: %q is longer than 60 characters", short(l))
			case seen[strings.ToLower(l)]:
				add(doc.Scale.Line, "scale: %q is listed twice", short(l))
			default:
				seen[strings.ToLower(l)] = true
				labels = append(labels, l)
			}
		}
		if len(doc.Scale.Value) < 2 || len(doc.Scale.Value) > session.MaxScaleLevels {
			add(doc.Scale.Line, "scale: a scale of agreement has from 2 to %d levels (it has %d)", session.MaxScaleLevels, len(doc.Scale.Value))
		}
		f.Scale = labels
	}
	if doc.Blocking.Line == 0 {
		return
	}
	b := strings.TrimSpace(doc.Blocking.Value)
	if strings.EqualFold(b, "none") {
		f.Blocking = session.NoBlocking
		return
	}
	if n, err := strconv.Atoi(b); err == nil {
		if n < 1 || n > len(labels) {
			add(doc.Blocking.Line, "blocking: level %d is not on the scale (1 to %d)", n, len(labels))
			return
		}
		f.Blocking = n
		return
	}
	for i, l := range labels {
		if strings.EqualFold(l, b) {
			f.Blocking = i + 1
			return
		}
	}
	add(doc.Blocking.Line, "blocking: %q is not a level of the scale (name one, give its number, or write none)", short(b))
}

// parseTimebox takes whole minutes ("10") or a duration ("1h30m", "90s").
func parseTimebox(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if err != nil {
		m, aerr := strconv.Atoi(s)
		if aerr != nil {
			return 0, fmt.Errorf("timebox %q: write minutes (10) or a duration (1h30m)", short(s))
		}
		d = time.Duration(m) * time.Minute
	}
	if d < time.Minute || d > session.MaxTimerMinutes*time.Minute {
		return 0, fmt.Errorf("timebox %q: must be from 1 minute to %d minutes", short(s), session.MaxTimerMinutes)
	}
	return d.Truncate(time.Second), nil
}

// Fingerprint reads one authorized_keys line and returns the key's SHA256
// fingerprint, the identity moot knows a person by.
func Fingerprint(line string) (string, error) {
	key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return "", fmt.Errorf("not a public key line (%q): write it as in authorized_keys, e.g. \"ssh-ed25519 AAAA... name\"", short(line))
	}
	return ssh.FingerprintSHA256(key), nil
}

// ParseAuthorizedKeys reads a file of authorized_keys lines, skipping blank
// lines and comments.
func ParseAuthorizedKeys(data []byte) ([]string, error) {
	var fps []string
	var ps Problems
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fp, err := Fingerprint(line)
		if err != nil {
			ps = append(ps, Problem{Line: i + 1, Msg: err.Error()})
			continue
		}
		fps = append(fps, fp)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return fps, nil
}

// short is at most the first 40 characters of a value, for quoting in a
// message: a problem is told by where it is, not by repeating all of it.
func short(s string) string {
	if len(s) <= 40 {
		return s
	}
	i, n := 0, 0
	for i < len(s) && n < 37 {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
		n++
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "..."
}

// lineOf finds the line of a value in a parsed document by a path of mapping
// keys (string) and sequence indexes (int); 0 when it is not there.
func lineOf(root *yaml.Node, path ...any) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, p := range path {
		switch p := p.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return line
			}
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					line, n, found = n.Content[i].Line, n.Content[i+1], true
					break
				}
			}
			if !found {
				return line
			}
		case int:
			if n.Kind != yaml.SequenceNode || p >= len(n.Content) {
				return line
			}
			n = n.Content[p]
			line = n.Line
		}
	}
	return line
}

var (
	yamlLine     = regexp.MustCompile(`line (\d+): (.*)`)
	unknownField = regexp.MustCompile(`^field (.*) not found in type \S+$`)
)

// yamlProblems turns yaml's errors ("yaml: line 3: ...", or a TypeError
// listing several) into Problems.
func yamlProblems(err error) Problems {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	var ps Problems
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: ")
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			n, _ := strconv.Atoi(sub[1])
			ps = append(ps, Problem{Line: n, Msg: tidyYAML(sub[2])})
			continue
		}
		if m == "EOF" {
			m = "the file is empty"
		}
		ps = append(ps, Problem{Msg: m})
	}
	return ps
}

// tidyYAML says yaml's messages in the agenda's terms rather than Go's.
func tidyYAML(m string) string {
	if f := unknownField.FindStringSubmatch(m); f != nil {
		return fmt.Sprintf("field %s not found: it is not an agenda field (moot init writes an example with every field)", f[1])
	}
	return m
}

// validDate tells whether s is a date as an agenda writes it: a day
// (2026-12-05), or a month (2026-12) or year (2026) for a forum planned
// before its day is set.
func validDate(s string) bool {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
	}
	return false
}
