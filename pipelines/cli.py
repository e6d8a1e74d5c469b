"""The ``newsevents`` command: a thin layer that parses arguments, calls the library and
turns its errors into clear messages (never a traceback).

Each command imports the library it calls inside its own function: Beam, spaCy and the
pipelines take seconds to import, which ``--help``, a usage error or a query should not
wait for.
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import logging
import os
import sys

import click

from newsevents.schemas.tables import ROW_TABLES
from newsevents.pipelines.options import (
    RUNNERS, WATERMARKS, OptionsError, RunOptions, StreamOptions, default_of, make_run_options,
    make_stream_options)

EXIT_ACCOUNTING = 3
EXIT_BELOW_FLOOR = 4
EXIT_DAMAGED = 5
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


class JsonLogFormatter(logging.Formatter):
    """Log records as JSON lines, with the structured fields passed in ``extra``."""

    STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

    def format(self, record):
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        entry.update({k: v for k, v in vars(record).items() if k not in self.STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class ExitError(click.ClickException):
    """A clear message with a specific exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


# The extraction settings of every command that runs the pipeline (run, stream).
EXTRACTION_OPTIONS = (
    click.option("--model", default=default_of(RunOptions, "model"), show_default=True,
                 help="spaCy pipeline package to extract with."),
    click.option("--batch-size", type=int, default=default_of(RunOptions, "batch_size"),
                 show_default=True, help="Lines per spaCy nlp.pipe batch is 8 times this."),
    click.option("--near-duplicate-threshold", type=float,
                 default=default_of(RunOptions, "near_duplicate_threshold"), show_default=True,
                 metavar="JACCARD",
                 help="Estimated Jaccard similarity of word 3-shingles from which an article "
                      "is a near-duplicate (syndicated copy, light rewrite) of another."),
    click.option("--parse", "parse_scope", type=click.Choice(["candidates", "all"]),
                 default="candidates", show_default=True,
                 help="Which sentences the statistical model parses: only those with a form of "
                      "a trigger word (the others are only tokenized; same events, about 3 "
                      "times faster), or all (places in sentences without a trigger are then "
                      "geoparsed too)."),
)


def extraction_options(command):
    for option in reversed(EXTRACTION_OPTIONS):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsevents")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON object a line on stderr, for log collectors.")
def cli(verbose, log_format):
    """News articles in, political and conflict events out.

    Reads article files, extracts who did what to whom, where, when and how many were
    killed, injured, displaced or detained, and writes a Hive-partitioned Parquet lake
    that DuckDB queries directly.

    \b
    Example:
      newsevents run --input examples/ --output lake/
      newsevents sql "select event_type, count(*) from events group by all" --lake lake/
    """
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLogFormatter() if log_format == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    if verbose == 0:
        # Beam warns about optional cloud clients and Dask logs its cluster's shutdown
        # chatter; neither is news to a user running a job.
        for name in ("root", "apache_beam", "distributed", "tornado", "asyncio"):
            logging.getLogger(name).setLevel(logging.ERROR)
        # Our own warnings (a damaged file skipped, leftovers of a crashed run removed)
        # are news to the user.
        logging.getLogger("newsevents").setLevel(logging.WARNING)


@cli.command("run")
@click.option("--input", "-i", "inputs", multiple=True, metavar="PATH",
              help="A file, a directory (read recursively) or a glob; repeatable. "
                   "Formats: .jsonl/.ndjson, .txt, .html/.htm, each optionally .gz.")
@click.option("--output", "-o", required=True, metavar="LAKE_DIR",
              help="The lake directory (local path, gs:// or s3://).")
@click.option("--default-published-at", metavar="DATE",
              help="ISO 8601 date for articles that carry no publication date.")
@click.option("--runner", type=click.Choice(RUNNERS), default=default_of(RunOptions, "runner"),
              show_default=True, help="Beam runner: local (FnApiRunner), dask, or a cluster service.")
@click.option("--workers", type=int, default=default_of(RunOptions, "workers"), show_default=True,
              help="Worker processes: the local runner's multi_processing mode, or the "
                   "size of the local Dask cluster (at least 2) when --runner dask has no "
                   "--dask-address.")
@click.option("--dask-address", metavar="HOST:PORT", help="Scheduler of an existing Dask cluster.")
@click.option("--max-chars", type=int, default=default_of(RunOptions, "max_chars"), show_default=True,
              help="Longer article bodies are rejected.")
@click.option("--since", metavar="DATE", help="Only articles published on or after this day (backfills).")
@click.option("--until", metavar="DATE", help="Only articles published on or before this day.")
@click.option("--incremental/--full", default=default_of(RunOptions, "incremental"), show_default=True,
              help="Skip input files an earlier run read completely and that have not "
                   "changed since (same size and modification time).")
@click.option("--lock-wait", type=float, default=default_of(RunOptions, "lock_wait"),
              show_default=True, metavar="SECONDS",
              help="How long to wait for another run's lock on the lake before failing.")
@click.option("--reprocess", is_flag=True,
              help="Instead of reading inputs, extract the lake's stored articles published "
                   "between --since and --until again with the current extractor, replacing "
                   "their rows atomically.")
@click.option("--chunk-records", "max_records_per_chunk", type=int,
              default=default_of(RunOptions, "max_records_per_chunk"), show_default=True,
              help="The local runner processes the input in chunks of at most this many "
                   "records and about 16 MiB of text (large JSON Lines files split by "
                   "lines) and commits them as one run: memory stays bounded whatever the "
                   "input's size.")
@extraction_options
@click.option("--progress/--no-progress", default=None,
              help="Show a progress display; by default only when stderr is a terminal.")
@click.argument("beam_args", nargs=-1, type=click.UNPROCESSED)
def run_command(inputs, output, reprocess, parse_scope, **settings):
    """Run the pipeline over article files and commit one run to the lake.

    Every input record ends up in exactly one place: the articles table, the rejects
    table (with a reason), or counted as a duplicate. Runs are incremental, atomic and
    safe to repeat; one run holds the lake at a time. Extra arguments after `--` go to
    Beam (e.g. `-- --project my-gcp-project`).

    Exit codes: 0 committed, 1 error (nothing committed), 2 usage, 3 committed but the
    accounting does not add up, 75 the lake is locked by another run.

    \b
    Example:
      newsevents run -i examples/ -i 'crawl/2024-*.jsonl.gz' -o lake/ \\
          --default-published-at 2024-03-01
      newsevents run -i crawl/ -o lake/ --since 2024-01-01 --until 2024-01-31
      newsevents run --reprocess -o lake/ --since 2024-01-01 --until 2024-01-31
    """
    from newsevents.pipelines.batch import run
    from newsevents.pipelines.reprocess import reprocess as reprocess_range
    from newsevents.transforms.storage.lock import LakeBusy

    if reprocess and inputs:
        raise click.UsageError("--reprocess reads the lake: give no --input")
    if reprocess and not (settings["since"] or settings["until"]):
        raise click.UsageError("--reprocess needs --since and/or --until")
    if not reprocess and not inputs:
        raise click.UsageError("give at least one --input (a file, a directory or a glob)")
    try:
        options = make_run_options(inputs or ["(lake)"], output,
                                   prefilter=parse_scope == "candidates", **settings)
        manifest = reprocess_range(options) if reprocess else run(options)
    except LakeBusy as err:
        raise ExitError(str(err), EXIT_LOCKED) from None
    except (OptionsError, FileNotFoundError, RuntimeError) as err:
        raise click.ClickException(str(err)) from None
    except Exception as err:  # the pipeline's own failure: a message, not a traceback
        logging.getLogger(__name__).debug("pipeline failed", exc_info=True)
        raise click.ClickException(
            f"the run failed and nothing was committed: {type(err).__name__}: "
            f"{str(err).splitlines()[0] if str(err) else ''} (run with -vv for details)") from None
    counts = manifest["counts"]
    seconds = (manifest["finished_at"] - manifest["started_at"]).total_seconds()
    click.echo(f"run {manifest['run_id']}: {manifest['status']} in {seconds:.1f}s")
    for name in ("read", "stored", "duplicates", "rejected", "events", "places"):
        click.echo(f"  {name:<10} {counts[name]:>8}")
    if counts.get("near_duplicates"):
        click.echo(f"  of the duplicates, near-duplicates: {counts['near_duplicates']}")
    if counts.get("incidents_new") or counts.get("incidents_updated"):
        click.echo(f"  incidents  {counts.get('incidents_new') or 0:>8} new, "
                   f"{counts.get('incidents_updated') or 0} updated")
    if counts["skipped_files"]:
        click.echo(f"  unchanged input files skipped: {counts['skipped_files']}")
    if counts["out_of_range"]:
        click.echo(f"  records outside --since/--until, not stored: {counts['out_of_range']}")
    if counts.get("rejects_known"):
        click.echo(f"  of the rejected, already in the rejects table: {counts['rejects_known']}")
    if counts["extraction_errors"]:
        click.echo(f"  extraction errors {counts['extraction_errors']} (see the rejects table)")
    if not manifest["accounting_ok"]:
        raise ExitError("accounting mismatch: read != stored + duplicates + rejected",
                        EXIT_ACCOUNTING)


@cli.command("stream")
@click.option("--input", "-i", "input_dir", metavar="DIR",
              help="Follow this directory: every file a crawler drops here is read once.")
@click.option("--subscription", metavar="projects/P/subscriptions/S",
              help="Read a Google Cloud Pub/Sub subscription instead (needs newsevents[pubsub]).")
@click.option("--output", "-o", required=True, metavar="LAKE_DIR", help="The lake to commit to.")
@click.option("--window", default=default_of(StreamOptions, "window", as_duration=True),
              show_default=True, metavar="DURATION",
              help="Fixed publication-time windows (90s, 15m, 1h ...).")
@click.option("--allowed-lateness", default=default_of(StreamOptions, "allowed_lateness", as_duration=True),
              show_default=True, metavar="DURATION",
              help="How long after its window closed an article is still processed (a late "
                   "pane); later ones go to LAKE/_stream/late/.")
@click.option("--max-delay", default=default_of(StreamOptions, "max_delay", as_duration=True),
              show_default=True, metavar="DURATION",
              help="How far the watermark stays behind the clock (arrival) or behind the "
                   "newest publication time seen (event).")
@click.option("--watermark", type=click.Choice(WATERMARKS),
              default=default_of(StreamOptions, "watermark"), show_default=True,
              help="arrival: a live feed; event: replaying an archive in publication order.")
@click.option("--poll", default=default_of(StreamOptions, "poll", as_duration=True),
              show_default=True, metavar="DURATION",
              help="How often to look for new files and due windows.")
@click.option("--settle", default=default_of(StreamOptions, "settle", as_duration=True),
              show_default=True, metavar="DURATION",
              help="A file is read once unchanged this long (crawlers still writing it).")
@click.option("--exit-when-idle", metavar="DURATION",
              help="Stop when no file arrived this long and no pane waits (cron, tests).")
@click.option("--flush-on-stop", is_flag=True,
              help="On stop, process the windows still open instead of leaving them for "
                   "the next start.")
@click.option("--lock-wait", type=float, default=default_of(StreamOptions, "lock_wait"),
              show_default=True, metavar="SECONDS",
              help="How long a pane's run waits for a batch run holding the lake.")
@extraction_options
@click.option("--runner", type=click.Choice(RUNNERS), default=default_of(RunOptions, "runner"),
              show_default=True, help="Runner of each pane's run (and of the Pub/Sub pipeline).")
@click.option("--workers", type=int, default=default_of(RunOptions, "workers"), show_default=True,
              help="Worker processes of each pane's run.")
@click.argument("beam_args", nargs=-1, type=click.UNPROCESSED)
def stream_command(output, parse_scope, model, runner, workers, batch_size,
                   near_duplicate_threshold, beam_args, **stream_settings):
    """Process articles as they arrive, windowed by publication time.

    Each window's articles are committed as one run (kind "stream") when the
    watermark passes the window's end; articles arriving later but within the
    allowed lateness are committed as late panes; later ones are written to
    LAKE/_stream/late/ and counted (counts.late_routed), for a batch run to merge:
    `newsevents run -i LAKE/_stream/late -o LAKE`. What was read survives restarts
    (LAKE/_stream/checkpoint.json). SIGINT / SIGTERM stop after the current step;
    open windows are left for the next start (or processed, with --flush-on-stop).

    \b
    Example:
      newsevents stream -i crawl/inbox -o lake/ --window 15m --allowed-lateness 1h
      newsevents sql "SELECT count(*) FROM events" --lake lake/
    """
    from newsevents.pipelines.stream import follow, start_pubsub_pipeline
    from newsevents.transforms.storage.lock import LakeBusy
    from newsevents.transforms.streaming.windows import format_duration, window_label

    def report(manifest, pane):
        counts = manifest["counts"]
        name = pane.rsplit("/", 1)[-1]
        late = f", {counts['late_routed']} routed late" if counts.get("late_routed") else ""
        click.echo(f"{name}: run {manifest['run_id']} {manifest['status']}: "
                   f"{counts['read']} read, {counts['stored']} stored, "
                   f"{counts['duplicates']} duplicates, {counts['rejected']} rejected, "
                   f"{counts['events']} events{late}", err=False)

    job = None
    try:
        source = stream_settings["input_dir"] or stream_settings["subscription"]
        run_options = make_run_options(
            [source or "-"], output, model=model, runner=runner, workers=workers,
            batch_size=batch_size, beam_args=beam_args,
            near_duplicate_threshold=near_duplicate_threshold, prefilter=parse_scope == "candidates")
        options = make_stream_options(run_options, **stream_settings)
        if options.subscription:
            job = start_pubsub_pipeline(options)
        click.echo(f"following {source} into {output}: {format_duration(options.window)} windows, "
                   f"{format_duration(options.allowed_lateness)} allowed lateness, "
                   f"{options.watermark} watermark (Ctrl-C to stop)", err=True)
        totals = follow(options, report)
    except LakeBusy as err:
        raise ExitError(f"another stream or run holds the lake: {err}", EXIT_LOCKED) from None
    except KeyboardInterrupt:
        raise ExitError("interrupted: the run in progress was not committed; "
                        "its pane is committed at the next start", 130) from None
    except (OptionsError, FileNotFoundError, RuntimeError) as err:
        raise click.ClickException(str(err)) from None
    except Exception as err:
        logging.getLogger(__name__).debug("stream failed", exc_info=True)
        raise click.ClickException(
            f"the stream stopped: {type(err).__name__}: "
            f"{str(err).splitlines()[0] if str(err) else ''} (run with -vv for details)") from None
    finally:
        if job is not None and runner == "local":
            job.cancel()
    watermark_text = (window_label(totals["watermark"]) if totals["watermark"] is not None
                      else "none")
    click.echo(f"stopped: {totals['files']} files, {totals['articles']} articles read, "
               f"{totals['rejected']} rejected, {totals['too_late']} too late; "
               f"{totals['runs']} runs committed; {totals['open_windows']} windows open; "
               f"watermark {watermark_text}", err=True)


@cli.command("sql")
@click.argument("query", required=False)
@click.option("--lake", "-l", default="lake", show_default=True, metavar="LAKE_DIR",
              help="The lake to query.")
@click.option("--query", "-q", "query_name", metavar="NAME",
              help="Run a canned query from schemas/queries/ instead (see `newsevents queries`).")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True,
              help="table for reading, csv or json (one object a line) for other tools.")
def sql_command(query, lake, query_name, fmt):
    """Query the lake with DuckDB SQL over the views articles, events, places, rejects
    and runs.

    \b
    Example:
      newsevents sql "select event_type, count(*) n from events group by all order by n desc" -l lake/
      newsevents sql --query incidents_by_type_and_country -l lake/ --format csv
    """
    from newsevents.schemas.lake import canned_queries

    if bool(query) == bool(query_name):
        raise click.UsageError("give either a SQL QUERY or --query NAME")
    if query_name:
        queries = canned_queries()
        if query_name not in queries:
            raise click.ClickException(f"no canned query {query_name!r}; known: {', '.join(sorted(queries))}")
        query = queries[query_name]
    _query_lake(lake, query, fmt)


@cli.command("queries")
def queries_command():
    """List the canned queries (run one with `newsevents sql --query NAME`).

    \b
    Example:
      newsevents queries
    """
    from newsevents.schemas.lake import canned_queries

    for name, text in sorted(canned_queries().items()):
        first = next((ln[2:].strip() for ln in text.splitlines() if ln.startswith("--")), "")
        click.echo(f"{name:32} {first}")


@cli.command("runs")
@click.option("--lake", "-l", default="lake", show_default=True, metavar="LAKE_DIR", help="The lake.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="table for reading, csv or json for other tools.")
def runs_command(lake, fmt):
    """The history of runs: counts, duration, status and versions, oldest first.

    \b
    Example:
      newsevents runs --lake lake/
    """
    from newsevents.schemas.lake import canned_queries

    _query_lake(lake, canned_queries()["run_history"], fmt)


@cli.command("compact")
@click.option("--lake", "-l", required=True, metavar="LAKE_DIR", help="The lake to compact.")
@click.option("--table", "tables", multiple=True, type=click.Choice(ROW_TABLES),
              help="Only these tables (repeatable); every table by default.")
@click.option("--min-files", type=int, default=2, show_default=True,
              help="Compact a partition once it has this many files.")
@click.option("--lock-wait", type=float, default=0.0, show_default=True, metavar="SECONDS",
              help="How long to wait for another run's lock on the lake.")
def compact_command(lake, tables, min_files, lock_wait):
    """Merge the small files of each partition into one, atomically; no query result changes.

    \b
    Example:
      newsevents compact --lake lake/ --table events
    """
    from newsevents.pipelines.maintenance import compact
    from newsevents.transforms.storage.lock import LakeBusy

    if min_files < 2:
        raise click.UsageError("--min-files must be at least 2")
    try:
        manifest = compact(lake, tuple(tables) or ROW_TABLES, min_files, lock_wait)
    except LakeBusy as err:
        raise ExitError(str(err), EXIT_LOCKED) from None
    click.echo(f"compaction {manifest['run_id']}: merged {manifest['metrics']['compact:files_merged']} "
               f"files into {manifest['metrics']['compact:files_written']}")


@cli.command("unlock")
@click.option("--lake", "-l", required=True, metavar="LAKE_DIR", help="The lake whose lock to remove.")
@click.option("--force", is_flag=True,
              help="Remove the lock file even if a live run holds it (only for a run you know "
                   "is hung: that run then commits nothing).")
def unlock_command(lake, force):
    """Remove the lake's lock file, whatever it holds, unless a live run holds the lock.

    A dead run's lock never blocks another run (the operating system releases it with
    the process), so this is tidying, or, with --force, for a run that hangs. Exit codes:
    0 removed or none, 75 a live run holds it (without --force).

    \b
    Example:
      newsevents unlock --lake lake/
    """
    from newsevents.pipelines.maintenance import unlock
    from newsevents.transforms.storage.lock import LakeBusy, describe_holder

    try:
        found = unlock(lake, force)
    except LakeBusy as err:
        raise ExitError(str(err), EXIT_LOCKED) from None
    except (OSError, RuntimeError) as err:
        raise click.ClickException(str(err)) from None
    if found is None:
        click.echo("the lake was not locked")
        return
    holder, alive = found
    whose = describe_holder(holder) if holder else "no run (the file held no holder details)"
    click.echo(f"removed the lock of {whose}" if not alive else
               f"removed the lock of {whose}, which was alive: it will commit nothing")


@cli.command("check")
@click.option("--lake", "-l", required=True, metavar="LAKE_DIR", help="The lake to verify.")
@click.option("--repair", is_flag=True,
              help="Quarantine what is damaged (to LAKE/_quarantine/) and mark the inputs of the "
                   "rows it held for reading again, so that the next run restores them.")
@click.option("--lock-wait", type=float, default=default_of(RunOptions, "lock_wait"),
              show_default=True, metavar="SECONDS",
              help="With --repair: how long to wait for another run's lock on the lake.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for reading, json for other tools.")
def check_command(lake, repair, lock_wait, fmt):
    """Verify every committed file of the lake against its manifest.

    Each file is read whole and compared with the size, row count, schema and SHA-256
    its run recorded at commit; manifests that cannot be read, files that are missing
    and files no run wrote are reported too. With --repair, the damaged files go to
    LAKE/_quarantine/, and the next `newsevents run` over the same inputs restores
    their rows. Exit codes: 0 the lake is whole (or was repaired), 5 damage found
    (without --repair), 75 another run holds the lake (--repair).

    \b
    Example:
      newsevents check --lake lake/
      newsevents check --lake lake/ --repair
    """
    from newsevents.pipelines import repair as lake_repair
    from newsevents.transforms.storage.lock import LakeBusy

    if "://" not in lake and not os.path.isdir(lake):
        raise click.ClickException(f"no lake at {lake!r}")
    try:
        report = lake_repair.repair(lake, lock_wait) if repair else lake_repair.check(lake)
    except LakeBusy as err:
        raise ExitError(str(err), EXIT_LOCKED) from None
    except (OSError, RuntimeError) as err:
        raise click.ClickException(str(err)) from None
    found = report.check.findings if repair else report.findings
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), default=str))
    else:
        checked = report.check.files_checked if repair else report.files_checked
        click.echo(f"checked {checked} files: "
                   + (f"{len(found)} problem{'s' if len(found) != 1 else ''}" if found else "the lake is whole"))
        if found:
            click.echo(render(["file", "kind", "problem"],
                              [(f.path, f.kind, f.problem) for f in found], "table"), nl=False)
        if repair and found:
            click.echo(f"repair {report.run_id}: {len(report.quarantined)} files moved to "
                       f"{os.path.join(lake, '_quarantine', report.run_id)}")
            if report.rows_taken_out:
                click.echo("  rows taken out to be read again: " + ", ".join(
                    f"{n} {table}" for table, n in sorted(report.rows_taken_out.items())))
            if report.reread_files:
                click.echo(f"  {len(report.reread_files)} input files marked for reading again: "
                           "the next `newsevents run` over them restores the rows")
            if report.inputs_gone:
                click.echo(f"  {len(report.inputs_gone)} input files no longer exist: rows read "
                           "from them cannot be restored (" + ", ".join(report.inputs_gone[:3]) + ")")
    if found and not repair:
        raise ExitError(f"the lake is damaged: `newsevents check --lake {lake} --repair` "
                        "quarantines what is damaged", EXIT_DAMAGED)


@cli.command("eval")
@click.option("--gold", "-g", "gold_path", required=True, metavar="FILE",
              help="Gold events: newsevents gold JSON Lines (a file, or a folder of them such as "
                   "tests/gold/) or PLOVER "
                   "gold-standard records (a JSON array).")
@click.option("--lake", "-l", metavar="LAKE_DIR",
              help="Score the events already in this lake (matched by article id); by "
                   "default the gold articles are run through the pipeline in a scratch lake.")
@click.option("--model", default=default_of(RunOptions, "model"), show_default=True,
              help="spaCy pipeline package for the fresh run.")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes for the fresh run.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for reading, json for other tools.")
@click.option("--report", "report_path", metavar="FILE", help="Also write the full report as JSON here.")
@click.option("--floors", "floors_path", metavar="FILE",
              help="JSON of field -> {precision|recall|f1: minimum}; exit 4 when a score is below.")
@click.option("--misses", type=int, default=15, show_default=True, help="How many of the worst misses to list.")
def eval_command(gold_path, lake, model, workers, fmt, report_path, floors_path, misses):
    """Score extraction against gold events: precision, recall and F1 per field.

    Fields: event type, ACLED type and sub-type, both actors, place (within 25 km),
    event date, each magnitude and modality; also a confusion table of event types, how
    well confidence ranks right events above wrong ones (AUC), and the worst misses.

    Exit codes: 0 scored, 1 error, 4 a score is below its --floors minimum.

    \b
    Example:
      newsevents eval --gold tests/gold/conflict.jsonl
      newsevents eval --gold ../shared/eval/plover_gsr.json --format json
      newsevents eval --gold tests/gold/conflict.jsonl --floors tests/gold/floors.json
    """
    from newsevents.pipelines.evaluate import (FIELDS, check_floors, evaluate, events_from_fresh_run,
                                    events_from_lake, load_floors)
    from newsevents.pipelines.gold import GoldError, load_gold

    try:
        floors = load_floors(floors_path) if floors_path else None
        fmt_name, docs = load_gold(gold_path)
        events = events_from_lake(lake) if lake else events_from_fresh_run(docs, model, workers)
    except (GoldError, ValueError, OptionsError, FileNotFoundError, RuntimeError) as err:
        raise click.ClickException(str(err)) from None
    fields = ("event_type", "actor1", "actor2") if fmt_name == "plover" else FIELDS
    report = evaluate(docs, events, fields, max_misses=misses)
    result = report.as_dict()
    result["gold"] = {"path": gold_path, "format": fmt_name}
    if report_path:
        with open(report_path, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=2, default=str)
    click.echo(json.dumps(result, indent=2, default=str) if fmt == "json"
               else render_report(result), nl=fmt == "json")
    failures = check_floors(report, floors) if floors else []
    if failures:
        raise ExitError("below the floors: " + "; ".join(failures), EXIT_BELOW_FLOOR)


@cli.command("eval-incidents")
@click.option("--corpus", "-c", "corpus_path", default="tests/incidents/corpus.jsonl",
              show_default=True, metavar="FILE",
              help="Ground truth: articles with their story (copies share one), the "
                   "incident they report and the run (1 or 2) that reads them.")
@click.option("--model", default=default_of(RunOptions, "model"), show_default=True,
              help="spaCy pipeline package to extract with.")
@click.option("--near-duplicate-threshold", type=float,
              default=default_of(RunOptions, "near_duplicate_threshold"),
              show_default=True, metavar="JACCARD", help="As for `newsevents run`.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for reading, json for other tools.")
@click.option("--report", "report_path", metavar="FILE", help="Also write the full report as JSON here.")
@click.option("--floors", "floors_path", metavar="FILE",
              help="JSON of score -> minimum (duplicates_precision, duplicates_recall, "
                   "bcubed_precision, bcubed_recall, pairwise_precision, pairwise_recall, "
                   "id_stability); exit 4 when a score is below.")
def eval_incidents_command(corpus_path, model, near_duplicate_threshold, fmt, report_path, floors_path):
    """Score duplicate detection and incident clustering against a ground-truth corpus.

    The corpus goes through the pipeline in two scheduled runs into a scratch lake (the
    second brings later reports, rising tolls and copies of stored articles). Printed:
    pairwise precision / recall of duplicate detection, B-cubed and pairwise precision
    / recall of incident clustering, the share of incident ids the second run kept, and
    each gold incident's counts against the truth.

    Exit codes: 0 scored, 1 error, 4 a score is below its --floors minimum.

    \b
    Example:
      newsevents eval-incidents --floors tests/incidents/floors.json
    """
    from newsevents.pipelines import evaluate_incidents as ei
    from newsevents.pipelines.gold import GoldError

    try:
        floors = ei.load_floors(floors_path) if floors_path else None
        corpus = ei.load_corpus(corpus_path)
        options_check = make_run_options(["(corpus)"], "(scratch)",
                                         near_duplicate_threshold=near_duplicate_threshold)
        report = ei.evaluate_fresh(corpus, model, options_check.near_duplicate_threshold)
    except (GoldError, ValueError, OptionsError, FileNotFoundError, RuntimeError) as err:
        raise click.ClickException(str(err)) from None
    report["corpus"] = corpus_path
    if report_path:
        with open(report_path, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2, default=str)
    click.echo(json.dumps(report, indent=2, default=str) if fmt == "json"
               else render_incident_report(report), nl=fmt == "json")
    failures = ei.check_floors(report, floors) if floors else []
    if failures:
        raise ExitError("below the floors: " + "; ".join(failures), EXIT_BELOW_FLOOR)


def render_incident_report(report: dict) -> str:
    def number(value):
        return "" if value is None else f"{value:.3f}"

    parts = [f"{report['articles']} articles, {report['gold_incidents']} gold incidents; "
             f"their articles fall into {report['predicted_incidents']} predicted incidents "
             f"({report['incidents_in_lake']} incidents in the lake in all)\n\n"]
    rows = [(name, number(report[key]["precision"]), number(report[key]["recall"]),
             number(report[key]["f1"])) for name, key in
            (("duplicates (pairwise)", "duplicates"), ("incidents (B-cubed)", "bcubed"),
             ("incidents (pairwise)", "pairwise"))]
    parts.append(render(["score", "precision", "recall", "f1"], rows, "table"))
    if report.get("id_stability") is not None:
        parts.append(f"incident ids kept by the second run: {number(report['id_stability'])}\n\n")
    parts.append("per gold incident (truth vs lake):\n")
    parts.append(render(
        ["incident", "split into", "articles", "num_articles", "sources", "num_sources",
         "fatalities", "range"],
        [(p["incident"], p["split_into"], p["articles"], p["num_articles"], p["sources"],
          p["num_sources"], p["fatalities"], p["fatalities_range"]) for p in report["per_incident"]],
        "table"))
    return "".join(parts)


def render_report(result: dict) -> str:
    def number(value):
        return "" if value is None else f"{value:.3f}"

    parts = [f"{result['documents']} documents, {result['gold_events']} gold events "
             f"(asserted), {result['system_events']} extracted\n\n"]
    rows = [(name, number(s["precision"]), number(s["recall"]), number(s["f1"]),
             s["correct"], s["predicted"], s["gold"]) for name, s in result["fields"].items()]
    parts.append(render(["field", "precision", "recall", "f1", "correct", "predicted", "gold"], rows, "table"))
    parts.append(f"confidence ranks right events above wrong ones: AUC {number(result['confidence_auc'])}\n\n")
    confusions = [c for c in result["confusion"] if c["gold"] != c["system"]][:15]
    if confusions:
        parts.append("event type confusions (gold -> extracted), most frequent first:\n")
        parts.append(render(["gold", "extracted", "count"],
                            [(c["gold"], c["system"], c["count"]) for c in confusions], "table"))
    if result["worst_misses"]:
        parts.append("worst misses:\n")
        for miss in result["worst_misses"]:
            detail = "; ".join(miss.get("wrong", [])) or f"expected {miss['expected']}, got {miss['got']}"
            parts.append(f"- [{miss['kind']}] {miss['id']}: {detail}\n    {miss['sentence'][:160]}\n")
    return "".join(parts)


def _query_lake(lake: str, query: str, fmt: str) -> None:
    import duckdb

    from newsevents.transforms.storage.query import connect_lake

    try:
        con = connect_lake(lake)
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    except FileNotFoundError as err:
        raise click.ClickException(str(err)) from None
    except duckdb.Error as err:
        raise click.ClickException(f"SQL error: {err}") from None
    click.echo(render(columns, rows, fmt), nl=False)


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def render(columns: list[str], rows: list[tuple], fmt: str) -> str:
    """Query results as an aligned table, CSV or JSON lines."""
    if fmt == "json":
        return "".join(json.dumps({c: _plain(v) for c, v in zip(columns, row)}, default=str) + "\n"
                       for row in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
        return buffer.getvalue()
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*["" if v is None else str(_plain(v)) for v in row])
    console = Console(file=io.StringIO(), width=200, force_terminal=False)
    console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    return console.file.getvalue()


def main():
    cli(prog_name="newsevents")


if __name__ == "__main__":
    sys.exit(main())
