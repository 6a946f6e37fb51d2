package command

import (
	"context"
	"fmt"
	"strings"

	"moot/session/report"
)

func init() {
	register(
		&spec{name: "export", args: "[--format md|json|csv] [--kind KIND]", summary: "the forum's report on standard output (over SSH: ssh SLUG@host export > report.md)",
			facilitator: true, flags: map[string]bool{"format": true, "kind": true}, run: runExport},
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
	switch {
	case format != report.Markdown && format != report.JSON && format != report.CSV:
		return a.usageErr("unknown format %q (md, json or csv)", a.value["format"])
	case kind != "" && format != report.CSV:
		return a.usageErr("--kind goes with --format csv")
	}
	snap := env.Hub.Snapshot()
	log, err := env.Hub.Log(ctx, snap.Seq)
	if err != nil {
		return fmt.Errorf("reading the forum's log: %w", err)
	}
	r := report.Build(report.Input{Snapshot: snap, Log: log})
	switch {
	case format == report.Markdown:
		return r.WriteMarkdown(env.Out)
	case format == report.JSON:
		return r.WriteJSON(env.Out)
	case kind != "":
		if err := r.WriteCSV(env.Out, kind); err != nil {
			return a.usageErr("%v", err)
		}
		return nil
	}
	// Every table at once: a zip (ssh ... export --format csv > report.zip).
	return r.WriteZip(env.Out)
}
