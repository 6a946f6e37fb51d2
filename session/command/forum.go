package command

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"moot/session"
	"moot/session/catalogue"
)

func runWhoami(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	p, known := snap.Participant(env.Actor)
	env.say("command.whoami.key", env.Actor)
	if known {
		env.say("command.whoami.name", p.Name)
		env.say("command.whoami.sector", orNone(p.Sector))
	} else {
		env.say("command.whoami.no_name")
	}
	env.say("command.whoami.role", roleWord(snap.Forum.RoleOf(env.Actor)))
	env.say("command.whoami.forum", snap.Forum.Title, snap.Forum.Slug)
	if env.Rejoin != "" {
		env.say("command.whoami.rejoin", env.Rejoin)
	}
	if p.Symbols != "" {
		env.say("command.whoami.symbols", p.Symbols)
	}
	return nil
}

func runSymbols(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	switch choice := strings.ToLower(a.pos[0]); choice {
	case session.SymbolsASCII:
		return do(ctx, env, session.ChooseSymbols{Symbols: choice}, "command.symbols.ascii")
	case session.SymbolsUnicode:
		return do(ctx, env, session.ChooseSymbols{Symbols: choice}, "command.symbols.unicode")
	case "auto":
		return do(ctx, env, session.ChooseSymbols{Symbols: session.SymbolsAuto}, "command.symbols.auto")
	}
	return a.usageErr("command.symbols.no_such", session.CleanLine(a.pos[0]))
}

func runName(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	name, err := a.needText("command.name.missing")
	if err != nil {
		return err
	}
	cmd := session.Register{Name: name, Sector: unquote(a.value["sector"])}
	if !a.set["sector"] {
		// Renaming keeps the sector already chosen.
		if p, ok := env.Hub.Snapshot().Participant(env.Actor); ok {
			cmd.Sector = p.Sector
		}
	}
	if err := env.Hub.Do(ctx, env.Actor, cmd); err != nil {
		return err
	}
	p, _ := env.Hub.Snapshot().Participant(env.Actor)
	env.say("command.name.saved", p.Name, orNone(p.Sector))
	return nil
}

// Status is the JSON shape of `status --json`, documented in the README.
type Status struct {
	Forum struct {
		Slug  string `json:"slug"`
		Title string `json:"title"`
	} `json:"forum"`
	Stage session.Stage `json:"stage"`
	Step  struct {
		Index  int           `json:"index"`
		Count  int           `json:"count"`
		Title  string        `json:"title"`
		Phase  session.Phase `json:"phase"`
		Prompt string        `json:"prompt"`
	} `json:"step"`
	Timer struct {
		Running          bool       `json:"running"`
		EndsAt           *time.Time `json:"ends_at"`
		RemainingSeconds int        `json:"remaining_seconds"`
	} `json:"timer"`
	Participants struct {
		Connected int `json:"connected"`
		Total     int `json:"total"`
	} `json:"participants"`
}

// StatusOf reads a snapshot into the status shape.
func StatusOf(snap *session.Snapshot) Status {
	var s Status
	s.Forum.Slug, s.Forum.Title = snap.Forum.Slug, snap.Forum.Title
	s.Stage = snap.Stage()
	s.Step.Index, s.Step.Count = snap.Step, len(snap.Forum.Steps)
	if st := snap.CurrentStep(); st != nil {
		s.Step.Title, s.Step.Phase, s.Step.Prompt = st.Title, st.Phase, st.Prompt
	}
	if snap.Timer.Running() {
		ends := snap.Timer.EndsAt.UTC()
		s.Timer.Running, s.Timer.EndsAt = true, &ends
		s.Timer.RemainingSeconds = int(snap.Timer.Remaining(time.Now()).Round(time.Second) / time.Second)
	}
	s.Participants.Connected, s.Participants.Total = snap.Connected, len(snap.Participants)
	return s
}

func runStatus(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	s := StatusOf(env.Hub.Snapshot())
	if a.set["json"] {
		return writeJSON(env, s)
	}
	env.say("command.status.forum", s.Forum.Title, s.Forum.Slug)
	switch s.Stage {
	case session.Lobby:
		env.say("command.status.lobby", catalogue.Msg("count.steps", s.Step.Count))
	case session.Closed:
		env.say("command.status.closed", catalogue.Msg("count.steps", s.Step.Count))
	default:
		env.say("command.status.step", s.Step.Index, s.Step.Count, s.Step.Title, session.PhaseWord(s.Step.Phase))
	}
	if s.Timer.Running {
		env.say("command.status.timebox", session.CountdownText(time.Duration(s.Timer.RemainingSeconds)*time.Second))
	} else {
		env.say("command.status.no_timebox")
	}
	env.say("command.status.participants", s.Participants.Connected, s.Participants.Total)
	return nil
}

func runParticipants(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	people := env.Hub.Snapshot().ViewFor(env.Actor).People()
	if a.set["json"] {
		return writeJSON(env, people)
	}
	if len(people) == 0 {
		env.say("command.participants.none")
		return nil
	}
	pr := env.printer()
	for _, p := range people {
		state := pr.T("command.participants.away")
		if p.Connected {
			state = pr.T("command.participants.connected")
		}
		sector := p.Sector
		if sector == "" {
			sector = pr.T("command.no_sector")
		}
		fmt.Fprintf(env.Out, "%-40s %-20s %-9s %s\n", p.Name, sector, state, p.ID)
	}
	return nil
}

func runStep(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 2); err != nil {
		return err
	}
	verb := strings.ToLower(a.pos[0])
	if verb != "goto" && len(a.pos) != 1 {
		return a.usageErr("command.step.no_number", verb)
	}
	var cmd session.Command
	switch verb {
	case "next":
		cmd = session.NextStep{}
	case "prev", "previous":
		cmd = session.PreviousStep{}
	case "goto":
		if len(a.pos) != 2 {
			return a.usageErr("command.step.goto_number")
		}
		n, err := strconv.Atoi(a.pos[1])
		if err != nil {
			return a.usageErr("command.step.not_a_number", session.CleanLine(a.pos[1]))
		}
		cmd = session.GoToStep{To: n}
	default:
		return a.usageErr("command.unknown_verb", session.CleanLine(a.pos[0]))
	}
	if err := env.Hub.Do(ctx, env.Actor, cmd); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	switch snap.Stage() {
	case session.Lobby:
		env.say("command.step.lobby")
	case session.Closed:
		env.say("command.step.closed")
	default:
		st := snap.CurrentStep()
		env.say("command.step.moved", snap.Step, len(snap.Forum.Steps), st.Title, session.PhaseWord(st.Phase))
	}
	return nil
}

func runTimer(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 2); err != nil {
		return err
	}
	minutes := 0
	if len(a.pos) == 2 {
		m, err := strconv.Atoi(a.pos[1])
		if err != nil {
			return a.usageErr("command.timer.not_minutes", session.CleanLine(a.pos[1]))
		}
		minutes = m
	}
	var cmd session.Command
	switch strings.ToLower(a.pos[0]) {
	case "start":
		cmd = session.StartTimer{Minutes: minutes}
	case "extend":
		if len(a.pos) != 2 {
			return a.usageErr("command.timer.extend_minutes")
		}
		cmd = session.ExtendTimer{Minutes: minutes}
	case "stop":
		if len(a.pos) != 1 {
			return a.usageErr("command.timer.stop_minutes")
		}
		cmd = session.StopTimer{}
	default:
		return a.usageErr("command.unknown_verb", session.CleanLine(a.pos[0]))
	}
	if err := env.Hub.Do(ctx, env.Actor, cmd); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	if snap.Timer.Running() {
		env.say("command.timer.running", session.CountdownText(snap.Timer.Remaining(time.Now())))
	} else {
		env.say("command.timer.stopped")
	}
	return nil
}

func writeJSON(env Env, v any) error {
	enc := json.NewEncoder(env.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// orNone is a person's sector as a message gives it.
func orNone(s string) any {
	if s == "" {
		return catalogue.Msg("command.no_sector")
	}
	return s
}
