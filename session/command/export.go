package command

import (
	"context"
	"fmt"
	"strings"

	"moot/session/report"
)

func init() {
	register(
		&spec{name: "export", args: "[--format md|html|json|csv] [--kind KIND] [--order agreed|forum] [--lang CODE]", summary: "the forum's report on standard output (over SSH: ssh SLUG@host export > report.md)",
			facilitator: true, flags: map[string]bool{"format": true, "kind": true, "order": true, "lang": true}, run: runExport},
	)
}

func runExport(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	if env.Console {
		return fmt.Errorf("export writes a file's worth of text: run it over SSH, e.g. ssh %s@HOST export --format md > report.md", env.Hub.Forum().Slug)
	}
	format := strings.ToLower(a.value["format"])
	if format == "" {
		format = report.Markdown
	}
	kind := a.value["kind"]
	if err := report.CheckFormat(format, kind); err != nil {
		return a.usageErr("%v", err)
	}
	order, err := report.ParseOrder(a.value["order"])
	if err != nil {
		return a.usageErr("%v", err)
	}
	// The forum's language unless another is asked for, whoever exports:
	// moot export gives the same bytes for the same state and language.
	lang, err := report.Language(env.Catalogue, a.value["lang"])
	if err != nil {
		return a.usageErr("%v", err)
	}
	snap := env.Hub.Snapshot()
	log, err := env.Hub.Log(ctx, snap.Seq)
	if err != nil {
		return fmt.Errorf("reading the forum's log: %w", err)
	}
	// csv without --kind is every table at once, as a zip
	// (ssh ... export --format csv > report.zip).
	return report.Build(report.Input{Snapshot: snap, Log: log, Order: order, Catalogue: env.Catalogue, Lang: lang}).Write(env.Out, format, kind)
}
