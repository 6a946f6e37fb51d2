// Command moot serves live deliberative forums over SSH.
//
//	moot [serve] [--listen ADDR] [--data DIR] [--store URL] [--agenda FILE]... [--agendas DIR] [--facilitators FILE] [--admins FILE]
//	moot init [FILE]
//	moot check FILE...
//	moot export --data DIR --forum SLUG --format md|html|json|csv [--order agreed|forum] [--lang CODE] [--out PATH]
//	moot rebuild [--data DIR] [--store URL]
//	moot invite [--data DIR | --agenda FILE] [--public-addr HOST[:PORT]] [SLUG]
//	moot backup --data DIR FILE
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"moot/cmd/internal/quietgc"
	"moot/cmd/internal/server"
	"moot/session"
	"moot/session/agenda"
	"moot/session/catalogue"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		args[0] = "version"
	}
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
	case "export":
		return export(args, stdout, stderr)
	case "rebuild":
		return rebuild(args, stdout, stderr)
	case "invite":
		return invite(args, stdout, stderr)
	case "lang":
		return printEnglish(args, stdout, stderr)
	case "backup":
		return backup(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionLine())
		return 0
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
  moot check FILE...     check agenda files (and the translations); every problem with its line
  moot export [flags]    a forum's report from the data folder (md, html, json or csv);
                         works while the server runs ("moot export --help")
  moot rebuild [flags]   check every forum's log and make the tables projected
                         from it again ("moot rebuild --help")
  moot invite [SLUG]     an invitation to a forum, ready to send ("moot invite --help")
  moot backup --data DIR FILE
                         a consistent copy of the data folder's database,
                         taken while the server runs
  moot lang              every message moot shows, in English: the start of a
                         translation (see the README's "Languages")
  moot --version         the version and the commit it was built from
  moot help              show this help

Run "moot serve --help" for the flags.
`

// Options are the settings of moot serve.
type Options struct {
	Listen       string
	Data         string
	Store        string
	Agendas      []string // files, in the order given
	AgendaDir    string
	Facilitators string
	Admins       string
	// Public is HOST[:PORT], how people reach the server; empty: the
	// address it listens on.
	Public string
	// Limits bound what one peer can take (see "Running it in public"
	// in the README).
	Limits server.Limits
	// Lang is the folder of translations (fr.yaml...); empty: the data
	// folder's lang/.
	Translations string
}

// stringList is a flag that may be given several times.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func serve(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("moot serve", stderr, "")
	var o Options
	fs.StringVar(&o.Listen, "listen", envOr("MOOT_LISTEN", "127.0.0.1:2222"), "address to listen on (env MOOT_LISTEN)")
	dataFlag(fs, &o.Data)
	fs.StringVar(&o.Store, "store", os.Getenv("MOOT_STORE"), storeFlagHelp)
	var agendas stringList
	fs.Var(&agendas, "agenda", "agenda file (YAML) of a forum to serve; repeat for several forums; the built-in demo when none (env MOOT_AGENDA)")
	fs.StringVar(&o.AgendaDir, "agendas", os.Getenv("MOOT_AGENDAS"), "folder of agenda files (*.yaml, *.yml): one forum each (env MOOT_AGENDAS)")
	fs.StringVar(&o.Facilitators, "facilitators", os.Getenv("MOOT_FACILITATORS"), "file of facilitators' public keys, one authorized_keys line each, added to every forum (env MOOT_FACILITATORS)")
	fs.StringVar(&o.Admins, "admins", os.Getenv("MOOT_ADMINS"), "file of the public keys of the server's admins, who may add forums while it runs (ssh HOST forum add < agenda.yaml); one authorized_keys line each (env MOOT_ADMINS)")
	translationsFlag(fs, &o.Translations)
	fs.StringVar(&o.Public, "public-addr", os.Getenv("MOOT_PUBLIC_ADDR"), "HOST[:PORT] that people type to reach this server (the machine's public name, or a load balancer's), shown in every join line; default: the --listen address (env MOOT_PUBLIC_ADDR)")
	o.Limits = server.DefaultLimits()
	fs.DurationVar(&o.Limits.HandshakeTimeout, "handshake-timeout", o.Limits.HandshakeTimeout, "how long a connection has to log in and start a session before it is closed; 0: no limit")
	fs.DurationVar(&o.Limits.WriteTimeout, "write-timeout", o.Limits.WriteTimeout, "a connection whose client takes nothing the server sends for this long is dropped; 0: never")
	fs.DurationVar(&o.Limits.KeepAlive, "keepalive", o.Limits.KeepAlive, "how often each client is asked to answer; one that leaves 3 in a row unanswered is dropped; 0: never")
	fs.IntVar(&o.Limits.MaxConns, "max-conns", o.Limits.MaxConns, "the most connections open at once; 0: no cap")
	fs.IntVar(&o.Limits.MaxConnsPerAddr, "max-conns-per-addr", o.Limits.MaxConnsPerAddr, "the most connections open at once from one address (an IPv6 /64 counts as one); 0: no cap")
	if exit, stop := parseFlagsOnly(fs, args); stop {
		return exit
	}
	if err := checkLimits(o.Limits); err != nil {
		fmt.Fprintf(stderr, "moot serve: %v\n", err)
		return 2
	}
	var public server.Address
	if o.Public != "" {
		var err error
		if public, err = server.ParseAddress(o.Public); err != nil {
			fmt.Fprintf(stderr, "moot serve: --public-addr %v\n", err)
			return 2
		}
	}
	o.Agendas = agendas
	if len(o.Agendas) == 0 && os.Getenv("MOOT_AGENDA") != "" {
		o.Agendas = []string{os.Getenv("MOOT_AGENDA")}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if addr := os.Getenv("MOOT_PPROF"); addr != "" {
		// Profiling, for measuring a server under load (bench/RESULTS.md).
		go func() { log.Info("pprof", "err", http.ListenAndServe(addr, nil)) }()
	}

	extra, err := readKeys(o.Facilitators)
	if err != nil {
		fmt.Fprintf(stderr, "moot: %v\n", err)
		return 2
	}
	admins, err := readKeys(o.Admins)
	if err != nil {
		fmt.Fprintf(stderr, "moot: --admins %v\n", err)
		return 2
	}
	cat, err := loadCatalogue(translationsDir(o.Translations, o.Data))
	if err != nil {
		fmt.Fprintf(stderr, "moot: %v\n", err)
		return 2
	}
	forums, notes, err := loadForums(o, extra, cat)
	if err != nil {
		fmt.Fprintf(stderr, "moot: %v\n", err)
		return 2
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		fmt.Fprintf(stderr, "moot: cannot listen on %s: %v\n", o.Listen, err)
		return 1
	}
	if public == (server.Address{}) {
		public = server.ListenAddress(ln.Addr().String())
	}
	if o.Store == "" {
		// The data folder holds the database: one server at a time.
		release, err := takeDataDir(o.Data)
		if err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "moot: %v\n", err)
			return 1
		}
		defer release()
	}
	if demo := len(o.Agendas) == 0 && o.AgendaDir == ""; demo && len(forums[0].Facilitators) == 0 {
		fp, keyFile, err := demoFacilitator(o.Data)
		if err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "moot: %v\n", err)
			return 1
		}
		forums[0].Facilitators = []string{fp}
		notes = append(notes, fmt.Sprintf("No SSH key of yours was found (~/.ssh/*.pub), so moot made one for you to\nsteer the demo with. Steer it as its facilitator with:\n\n    %s\n\nand join as a participant from another terminal with the line below.\n", withKey(public.SSH(""), keyFile)))
	}
	app, err := start(context.Background(), o.Data, o.Store, forums, access{facilitators: extra, admins: admins}, public, o.Limits, cat, log)
	if err != nil {
		ln.Close()
		fmt.Fprintf(stderr, "moot: %v\n", err)
		return 1
	}
	forums = app.forums
	notes = append(notes, app.notes...)
	if len(admins) > 0 {
		notes = append(notes, fmt.Sprintf("Admins (%s) may add forums: ssh HOST forum add < agenda.yaml", session.Count(len(admins), "key", "keys")))
	}

	// Signals are caught before the join line is printed, so that whoever
	// reads that line can stop the server cleanly from then on.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	join := public.SSH("")
	if len(forums) == 1 {
		fmt.Fprintf(stdout, "moot is serving %q (%d steps); data in %s\n", forums[0].Title, len(forums[0].Steps), where(o.Data, o.Store))
	} else {
		fmt.Fprintf(stdout, "moot is serving %d forums; data in %s\n", len(forums), where(o.Data, o.Store))
		for _, f := range forums {
			fmt.Fprintf(stdout, "  %-20s %q (%d steps): %s\n", f.Slug, f.Title, len(f.Steps), public.SSH(f.Slug))
		}
	}
	for _, n := range notes {
		fmt.Fprintln(stdout, n)
	}
	fmt.Fprintf(stdout, "Join with:\n\n    %s\n\n", join)

	log.Info("listening", "addr", ln.Addr().String(), "public", public.String())
	errc := make(chan error, 1)
	go func() { errc <- app.server.Serve(ln) }()
	quiet, stopQuiet := context.WithCancel(context.Background())
	defer stopQuiet()
	go quietgc.Run(quiet, quietgc.Default, nil)
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
	store  forumStore
	hubs   []*session.Hub
	server *server.Server
	// stopFollowing ends serving the forums other servers add; following
	// closes when it has.
	stopFollowing context.CancelFunc
	following     <-chan struct{}
	// forums are those served at start: the agendas given, then the
	// forums added at run time before.
	forums []*session.Forum
	notes  []string
}

// access is who may do more than take part: the facilitators added to
// every forum (--facilitators) and the server's admins (--admins).
type access struct {
	facilitators, admins []string
}

func start(ctx context.Context, dataDir, storeURL string, forums []*session.Forum, acc access, public server.Address, limits server.Limits, cat *catalogue.Catalogue, log *slog.Logger) (*app, error) {
	st, key, err := openStore(ctx, dataDir, storeURL, log)
	if err != nil {
		return nil, err
	}
	a := &app{store: st}
	// Forums added at run time are served again, unless an agenda given
	// now has the same slug: the file wins.
	given := map[string]bool{}
	for _, f := range forums {
		given[f.Slug] = true
	}
	added, err := st.AddedForums(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	forums = append([]*session.Forum(nil), forums...)
	for _, ad := range added {
		if given[ad.Slug] {
			a.notes = append(a.notes, fmt.Sprintf("Forum %s (added with forum add) is served from its agenda file this time.", ad.Slug))
			continue
		}
		f, err := agenda.ParseFor([]byte(ad.Text), cat)
		if err != nil {
			// An agenda accepted once but refused now (a rule has
			// changed) must not stop the other forums.
			log.Warn("a forum added before is not served: its agenda has problems", "forum", ad.Slug, "problems", err.Error())
			a.notes = append(a.notes, fmt.Sprintf("Warning: forum %s, added before, is not served: its agenda has problems now:\n%s", ad.Slug, indent(err.Error())))
			continue
		}
		f.Facilitators = append(f.Facilitators, acc.facilitators...)
		forums = append(forums, f)
	}
	a.forums = forums
	hubs := map[string]*session.Hub{}
	for _, f := range forums {
		hub, err := session.NewHub(ctx, st, f, log)
		if err != nil {
			a.stopHubs()
			st.Close()
			return nil, err
		}
		hubs[f.Slug] = hub
		a.hubs = append(a.hubs, hub)
	}
	srv, err := server.New(server.Config{
		HostKey: key, Hubs: hubs, Log: log, Public: public, Limits: limits, Catalogue: cat,
		Admins: acc.admins, Facilitators: acc.facilitators,
		Add: func(ctx context.Context, f *session.Forum, agendaText, addedBy string) (*session.Hub, error) {
			if err := st.AddForum(ctx, f, agendaText, addedBy); err != nil {
				return nil, err
			}
			return session.NewHub(ctx, st, f, log)
		},
	})
	if err != nil {
		a.stopHubs()
		st.Close()
		return nil, err
	}
	a.server = srv
	followCtx, stop := context.WithCancel(context.Background())
	a.stopFollowing = stop
	if a.following, err = serveAddedElsewhere(followCtx, st, srv, acc.facilitators, log); err != nil {
		stop()
		a.stopHubs()
		st.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) stopHubs() {
	for _, h := range a.hubs {
		h.Stop()
	}
}

func (a *app) close(ctx context.Context) error {
	a.stopFollowing()
	<-a.following
	err := a.server.Shutdown(ctx)
	return errors.Join(err, a.store.Close())
}

// checkLimits refuses bounds no server could mean.
func checkLimits(l server.Limits) error {
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--handshake-timeout", l.HandshakeTimeout}, {"--write-timeout", l.WriteTimeout}, {"--keepalive", l.KeepAlive}} {
		if d.v < 0 {
			return fmt.Errorf("%s %v: give a duration such as 30s, or 0 for none", d.flag, d.v)
		}
	}
	if l.MaxConns < 0 || l.MaxConnsPerAddr < 0 {
		return errors.New("--max-conns and --max-conns-per-addr: give a number of connections, or 0 for no cap")
	}
	return nil
}

// loadForums reads the agendas (or the demo) and adds the facilitators
// named outside them. The notes say what a newcomer should know.
func loadForums(o Options, extra []string, cat *catalogue.Catalogue) ([]*session.Forum, []string, error) {
	files := append([]string(nil), o.Agendas...)
	if o.AgendaDir != "" {
		var found []string
		for _, pattern := range []string{"*.yaml", "*.yml"} {
			m, err := filepath.Glob(filepath.Join(o.AgendaDir, pattern))
			if err != nil {
				return nil, nil, err
			}
			found = append(found, m...)
		}
		if len(found) == 0 {
			if _, err := os.Stat(o.AgendaDir); err != nil {
				return nil, nil, fmt.Errorf("--agendas: %w", err)
			}
			return nil, nil, fmt.Errorf("--agendas: no *.yaml or *.yml files in %s", o.AgendaDir)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	var notes []string
	if len(files) == 0 {
		forum, err := agenda.Parse(agenda.Demo)
		if err != nil {
			return nil, nil, fmt.Errorf("the built-in demo agenda:\n%s", indent(err.Error()))
		}
		forum.Facilitators = append(forum.Facilitators, extra...)
		if len(forum.Facilitators) == 0 {
			fps, keyFiles := localKeys()
			forum.Facilitators = fps
			if len(keyFiles) > 0 {
				notes = append(notes, "Demo facilitators: the keys in "+strings.Join(keyFiles, ", ")+" (join with another key to be a participant).")
			}
		}
		return []*session.Forum{forum}, notes, nil
	}
	var forums []*session.Forum
	var problems []string
	where := map[string]string{}
	for _, file := range files {
		b, err := agenda.ReadFile(file)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		forum, err := agenda.ParseFor(b, cat)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s:\n%s", file, indent(err.Error())))
			continue
		}
		if other, dup := where[forum.Slug]; dup {
			problems = append(problems, fmt.Sprintf("%s: slug %q is already the slug of %s; every forum needs its own (slug: in the agenda)", file, forum.Slug, other))
			continue
		}
		where[forum.Slug] = file
		forum.Facilitators = append(forum.Facilitators, extra...)
		if len(forum.Facilitators) == 0 {
			notes = append(notes, fmt.Sprintf("Warning: %s names no facilitators, so nobody can move its steps (add facilitators: or --facilitators FILE).", file))
		}
		forums = append(forums, forum)
	}
	if len(problems) > 0 {
		return nil, nil, errors.New(strings.Join(problems, "\n"))
	}
	return forums, notes, nil
}

// readKeys reads a file of authorized_keys lines into fingerprints; no
// file, no keys.
func readKeys(path string) ([]string, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fps, err := agenda.ParseAuthorizedKeys(b)
	if err != nil {
		return nil, fmt.Errorf("%s:\n%s", path, indent(err.Error()))
	}
	return fps, nil
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

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// translationsDir is the folder of translations: the one given, else the
// data folder's lang/.
func translationsDir(given, data string) string {
	if given != "" {
		return given
	}
	return filepath.Join(data, "lang")
}

// loadCatalogue is English, the pseudo-locale and the translations in dir,
// each checked against the English; a folder that does not exist holds
// none.
func loadCatalogue(dir string) (*catalogue.Catalogue, error) {
	ts, err := catalogue.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("translations in %s:\n%s", dir, indent(err.Error()))
	}
	return catalogue.New(ts...)
}
