package command

import (
	"context"
	"strings"

	"moot/session/catalogue"
	"moot/session/report"
)

func init() {
	register(
		&spec{name: "export", args: "[--format md|html|json|csv] [--kind KIND] [--order agreed|forum] [--lang CODE]", summary: "command.export.summary",
			facilitator: true, flags: map[string]bool{"format": true, "kind": true, "order": true, "lang": true}, run: runExport},
	)
}

func runExport(ctx context.Context, env Env, a *args) error {
	if err := a.want(0, 0); err != nil {
		return err
	}
	if env.Console {
		return catalogue.Err("command.export.ssh_only", env.Hub.Forum().Slug)
	}
	format := strings.ToLower(a.value["format"])
	if format == "" {
		format = report.Markdown
	}
	kind := a.value["kind"]
	if err := report.CheckFormat(format, kind); err != nil {
		return a.usageOf(err)
	}
	order, err := report.ParseOrder(a.value["order"])
	if err != nil {
		return a.usageOf(err)
	}
	// The forum's language unless another is asked for, whoever exports:
	// moot export gives the same bytes for the same state and language.
	lang, err := report.Language(env.Catalogue, a.value["lang"])
	if err != nil {
		return a.usageOf(err)
	}
	snap := env.Hub.Snapshot()
	log, err := env.Hub.Log(ctx, snap.Seq)
	if err != nil {
		return catalogue.Err("command.export.log", err)
	}
	// csv without --kind is every table at once, as a zip
	// (ssh ... export --format csv > report.zip).
	return report.Build(report.Input{Snapshot: snap, Log: log, Order: order, Catalogue: env.Catalogue, Lang: lang}).Write(env.Out, format, kind)
}
