package command

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"moot/session"
)

func runWhoami(_ context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	p, known := snap.Participant(env.Actor)
	fmt.Fprintf(env.Out, "key:    %s\n", env.Actor)
	if known {
		fmt.Fprintf(env.Out, "name:   %s\n", p.Name)
		fmt.Fprintf(env.Out, "sector: %s\n", orNone(p.Sector))
	} else {
		fmt.Fprintf(env.Out, "name:   (not set: name YOUR NAME [--sector SECTOR])\n")
	}
	fmt.Fprintf(env.Out, "role:   %s\n", snap.Forum.RoleOf(env.Actor))
	fmt.Fprintf(env.Out, "forum:  %s (%s)\n", snap.Forum.Title, snap.Forum.Slug)
	if env.Rejoin != "" {
		fmt.Fprintf(env.Out, "rejoin: %s (type it at the join-code prompt to come back as yourself)\n", env.Rejoin)
	}
	if p.Symbols != "" {
		fmt.Fprintf(env.Out, "symbols: %s (symbols auto follows your terminal)\n", p.Symbols)
	}
	return nil
}

func runSymbols(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 1); err != nil {
		return err
	}
	choice := strings.ToLower(a.pos[0])
	said := map[string]string{
		session.SymbolsASCII:   "your screens draw plain ASCII symbols now (symbols auto to follow your terminal)",
		session.SymbolsUnicode: "your screens draw Unicode symbols now (symbols auto to follow your terminal)",
		"auto":                 "your screens follow what your terminal says it can show (its LANG)",
	}[choice]
	if choice == "auto" {
		choice = session.SymbolsAuto
	}
	if said == "" {
		return a.usageErr("ascii, unicode or auto, not %q", session.CleanLine(a.pos[0]))
	}
	return do(ctx, env, session.ChooseSymbols{Symbols: choice}, "%s", said)
}

func runName(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	name, err := a.needText("give the name others will see")
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
	fmt.Fprintf(env.Out, "saved: you are %s (%s)\n", p.Name, orNone(p.Sector))
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
	fmt.Fprintf(env.Out, "forum:        %s (%s)\n", s.Forum.Title, s.Forum.Slug)
	switch s.Stage {
	case session.Lobby:
		fmt.Fprintf(env.Out, "step:         lobby (the forum has not begun; %d steps ahead)\n", s.Step.Count)
	case session.Closed:
		fmt.Fprintf(env.Out, "step:         closed (all %d steps done)\n", s.Step.Count)
	default:
		fmt.Fprintf(env.Out, "step:         %d/%d %s [%s]\n", s.Step.Index, s.Step.Count, s.Step.Title, s.Step.Phase)
	}
	if s.Timer.Running {
		fmt.Fprintf(env.Out, "timebox:      %s\n", session.Countdown(time.Duration(s.Timer.RemainingSeconds)*time.Second))
	} else {
		fmt.Fprintf(env.Out, "timebox:      not running\n")
	}
	fmt.Fprintf(env.Out, "participants: %d connected, %d in all\n", s.Participants.Connected, s.Participants.Total)
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
		fmt.Fprintln(env.Out, "nobody has joined yet")
		return nil
	}
	for _, p := range people {
		state := "away"
		if p.Connected {
			state = "connected"
		}
		fmt.Fprintf(env.Out, "%-40s %-20s %-9s %s\n", p.Name, orNone(p.Sector), state, p.ID)
	}
	return nil
}

func runStep(ctx context.Context, env Env, a *args) error {
	if err := a.want(1, 2); err != nil {
		return err
	}
	verb := strings.ToLower(a.pos[0])
	if verb != "goto" && len(a.pos) != 1 {
		return a.usageErr("%s takes no step number", verb)
	}
	var cmd session.Command
	switch verb {
	case "next":
		cmd = session.NextStep{}
	case "prev", "previous":
		cmd = session.PreviousStep{}
	case "goto":
		if len(a.pos) != 2 {
			return a.usageErr("goto needs a step number")
		}
		n, err := strconv.Atoi(a.pos[1])
		if err != nil {
			return a.usageErr("%q is not a step number", session.CleanLine(a.pos[1]))
		}
		cmd = session.GoToStep{To: n}
	default:
		return a.usageErr("unknown %q", session.CleanLine(a.pos[0]))
	}
	if err := env.Hub.Do(ctx, env.Actor, cmd); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	switch snap.Stage() {
	case session.Lobby:
		fmt.Fprintln(env.Out, "the forum is back in the lobby")
	case session.Closed:
		fmt.Fprintln(env.Out, "the forum is closed")
	default:
		st := snap.CurrentStep()
		fmt.Fprintf(env.Out, "step %d/%d: %s [%s]\n", snap.Step, len(snap.Forum.Steps), st.Title, st.Phase)
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
			return a.usageErr("%q is not a whole number of minutes", session.CleanLine(a.pos[1]))
		}
		minutes = m
	}
	var cmd session.Command
	switch strings.ToLower(a.pos[0]) {
	case "start":
		cmd = session.StartTimer{Minutes: minutes}
	case "extend":
		if len(a.pos) != 2 {
			return a.usageErr("extend needs minutes")
		}
		cmd = session.ExtendTimer{Minutes: minutes}
	case "stop":
		if len(a.pos) != 1 {
			return a.usageErr("stop takes no minutes")
		}
		cmd = session.StopTimer{}
	default:
		return a.usageErr("unknown %q", session.CleanLine(a.pos[0]))
	}
	if err := env.Hub.Do(ctx, env.Actor, cmd); err != nil {
		return err
	}
	snap := env.Hub.Snapshot()
	if snap.Timer.Running() {
		fmt.Fprintf(env.Out, "timebox: %s\n", session.Countdown(snap.Timer.Remaining(time.Now())))
	} else {
		fmt.Fprintln(env.Out, "timebox stopped")
	}
	return nil
}

func writeJSON(env Env, v any) error {
	enc := json.NewEncoder(env.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func orNone(s string) string {
	if s == "" {
		return "no sector"
	}
	return s
}
