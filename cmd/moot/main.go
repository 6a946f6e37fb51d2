// Command moot serves live deliberative forums over SSH.
//
//	moot [serve] [--listen ADDR] [--data DIR] [--agenda FILE] [--facilitators FILE]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"moot/cmd/internal/server"
	"moot/session"
	"moot/session/agenda"
	"moot/store"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args, stdout, stderr)
	case "init":
		return initAgenda(args, stdout, stderr)
	case "check":
		return checkAgenda(args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "moot: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

const usage = `moot serves live deliberative forums over SSH.

Usage:
  moot [serve] [flags]   serve forums (the built-in demo when no --agenda)
  moot init [FILE]       write a commented example agenda (default agenda.yaml)
  moot check FILE...     check agenda files; every problem with its line
  moot help              show this help

Run "moot serve --help" for the flags.
`

// Options are the settings of moot serve.
type Options struct {
	Listen       string
	Data         string
	Agenda       string
	Facilitators string
}

func serve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("moot serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o Options
	fs.StringVar(&o.Listen, "listen", envOr("MOOT_LISTEN", "127.0.0.1:2222"), "address to listen on (env MOOT_LISTEN)")
	fs.StringVar(&o.Data, "data", envOr("MOOT_DATA", "moot-data"), "data directory: the SQLite database and the host key (env MOOT_DATA)")
	fs.StringVar(&o.Agenda, "agenda", os.Getenv("MOOT_AGENDA"), "agenda file (YAML) of the forum to serve; the built-in demo when empty (env MOOT_AGENDA)")
	fs.StringVar(&o.Facilitators, "facilitators", "", "file of facilitators' public keys, one authorized_keys line each")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "moot serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	forum, notes, err := loadForum(o)
	if err != nil {
		fmt.Fprintf(stderr, "moot: %v\n", err)
		return 2
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		fmt.Fprintf(stderr, "moot: cannot listen on %s: %v\n", o.Listen, err)
		return 1
	}
	app, err := start(context.Background(), o.Data, forum, log)
	if err != nil {
		ln.Close()
		fmt.Fprintf(stderr, "moot: %v\n", err)
		return 1
	}

	// Signals are caught before the join line is printed, so that whoever
	// reads that line can stop the server cleanly from then on.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	fmt.Fprintf(stdout, "moot is serving %q (%d steps); data in %s\n", forum.Title, len(forum.Steps), o.Data)
	for _, n := range notes {
		fmt.Fprintln(stdout, n)
	}
	fmt.Fprintf(stdout, "Join with:\n\n    %s\n\n", joinLine(ln.Addr().String()))

	errc := make(chan error, 1)
	go func() { errc <- app.server.Serve(ln) }()
	select {
	case sig := <-sigs:
		log.Info("stopping", "signal", sig.String())
	case err := <-errc:
		log.Error("server failed", "err", err)
		app.close(context.Background())
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := app.close(ctx); err != nil {
		log.Error("stopping", "err", err)
		return 1
	}
	fmt.Fprintln(stdout, "moot stopped; everything is saved.")
	return 0
}

// app is a started server with what it needs.
type app struct {
	store  *store.SQLite
	hub    *session.Hub
	server *server.Server
}

func start(ctx context.Context, dataDir string, forum *session.Forum, log *slog.Logger) (*app, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	key, err := server.LoadHostKey(filepath.Join(dataDir, "host_ed25519"))
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dataDir, "moot.db"))
	if err != nil {
		return nil, err
	}
	hub, err := session.NewHub(ctx, st, forum, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	srv, err := server.New(server.Config{HostKey: key, Hubs: map[string]*session.Hub{forum.Slug: hub}, Log: log})
	if err != nil {
		hub.Stop()
		st.Close()
		return nil, err
	}
	return &app{store: st, hub: hub, server: srv}, nil
}

func (a *app) close(ctx context.Context) error {
	err := a.server.Shutdown(ctx)
	return errors.Join(err, a.store.Close())
}

// loadForum reads the agenda (or the demo) and adds the facilitators named
// outside it. The notes say what a newcomer should know about the choice.
func loadForum(o Options) (*session.Forum, []string, error) {
	data, name := agenda.Demo, "the built-in demo agenda"
	if o.Agenda != "" {
		b, err := os.ReadFile(o.Agenda)
		if err != nil {
			return nil, nil, err
		}
		data, name = b, o.Agenda
	}
	forum, err := agenda.Parse(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s:\n%s", name, indent(err.Error()))
	}
	var notes []string
	if o.Facilitators != "" {
		b, err := os.ReadFile(o.Facilitators)
		if err != nil {
			return nil, nil, err
		}
		fps, err := agenda.ParseAuthorizedKeys(b)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:\n%s", o.Facilitators, indent(err.Error()))
		}
		forum.Facilitators = append(forum.Facilitators, fps...)
	}
	if o.Agenda == "" && len(forum.Facilitators) == 0 {
		fps, files := localKeys()
		forum.Facilitators = fps
		if len(files) > 0 {
			notes = append(notes, "Demo facilitators: the keys in "+strings.Join(files, ", ")+" (join with another key to be a participant).")
		} else {
			notes = append(notes, "Demo: no ~/.ssh/*.pub found, so nobody facilitates; pass --facilitators FILE to name facilitators.")
		}
	}
	if len(forum.Facilitators) == 0 && o.Agenda != "" {
		notes = append(notes, "Warning: the agenda names no facilitators, so nobody can move the steps (add facilitators: or --facilitators FILE).")
	}
	return forum, notes, nil
}

// localKeys are the public keys of the user running the demo, so that the
// person trying moot on their own machine can steer it.
func localKeys() ([]string, []string) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, nil
	}
	files, _ := filepath.Glob(filepath.Join(home, ".ssh", "*.pub"))
	var fps, used []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if fp, err := agenda.Fingerprint(string(b)); err == nil {
			fps = append(fps, fp)
			used = append(used, f)
		}
	}
	return fps, used
}

// joinLine is the ssh command that reaches addr.
func joinLine(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "ssh " + addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if h, err := os.Hostname(); err == nil {
			host = h
		}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "22" {
		return "ssh " + host
	}
	return "ssh -p " + port + " " + host
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
