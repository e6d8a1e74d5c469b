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
from pathlib import Path

import click

from newsevents.schemas.tables import ROW_TABLES
from newsevents.pipelines.options import (
    RUNNERS, WATERMARKS, OptionsError, RunOptions, StreamOptions, default_of, make_run_options,
    make_stream_options)

EXIT_BELOW_FLOOR = 4
EXIT_DAMAGED = 5
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later
SUMMARY_LOGGER = "newsevents.summary"


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
    click.option("--copy-window-hours", type=click.IntRange(min=0),
                 default=default_of(RunOptions, "copy_window_hours"), show_default=True,
                 metavar="HOURS",
                 help="A near-duplicate is a copy only if published within this many hours of "
                      "the other; the same words edited and published later are a new report. "
                      "The very same text is a copy at any time."),
    click.option("--parse", "parse_scope", type=click.Choice(["candidates", "all"]),
                 default="candidates", show_default=True,
                 help="Which sentences the statistical model parses: only those with a form of "
                      "a trigger word (the others are only tokenized; same events; a quarter "
                      "of the sentences of epidemic news, three quarters of war reporting: "
                      "benchmarks/README.md), or all (places in sentences without a trigger "
                      "are then geoparsed too)."),
)


def extraction_options(command):
    for option in reversed(EXTRACTION_OPTIONS):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsevents")
@click.option("-v", "--verbose", count=True,
              help="More log output: -v our own progress, -vv everything (Beam's too).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON object a line on stderr, for log collectors; every run "
                   "logs its summary (counts, rejects by reason, exit code) as one object, "
                   "with or without -v.")
@click.pass_context
def cli(ctx, verbose, log_format):
    """News articles in, political and conflict events out.

    Reads article files, extracts who did what to whom, where, when and how many were
    killed, injured, displaced or detained, and writes a Hive-partitioned Parquet lake
    that DuckDB queries directly.

    \b
    Exit codes (every command):
      0   done (for run: committed, or nothing new to read)
      1   error; nothing was committed (the message says why)
      2   wrong usage, e.g. an --input path that does not exist
      3   run: committed, but read != stored + duplicates + rejected (a bug)
      4   eval: a score is below its --floors minimum
      5   run: committed, but all records, or more than --max-reject-rate of
          them, were rejected (reasons on stderr)
      75  the lake is locked by another run; try again later

    \b
    Example:
      newsevents run --input examples/ --output lake/
      newsevents sql "select event_type, count(*) from events group by all" --lake lake/
    """
    ctx.obj = {"log_format": log_format}
    configure_logging(verbose, log_format)


class OwnLogFilter(logging.Filter):
    """Our loggers at the chosen level; other libraries' only when they are worse.

    Beam logs every type hint it converts and every worker it starts, warns about
    optional cloud clients, and Dask logs its cluster's shutdown: none of that is news
    to a user running a job, and at -v it buried our own lines (98% of them).
    """

    def __init__(self, own_level: int, other_level: int):
        super().__init__()
        self.own_level, self.other_level = own_level, other_level

    def filter(self, record):
        if record.name.startswith("newsevents"):
            return record.levelno >= self.own_level or record.name == SUMMARY_LOGGER
        return record.levelno >= self.other_level


def configure_logging(verbose: int, log_format: str) -> None:
    # -v: our own progress; -vv: everything, Beam's and Dask's warnings and chatter too.
    own, other = {0: (logging.WARNING, logging.ERROR),
                  1: (logging.INFO, logging.ERROR)}.get(verbose, (logging.DEBUG, logging.DEBUG))
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLogFormatter() if log_format == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(OwnLogFilter(own, other))
    logging.basicConfig(level=min(own, other), handlers=[handler], force=True)
    for name in ("apache_beam", "distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(other)
    # The run summary is logged whatever the verbosity in JSON mode (text mode prints it).
    logging.getLogger(SUMMARY_LOGGER).setLevel(logging.INFO if log_format == "json" else logging.CRITICAL)


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
@click.option("--max-reject-rate", type=float, default=default_of(RunOptions, "max_reject_rate"),
              show_default=True, metavar="SHARE",
              help="Exit 5 when more than this share of the records read were rejected "
                   "(0 to 1; all rejected always exits 5). What was stored is committed.")
@extraction_options
@click.option("--progress/--no-progress", default=None,
              help="Show a progress display; by default only when stderr is a terminal.")
@click.argument("beam_args", nargs=-1, type=click.UNPROCESSED)
def run_command(inputs, output, reprocess, parse_scope, **settings):
    """Run the pipeline over article files and commit one run to the lake.

    Every input record ends up in exactly one place: the articles table, the rejects
    table (with a reason), or counted as a duplicate. Runs are incremental, atomic and
    safe to repeat; one run holds the lake at a time. When no input file changed since
    the last run, it says "nothing new" and exits 0 within about a second. Extra
    arguments after `--` go to Beam (e.g. `-- --project my-gcp-project`).

    \b
    Exit codes:
      0   committed, or nothing new to read (nothing committed)
      1   error; nothing was committed
      2   wrong usage, e.g. an --input path that does not exist (checked first)
      3   committed, but the accounting does not add up (a bug)
      5   committed, but all records, or more than --max-reject-rate of them,
          were rejected; the reasons are summarized on stderr
      75  the lake is locked by another run

    \b
    Example:
      newsevents run -i examples/ -i 'crawl/2024-*.jsonl.gz' -o lake/ \\
          --default-published-at 2024-03-01
      newsevents run -i crawl/ -o lake/ --since 2024-01-01 --until 2024-01-31
      newsevents run --reprocess -o lake/ --since 2024-01-01 --until 2024-01-31
    """
    try:
        _run(inputs, output, reprocess, parse_scope, settings)
    except click.ClickException as err:
        if not getattr(err, "summary_logged", False):
            log_summary({"event": "run_failed", "exit_code": err.exit_code,
                         "problem": err.format_message()})
        raise


def _run(inputs, output, reprocess, parse_scope, settings) -> None:
    from newsevents.pipelines.preflight import missing_inputs, plan_inputs

    if reprocess and inputs:
        raise click.UsageError("--reprocess reads the lake: give no --input")
    if reprocess and not (settings["since"] or settings["until"]):
        raise click.UsageError("--reprocess needs --since and/or --until")
    if not reprocess and not inputs:
        raise click.UsageError("give at least one --input (a file, a directory or a glob)")
    try:
        options = make_run_options(inputs or ["(lake)"], output,
                                   prefilter=parse_scope == "candidates", **settings)
        missing = missing_inputs(inputs)
        if missing:
            raise click.UsageError("no such input: " + ", ".join(missing))
        if not reprocess:
            incremental = options.incremental and not (options.since or options.until)
            plan = plan_inputs(options.inputs, output, incremental)
            if plan.idle:
                click.echo(plan.describe(), err=True)
                log_summary({"event": "run_skipped", "reason": plan.describe(), "exit_code": 0,
                             "skipped_files": plan.skipped, "last_run": plan.last_run})
                return
        manifest = _run_pipeline(options, reprocess)
    except (OptionsError, FileNotFoundError, RuntimeError) as err:
        raise click.ClickException(str(err)) from None
    report_run(manifest, output, options.max_reject_rate)


def _run_pipeline(options, reprocess: bool) -> dict:
    """The run (or reprocessing) itself; its failures as messages with exit codes."""
    from newsevents.pipelines.batch import run
    from newsevents.pipelines.reprocess import reprocess as reprocess_range
    from newsevents.transforms.storage.lock import LakeBusy

    try:
        return reprocess_range(options) if reprocess else run(options)
    except LakeBusy as err:
        raise ExitError(str(err), EXIT_LOCKED) from None
    except (OptionsError, FileNotFoundError, RuntimeError):
        raise
    except Exception as err:  # the pipeline's own failure: a message, not a traceback
        logging.getLogger(__name__).debug("pipeline failed", exc_info=True)
        raise click.ClickException(
            f"the run failed and nothing was committed: {type(err).__name__}: "
            f"{str(err).splitlines()[0] if str(err) else ''} (run with -vv for details)") from None


def report_run(manifest: dict, lake: str, max_reject_rate: float) -> None:
    """The run's counts on stdout; rejects by reason on stderr; the summary logged;
    the exit code a scheduler can trust."""
    from newsevents.pipelines.run_summary import (
        format_reject_summary, judge_run, reject_summary, summary_record)

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
    rejects = reject_summary(lake, manifest["run_id"]) if counts["rejected"] or \
        counts["extraction_errors"] else []
    if rejects:
        click.echo(format_reject_summary(rejects), err=True)
    verdict = judge_run(counts, manifest["accounting_ok"], max_reject_rate)
    log_summary(summary_record(manifest, verdict, rejects))
    if verdict.exit_code:
        error = ExitError(verdict.message, verdict.exit_code)
        error.summary_logged = True
        raise error


def log_summary(record: dict) -> None:
    """One JSON object a run, with --log-format json (whatever the verbosity)."""
    logging.getLogger(SUMMARY_LOGGER).info(record["event"], extra=record)


@cli.command("stream")
@click.option("--input", "-i", "input_dir", metavar="DIR",
              help="Follow this directory: every file a crawler drops here is read once.")
@click.option("--subscription", metavar="projects/P/subscriptions/S",
              help="Read a Google Cloud Pub/Sub subscription instead (needs newsevents[pubsub]).")
@click.option("--output", "-o", required=True, metavar="LAKE_DIR", help="The lake to commit to.")
@click.option("--commit-every", default=default_of(StreamOptions, "commit_every", as_duration=True),
              show_default=True, metavar="DURATION",
              help="Commit what was read once the oldest article waiting has waited this long "
                   "(or once --commit-articles wait): how soon articles become queryable.")
@click.option("--commit-articles", type=int, default=default_of(StreamOptions, "commit_articles"),
              show_default=True, metavar="N",
              help="Commit as soon as this many articles wait; a backlog is committed this many "
                   "at a time.")
@click.option("--window", default=default_of(StreamOptions, "window", as_duration=True),
              show_default=True, metavar="DURATION",
              help="Publication-time windows of the windowed aggregates (event_windows); they "
                   "never hold an article back.")
@click.option("--allowed-lateness", default=default_of(StreamOptions, "allowed_lateness", as_duration=True),
              show_default=True, metavar="DURATION",
              help="How long after its end a window still fires late panes. Older articles are "
                   "stored all the same; their window's aggregate is not refined.")
@click.option("--max-delay", default=default_of(StreamOptions, "max_delay", as_duration=True),
              show_default=True, metavar="DURATION",
              help="How far the watermark stays behind the clock (arrival) or behind the "
                   "newest publication time seen (event).")
@click.option("--watermark", type=click.Choice(WATERMARKS),
              default=default_of(StreamOptions, "watermark"), show_default=True,
              help="arrival: a live feed; event: replaying an archive in publication order.")
@click.option("--poll", default=default_of(StreamOptions, "poll", as_duration=True),
              show_default=True, metavar="DURATION",
              help="How often to look for new files.")
@click.option("--settle", default=default_of(StreamOptions, "settle", as_duration=True),
              show_default=True, metavar="DURATION",
              help="A file is read once unchanged this long (crawlers still writing it).")
@click.option("--compact-files", type=int, default=default_of(StreamOptions, "compact_files"),
              show_default=True, metavar="FILES",
              help="Merge the small files of the lake's partitions once the commits wrote this "
                   "many (0: never), so queries and commits do not slow down.")
@click.option("--exit-when-idle", metavar="DURATION",
              help="Commit what waits and stop once no file arrived this long (cron, tests).")
@click.option("--flush-on-stop", is_flag=True,
              help="On stop, commit what was read instead of leaving it for the next start.")
@click.option("--lock-wait", type=float, default=default_of(StreamOptions, "lock_wait"),
              show_default=True, metavar="SECONDS",
              help="How long a commit waits for a batch run holding the lake.")
@extraction_options
@click.option("--runner", type=click.Choice(RUNNERS), default=default_of(RunOptions, "runner"),
              show_default=True, help="Runner of each commit's run (and of the Pub/Sub pipeline).")
@click.option("--workers", type=int, default=default_of(RunOptions, "workers"), show_default=True,
              help="Worker processes of each commit's run.")
@click.argument("beam_args", nargs=-1, type=click.UNPROCESSED)
def stream_command(output, parse_scope, model, runner, workers, batch_size,
                   near_duplicate_threshold, copy_window_hours, beam_args, **stream_settings):
    """Process articles as they arrive: each queryable seconds after it lands.

    What was read is committed as a run (kind "stream") once the oldest article
    waiting has waited --commit-every, or once --commit-articles wait, whatever the
    articles' publication dates: no article waits for a window, none is too late.
    Tables stay partitioned by publication date. Publication-time windows only feed
    the windowed aggregates (table event_windows: events per window, type and
    country, in early, on-time and late panes). What was read survives restarts
    (LAKE/_stream/checkpoint.json). SIGINT / SIGTERM stop after the current step;
    what was read and not committed is committed at the next start (or before
    exiting, with --flush-on-stop).

    \b
    Example:
      newsevents stream -i crawl/inbox -o lake/
      newsevents sql "SELECT count(*) FROM articles" --lake lake/
      newsevents sql -q events_by_window --lake lake/
    """
    from newsevents.pipelines.stream import follow, start_pubsub_pipeline
    from newsevents.transforms.storage.lock import LakeBusy
    from newsevents.transforms.streaming.windows import format_duration, window_label

    def report(manifest):
        counts, metrics = manifest["counts"], manifest.get("metrics") or {}
        panes = metrics.get("stream:window_panes", 0)
        click.echo(f"run {manifest['run_id']} {manifest['status']}: "
                   f"{counts['read']} read, {counts['stored']} stored, "
                   f"{counts['duplicates']} duplicates, {counts['rejected']} rejected, "
                   f"{counts['events']} events; {panes} window pane{'s' if panes != 1 else ''}")

    job = None
    try:
        source = stream_settings["input_dir"] or stream_settings["subscription"]
        run_options = make_run_options(
            [source or "-"], output, model=model, runner=runner, workers=workers,
            batch_size=batch_size, beam_args=beam_args,
            near_duplicate_threshold=near_duplicate_threshold, copy_window_hours=copy_window_hours,
            prefilter=parse_scope == "candidates")
        options = make_stream_options(run_options, **stream_settings)
        if options.subscription:
            job = start_pubsub_pipeline(options)
        click.echo(f"following {source} into {output}: commits every "
                   f"{format_duration(options.commit_every)} or {options.commit_articles} articles; "
                   f"{format_duration(options.window)} windows (Ctrl-C to stop)", err=True)
        totals = follow(options, report)
    except LakeBusy as err:
        raise ExitError(f"another stream or run holds the lake: {err}", EXIT_LOCKED) from None
    except KeyboardInterrupt:
        raise ExitError("interrupted: the run in progress was not committed; "
                        "what it held is committed at the next start", 130) from None
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
    adopted = (f"; {totals['adopted']} records of an earlier stream committed"
               if totals["adopted"] else "")
    click.echo(f"stopped: {totals['files']} files, {totals['articles']} articles read; "
               f"{totals['runs']} runs committed: {totals['stored']} stored, "
               f"{totals['duplicates']} duplicates, {totals['rejected']} rejected, "
               f"{totals['window_panes']} window panes, {totals['compactions']} compactions; "
               f"{totals['pending']} records waiting; watermark {watermark_text}{adopted}", err=True)


@cli.command("sql")
@click.argument("query", required=False)
@click.option("--lake", "-l", default="lake", show_default=True, metavar="LAKE_DIR",
              help="The lake to query.")
@click.option("--query", "-q", "query_name", metavar="NAME",
              help="Run a canned query from schemas/queries/ instead (see `newsevents queries`).")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True,
              help="table for reading, csv or json (one object a line) for other tools.")
@click.option("--read-only", is_flag=True,
              help="The query reads the lake's files and nothing else: no other file "
                   "(read_text, read_csv ...), no COPY ... TO, no ATTACH, no extension "
                   "installed or loaded. For wrappers that run other people's SQL.")
@click.option("--init-script", is_flag=True,
              help="Print the views as SQL with this lake's absolute paths, for a plain "
                   "duckdb shell started in any folder, instead of running a query.")
def sql_command(query, lake, query_name, fmt, read_only, init_script):
    """Query the lake with DuckDB SQL over the views articles, events, places,
    incidents, event_windows (the stream's windowed aggregates), rejects and runs.

    Rows of events are mentions; count real-world incidents with the incidents view.
    `--init-script` gives the same views to the DuckDB command-line shell
    (`pip install duckdb-cli`) or any other DuckDB client.

    \b
    Example:
      newsevents sql "select event_type, count(*) n from events group by all order by n desc" -l lake/
      newsevents sql --query incidents_by_type_and_country -l lake/ --format csv
      newsevents sql --init-script -l lake/ > lake.sql && duckdb -init lake.sql
    """
    from newsevents.schemas.lake import canned_queries

    if init_script:
        if query or query_name:
            raise click.UsageError("--init-script prints the views; give no query")
        from newsevents.transforms.storage.query import init_script as views_script

        try:
            click.echo(views_script(lake), nl=False)
        except FileNotFoundError as err:
            raise click.ClickException(str(err)) from None
        return
    if bool(query) == bool(query_name):
        raise click.UsageError("give either a SQL QUERY or --query NAME")
    if query_name:
        queries = canned_queries()
        if query_name not in queries:
            raise click.ClickException(f"no canned query {query_name!r}; known: {', '.join(sorted(queries))}")
        query = queries[query_name]
    _query_lake(lake, query, fmt, read_only)


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


@cli.command("report")
@click.option("--lake", "-l", required=True, metavar="LAKE_DIR", help="The lake to report on.")
@click.option("--out", "-o", "out_path", required=True, metavar="FILE",
              help="The HTML file to write (one file: it opens offline, anywhere).")
@click.option("--since", metavar="DATE", help="Only incidents dated on or after this day.")
@click.option("--until", metavar="DATE", help="Only incidents dated on or before this day.")
@click.option("--country", "countries", multiple=True, metavar="ISO3",
              help="Only incidents in this country (ISO 3166 alpha-3, e.g. SYR); repeatable.")
def report_command(lake, out_path, since, until, countries):
    """Write a self-contained HTML report of a lake: incidents over time by type, a map
    of incidents, top actors and places, fatalities by country and month, and the runs'
    health (read, stored, rejected by reason).

    The file holds everything it shows (inline charts, country outlines from Natural
    Earth): no CDN, no tile server, nothing fetched. The lake is read read-only (as
    `newsevents sql --read-only`). Runs' health covers the runs that started between
    --since and --until (all runs without them).

    \b
    Example:
      newsevents report --lake lake/ --out report.html
      newsevents report -l lake/ -o syria-2024.html --since 2024-01-01 --country SYR
    """
    from newsevents.pipelines.options import parse_day
    from newsevents.pipelines.report import ReportError, Scope, build_report

    try:
        scope = Scope(parse_day("--since", since), parse_day("--until", until),
                      tuple(c.upper() for c in countries))
        html = build_report(lake, scope)
    except (ReportError, OptionsError) as err:
        raise click.UsageError(str(err)) from None
    except FileNotFoundError as err:
        raise click.ClickException(str(err)) from None
    except Exception as err:  # a message, not a traceback
        logging.getLogger(__name__).debug("report failed", exc_info=True)
        raise click.ClickException(f"the report failed: {type(err).__name__}: {err} "
                                   f"(run with -vv for details)") from None
    with open(out_path, "w", encoding="utf-8") as out:
        out.write(html)
    click.echo(f"wrote {out_path} ({len(html.encode('utf-8')) // 1024} KiB): {scope.describe()}", err=True)


@cli.command("export")
@click.option("--lake", "-l", required=True, metavar="LAKE_DIR", help="The lake to export from.")
@click.option("--format", "-f", "fmt", required=True,
              type=click.Choice(["acled-csv", "geojson", "parquet"]),
              help="acled-csv: incidents with ACLED's column names and conventions; geojson: "
                   "a FeatureCollection of points; parquet: one Parquet file of a table.")
@click.option("--out", "-o", "out_path", required=True, metavar="FILE", help="The file to write.")
@click.option("--table", default="incidents", show_default=True,
              type=click.Choice(["incidents", "events", "articles", "places", "rejects", "runs"]),
              help="What to export (geojson: incidents, events or places; acled-csv: incidents).")
@click.option("--since", metavar="DATE", help="Only incidents (events) dated on or after this day.")
@click.option("--until", metavar="DATE", help="Only incidents (events) dated on or before this day.")
@click.option("--country", "countries", multiple=True, metavar="ISO3",
              help="Only incidents (events) in this country (ISO 3166 alpha-3); repeatable.")
def export_command(lake, fmt, out_path, table, since, until, countries):
    """Export the lake in formats other tools already read.

    acled-csv writes one row per incident with ACLED's columns (event_id_cnty,
    event_date, year, time_precision, disorder_type, event_type, sub_event_type, actor1,
    inter1, actor2, inter2, interaction, civilian_targeting, iso, country, admin1,
    location, latitude, longitude, geo_precision, source, notes, fatalities, timestamp):
    fatalities are 0 when none was reported, time_precision 1 day, 2 week, 3 month.
    Incidents without an ACLED type or known only to the year are left out and counted
    on stderr. The lake is read read-only (as `newsevents sql --read-only`).

    \b
    Example:
      newsevents export -l lake/ -f acled-csv -o incidents.csv --since 2024-01-01
      newsevents export -l lake/ -f geojson -o incidents.geojson --country SYR
      newsevents export -l lake/ -f parquet --table events -o events.parquet
    """
    from newsevents.pipelines.export import ExportError, export_lake
    from newsevents.pipelines.options import parse_day
    from newsevents.pipelines.report import ReportError, Scope

    try:
        scope = Scope(parse_day("--since", since), parse_day("--until", until),
                      tuple(c.upper() for c in countries))
        result = export_lake(lake, fmt, out_path, scope, table)
    except (ReportError, ExportError, OptionsError) as err:
        raise click.UsageError(str(err)) from None
    except (FileNotFoundError, OSError) as err:
        raise click.ClickException(str(err)) from None
    except Exception as err:  # a message, not a traceback
        logging.getLogger(__name__).debug("export failed", exc_info=True)
        raise click.ClickException(f"the export failed: {type(err).__name__}: {err} "
                                   f"(run with -vv for details)") from None
    left_out = "; ".join(f"{n} {why}" for why, n in result.left_out.items())
    click.echo(f"wrote {out_path}: {result.rows} rows" + (f" (left out: {left_out})" if left_out else ""),
               err=True)


@cli.command("dictionary")
@click.option("--out", "out_path", metavar="FILE",
              help="Write the Markdown to this file instead of printing it.")
def dictionary_command(out_path):
    """The data dictionary: every table and column with its type and meaning, the
    codings (PLOVER types and modes, ACLED labels, CAMEO, inter codes, modality,
    date and geo precision, sectors), the known actors with their parent organisation,
    and how dates known only to the month or year are counted.

    Generated from schemas/ and the lexicons; docs/data-dictionary.md is its output.

    \b
    Example:
      newsevents dictionary --out docs/data-dictionary.md
      newsevents dictionary | less
    """
    from newsevents.pipelines.data_dictionary import DictionaryError, render_dictionary

    try:
        text = render_dictionary()
    except DictionaryError as err:
        raise click.ClickException(str(err)) from None
    if out_path:
        with open(out_path, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        click.echo(text, nl=False)


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
@click.option("--gold", "-g", "gold_paths", multiple=True, metavar="FILE",
              help="Gold events (repeatable): newsevents gold JSON Lines (a file, or a folder "
                   "of them such as tests/gold/), ACLED event notes (JSON Lines with one coded "
                   "event a note, as in ../shared/eval/acled_notes_*.jsonl), PLOVER "
                   "gold-standard records (a JSON array), or toponyms with offsets and points "
                   "(JSON Lines with 'toponyms', as ../shared/eval/geovirus.jsonl). Files given "
                   "together must be of one format.")
@click.option("--lake", "-l", metavar="LAKE_DIR",
              help="Score the events already in this lake (matched by article id); by "
                   "default the gold articles are run through the pipeline in a scratch lake.")
@click.option("--sample", type=int, metavar="N",
              help="Score a fixed random sample of N documents of each gold file (fast runs).")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of --sample.")
@click.option("--model", default=default_of(RunOptions, "model"), show_default=True,
              help="spaCy pipeline package for the fresh run.")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes for the fresh run.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for reading, json for other tools.")
@click.option("--report", "report_path", metavar="FILE", help="Also write the full report as JSON here.")
@click.option("--floors", "floors_path", metavar="FILE",
              help="JSON of field -> {precision|recall|f1: minimum} (ACLED notes: field -> "
                   "minimum accuracy, or maximum rate for toll_invented and false_merges; "
                   "toponyms: precision, recall, accuracy_161km, recall_161km or "
                   "precision_161km -> minimum); exit 4 when a score is beyond its floor.")
@click.option("--misses", type=int, default=15, show_default=True,
              help="How many of the worst misses (ACLED notes: examples per error class) to list.")
@click.option("--judge", type=click.Choice(["sample", "score", "carry"]),
              help="Precision judged by a person (docs/judging.md) instead of gold files: "
                   "sample writes a judging sheet of --events asserted events of --lake; "
                   "score scores a filled --sheet; carry copies the verdicts of unchanged "
                   "events from --carry-from into --sheet.")
@click.option("--events", "judge_events", type=int, default=120, show_default=True, metavar="N",
              help="--judge sample: how many asserted events to sample (uniformly, fixed by --seed).")
@click.option("--out", "sheet_out", metavar="SHEET.jsonl",
              help="--judge sample: the sheet to write (--judge carry: where to write the "
                   "filled sheet; by default --sheet itself).")
@click.option("--sheet", metavar="SHEET.jsonl", help="--judge score / carry: the judging sheet.")
@click.option("--review", "review_out", metavar="FILE.md",
              help="--judge sample: the review file with each event's sentence and context "
                   "(article text: never commit it); by default SHEET.review.md beside the sheet.")
@click.option("--carry-from", "carry_from", metavar="SHEET.jsonl",
              help="--judge sample / carry: an earlier judged sheet whose verdicts of unchanged "
                   "events (same article, trigger offsets and fields) are taken over.")
def eval_command(gold_paths, lake, sample, seed, model, workers, fmt, report_path, floors_path, misses,
                 judge, judge_events, sheet_out, sheet, review_out, carry_from):
    """Score extraction against gold events, or judge the precision of a lake's events.

    Gold events written for this project and PLOVER records: precision, recall and F1 per
    field (event type, ACLED type and sub-type, both actors, place within 25 km, event
    date, each magnitude, modality), a confusion table of event types, how well
    confidence ranks right events above wrong ones (AUC) and the worst misses.

    ACLED notes coded by people: each note's highest-confidence asserted event against
    the coded one, field by field (an absent field is unknown, an absent toll is 0;
    actors by ACLED kind and country), the error classes with examples, and notes wrongly
    stored as copies of other notes (false merges).

    Toponyms (GeoVirus): the places table against every gold toponym, matched by
    character offsets: precision and recall, accuracy within 161 km of the toponyms
    found, recall within 161 km, accuracy by feature type, and the worst errors, the
    most missed names and the most frequent spurious rows with their context.
    Judged by a person (--judge, rules in docs/judging.md): `sample` draws asserted events
    of a lake into a judging sheet (event fields and offsets, no article text) and a
    review file to read them in; `score` gives lenient and strict precision, per-field
    accuracy, error classes, the shares without country and actor 1 and the AUC of
    confidence; `carry` takes over the verdicts of unchanged events from an earlier sheet.

    Exit codes: 0 scored, 1 error, 4 a score is beyond its --floors limit.

    \b
    Example:
      newsevents eval --gold tests/gold/
      newsevents eval --gold ../shared/eval/plover_gsr.json --format json
      newsevents eval --gold ../shared/eval/acled_notes_africa_2016.jsonl \\
          --gold ../shared/eval/acled_notes_asia_2015.jsonl --sample 500 --seed 1
      newsevents eval --gold tests/gold/ --floors tests/gold/floors.json
      newsevents eval --gold ../shared/eval/geovirus.jsonl --floors tests/gold/geovirus_floors.json
      newsevents eval --judge sample --lake lake/ --events 120 --seed 20 --out sheet.jsonl
      newsevents eval --judge score --sheet tests/judged/fakes_syria_before.jsonl
    """
    if judge:
        if gold_paths or floors_path or sample:
            raise click.UsageError("--judge works on a lake and sheets: no --gold, --floors or --sample")
        judge_sheet(judge, lake=lake, size=judge_events, seed=seed, out=sheet_out, sheet=sheet,
                    review=review_out, carry_from=carry_from, fmt=fmt, report_path=report_path)
        return
    if not gold_paths:
        raise click.UsageError("give --gold FILE (or --judge sample|score|carry)")
    from newsevents.pipelines import evaluate as ev
    from newsevents.pipelines import evaluate_notes as en
    from newsevents.pipelines import evaluate_places as ep
    from newsevents.pipelines.gold import GoldError, load_gold

    try:
        loaded = [load_gold(path) for path in gold_paths]
        formats = {fmt_name for fmt_name, _ in loaded}
        if len(formats) > 1:
            raise GoldError(f"the gold files are of different formats: {', '.join(sorted(formats))}")
        fmt_name = formats.pop()
        docs = [doc for _, file_docs in loaded for doc in en.sample_docs(file_docs, sample, seed)]
        if fmt_name == "acled":
            floors = en.load_note_floors(ev.read_floors_file(floors_path)) if floors_path else None
            report = en.score_notes(docs, model, workers, lake)
        elif fmt_name == "toponyms":
            floors = ev.read_floors_file(floors_path) if floors_path else None
            report = ep.score_places(docs, model, workers, lake)
            failures = ep.check_place_floors(report, floors) if floors else []
        else:
            floors = ev.load_floors(floors_path) if floors_path else None
            events = ev.events_from_lake(lake) if lake else ev.events_from_fresh_run(docs, model, workers)
    except (GoldError, ValueError, OptionsError, FileNotFoundError, RuntimeError) as err:
        raise click.ClickException(str(err)) from None
    if fmt_name == "acled":
        result = report.as_dict(examples=misses)
        rendered = render_note_report(result)
        failures = en.check_note_floors(report, floors) if floors else []
    elif fmt_name == "toponyms":
        result = report.as_dict(examples=misses)
        rendered = render_places_report(result)
    else:
        fields = ("event_type", "actor1", "actor2") if fmt_name == "plover" else ev.FIELDS
        report = ev.evaluate(docs, events, fields, max_misses=misses)
        result = report.as_dict()
        rendered = render_report(result)
        failures = ev.check_floors(report, floors) if floors else []
    result["gold"] = {"paths": list(gold_paths), "format": fmt_name, "sample": sample,
                      "seed": seed if sample else None}
    if report_path:
        with open(report_path, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=2, default=str)
    click.echo(json.dumps(result, indent=2, default=str) if fmt == "json" else rendered,
               nl=fmt == "json")
    if failures:
        raise ExitError("below the floors: " + "; ".join(failures), EXIT_BELOW_FLOOR)


def render_places_report(result: dict) -> str:
    def number(value):
        return "" if value is None else f"{value:.3f}"

    scores = result["scores"]
    parts = [f"{result['toponyms']} gold toponyms in {result['articles']} articles "
             f"({result['articles_stored']} stored); {result['rows']} place rows, matched by offsets"
             + (f"; {result['offsets_moved']} gold offsets read one earlier (counted from 1)"
                if result["offsets_moved"] else "") + "\n\n"]
    rows = [("toponyms found (precision of rows, recall of toponyms)", result["matched"],
             number(scores["precision"]), number(scores["recall"])),
            ("found and within 161 km (accuracy of those found)", result["within_161km"],
             number(scores["accuracy_161km"]), ""),
            ("within 161 km (precision of rows, recall of toponyms)", result["within_161km"],
             number(scores["precision_161km"]), number(scores["recall_161km"]))]
    parts.append(render(["score", "count", "precision / accuracy", "recall"], rows, "table"))
    parts.append(f"median error of those found: {number(result['median_error_km'])} km\n\n")
    parts.append(render(["feature type", "matched", "within 161 km", "accuracy"],
                        [(name, s["matched"], s["within_161km"], number(s["accuracy_161km"]))
                         for name, s in result["by_feature_type"].items()], "table"))
    parts.append("worst errors:\n")
    for error in result["worst_errors"]:
        found = error["found"]
        parts.append(f"- {error['id']} {error['name']!r}: {error['km']} km off, gold {error['gold']}, "
                     f"found {found['name']} ({found['feature_type']}, {found['country_iso3']}) "
                     f"{found['point']}\n    {error['context']}\n")
    parts.append("most missed:\n")
    for miss in result["most_missed"]:
        parts.append(f"- {miss['name']} ({miss['count']}): {miss['example']}\n")
    parts.append("most spurious:\n")
    for row in result["most_spurious"]:
        parts.append(f"- {row['text']} ({row['count']}): {row['example']}\n")
    return "".join(parts)


def judge_sheet(mode, *, lake, size, seed, out, sheet, review, carry_from, fmt, report_path):
    """``eval --judge``: arguments checked here, the work done in pipelines/judging.py."""
    from newsevents.pipelines import judging as jg
    from newsevents.pipelines import judging_review

    needs = {"sample": (("--lake", lake), ("--out", out)), "score": (("--sheet", sheet),),
             "carry": (("--sheet", sheet), ("--carry-from", carry_from))}[mode]
    absent = [name for name, value in needs if not value]
    if absent:
        raise click.UsageError(f"--judge {mode} needs {' and '.join(absent)}")
    try:
        if mode == "sample":
            _judge_sample(jg, judging_review, lake, size, seed, out, review, carry_from)
        elif mode == "carry":
            header, rows = jg.read_sheet(sheet)
            _, earlier = jg.read_sheet(carry_from)
            rows, counts = jg.carry_verdicts(rows, earlier, Path(carry_from).name)
            jg.write_sheet(out or sheet, header, rows)
            click.echo(f"{out or sheet}: {counts['carried']} verdicts carried over from "
                       f"{carry_from}; to judge: {counts['changed']} changed and {counts['new']} new "
                       f"events ({counts['already_judged']} were judged already)")
        else:
            header, rows = jg.read_sheet(sheet)
            result = jg.score_sheet(header, rows, jg.lake_figures(lake) if lake else None)
            result["sheet_path"] = sheet
            if report_path:
                Path(report_path).write_text(json.dumps(result, indent=2), encoding="utf-8")
            click.echo(json.dumps(result, indent=2) if fmt == "json" else render_judged(result),
                       nl=fmt == "json")
    except (jg.SheetError, ValueError, FileNotFoundError, OSError) as err:
        raise click.ClickException(str(err)) from None


def _judge_sample(jg, judging_review, lake, size, seed, out, review, carry_from):
    if Path(out).exists():
        try:
            _, existing = jg.read_sheet(out)
        except jg.SheetError:
            existing = []
        if any(jg.is_judged(r) for r in existing):
            raise click.ClickException(f"{out} holds verdicts already: write the new sheet "
                                       "elsewhere (and take them over with --carry-from)")
    earlier = jg.read_sheet(carry_from)[1] if carry_from else None
    header, rows = jg.sample_lake(lake, size, seed)
    counts = None
    if earlier is not None:
        rows, counts = jg.carry_verdicts(rows, earlier, Path(carry_from).name)
    review = review or judging_review.review_path(out)
    jg.write_sheet(out, header, rows)
    judging_review.write_review(review, header, rows, lake, earlier)
    figures = header["lake_figures"]
    click.echo(f"sampled {len(rows)} of {header['asserted_events']} asserted events (seed {seed}) "
               f"-> {out}\nreview file (article text, do not commit) -> {review}\n"
               f"whole lake: {figures['asserted_events']} asserted events in "
               f"{figures['articles']} extracted articles ({figures['per_article']} per article); "
               f"{_percent(figures['share_without_country'])} without a country, "
               f"{_percent(figures['share_without_actor1'])} without actor 1")
    if counts:
        click.echo(f"verdicts carried over from {carry_from}: {counts['carried']}; to judge: "
                   f"{counts['changed']} changed and {counts['new']} new events")


def _percent(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def render_judged(result: dict) -> str:
    """The score table of a judged sheet."""
    def line(label, s):
        interval = "" if s["share"] is None else f"{_percent(s['low'])} - {_percent(s['high'])}"
        return (label, s["count"], s["of"], _percent(s["share"]), interval)

    head = result["sheet"]
    parts = [f"{result['sheet_path']}: {result['judged']} of {result['events']} events judged "
             f"({result['carried']} carried over); sampled with seed {head.get('seed')} from "
             f"{head.get('asserted_events')} asserted events "
             f"({', '.join(head.get('extractor_versions') or [])})\n\n"]
    rows = [line("real event of the right type (lenient precision)", result["lenient_precision"]),
            line("also every actor, place, date and toll the text gives found and right (strict)",
                 result["strict_precision"]),
            line("strict, partial actors and coarse places accepted",
                 result["strict_precision_partial_accepted"]),
            line("not a specific event", result["not_specific"]),
            line("real event, wrong type", result["real_wrong_type"]),
            line("sampled events without a country", result["without_country"]),
            line("sampled events without actor 1", result["without_actor1"]),
            line("without actor 1 where the text names one", result["without_actor1_text_names_one"])]
    parts.append(render(["measure", "count", "of", "share", "95% interval"], rows, "table"))
    labels = {"type_ok": "PLOVER type (real events)", "acled": "ACLED type / sub-type",
              "actor1": "actor 1", "actor2": "actor 2", "place": "place", "date": "date",
              "toll": "tolls"}
    field_rows = [(labels[name], s["count"], s["of"], _percent(s["share"]),
                   ", ".join(f"{v} {c}" for v, c in s["values"].items()))
                  for name, s in result["fields"].items()]
    parts.append("per field, on real specific events (n.a.: the text gives none and none was found):\n")
    parts.append(render(["field", "right", "judged", "accuracy", "verdicts"], field_rows, "table"))
    conf = result["confidence"]
    auc = "n/a" if conf["auc_lenient"] is None else f"{conf['auc_lenient']:.3f}"
    parts.append(f"confidence: AUC {auc} (right vs wrong, lenient); mean {conf['mean_right']} right, "
                 f"{conf['mean_wrong']} wrong\n")
    for t in conf["thresholds"]:
        parts.append(f"  confidence >= {t['threshold']}: keeps {t['kept']['count']} of {t['kept']['of']}"
                     f", lenient precision {_percent(t['lenient_precision_kept']['share'])}\n")
    kinds = ", ".join(f"{k} {v}" for k, v in result["not_specific_kinds"].items()) or "none"
    parts.append(f"\nnot specific, by kind: {kinds}\n")
    parts.append("error classes (the main one of each event): "
                 + ", ".join(f"{k} {v}" for k, v in result["error_classes"].items()) + "\n")
    parts.append("every error (an event may have several): "
                 + ", ".join(f"{k} {v}" for k, v in result["errors_any"].items()) + "\n")
    for label, figures in (("when sampled", result["lake_figures"]), ("now", result["lake_figures_now"])):
        if figures:
            parts.append(f"whole lake {label}: {figures['asserted_events']} asserted events, "
                         f"{figures['per_article']} per extracted article, "
                         f"{_percent(figures['share_without_country'])} without a country, "
                         f"{_percent(figures['share_without_actor1'])} without actor 1\n")
    return "".join(parts)


def render_note_report(result: dict) -> str:
    def number(value):
        return "" if value is None else f"{value:.3f}"

    parts = [f"{result['notes']} notes; each note's highest-confidence asserted event against "
             "the coded one\n\n"]
    rows = [(s["label"], s["scored"], s["answered"], s["right"], number(s["accuracy"]),
             number(s["precision"])) for s in result["fields"].values()]
    merges = result["false_merges"]
    rows.append(("notes stored as copies of a different note (lower is better)", result["notes"],
                 "", merges["count"], number(merges["rate"]), ""))
    parts.append(render(["field", "scored", "answered", "right", "accuracy / rate", "precision"],
                        rows, "table"))
    parts.append("error classes, most frequent first:\n")
    for name, classes in result["errors"].items():
        for cls in classes[:6]:
            parts.append(f"- {name}: {cls['class']} ({cls['count']})\n")
            for ex in cls["examples"][:2]:
                found = ", ".join(f"{k}={v}" for k, v in ex["found"].items()) or "nothing"
                parts.append(f"    {ex['id']}: {ex['text'][:150]}\n      coded {ex['coded']}\n"
                             f"      found {found}\n")
    for merge in merges["examples"]:
        parts.append(f"- false merge {merge['id']} -> {merge['copy_of']}:\n    {merge['text']}\n"
                     f"    {merge['original']}\n")
    return "".join(parts)


@cli.command("gazetteer")
@click.option("--rebuild", is_flag=True, help="Build the file again even if it exists.")
@click.option("--cache-dir", metavar="DIR",
              help="Where the file lives (default: $NEWSEVENTS_CACHE_DIR, else "
                   "$XDG_CACHE_HOME/newsevents or ~/.cache/newsevents).")
def gazetteer_command(rebuild, cache_dir):
    """Build (once per installed version) and describe the offline gazetteer file.

    Workers build the file on first use (about half a minute) and then open it in
    milliseconds. Run this when building a worker image, or to see what the gazetteer
    holds: its path and size, how many countries, regions, districts and places it
    knows, the GeoNames extracts it was built from and how long it takes to open.

    \b
    Example:
      newsevents gazetteer
      NEWSEVENTS_CACHE_DIR=/opt/newsevents newsevents gazetteer --rebuild
    """
    import time
    from pathlib import Path

    from newsevents.transforms.extraction.gazetteer import Gazetteer
    from newsevents.transforms.extraction.gazetteer_build import gazetteer_file
    from newsevents.transforms.lexicons.loader import LexiconError

    try:
        started = time.perf_counter()
        path = gazetteer_file(Path(cache_dir) if cache_dir else None, rebuild=rebuild)
        built = time.perf_counter() - started
        started = time.perf_counter()
        gazetteer = Gazetteer(path)
        opened = time.perf_counter() - started
        counts = dict(gazetteer._db.execute(
            "select feature_type, count(*) from places group by feature_type").fetchall())
        names = gazetteer._db.execute("select count(*) from names").fetchone()[0]
    except (OSError, LexiconError, ImportError) as err:
        raise click.ClickException(f"cannot build the gazetteer: {err}") from None
    click.echo(f"{path}  {path.stat().st_size / 2**20:.0f} MiB"
               + (f", ready in {built:.1f}s" if rebuild or built > 1 else ""))
    click.echo("  " + ", ".join(f"{counts.get(kind, 0):,} {label}" for kind, label in (
        ("country", "countries"), ("admin1", "admin1 regions"), ("admin2", "admin2 districts"),
        ("city", "populated places"), ("continent", "continents"), ("region", "other regions")))
        + f"; {names:,} names")
    click.echo("  sources: " + ", ".join(f"{name} {version or 'not installed'}"
                                        for name, version in gazetteer.sources.items()))
    click.echo(f"  opened in {opened * 1000:.0f} ms")


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


def _query_lake(lake: str, query: str, fmt: str, read_only: bool = False) -> None:
    import duckdb

    from newsevents.transforms.storage.query import connect_lake

    try:
        con = connect_lake(lake, read_only=read_only)
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
    return aligned_table(columns, [["" if v is None else str(_plain(v)) for v in row] for row in rows]) + \
        f"{len(rows)} row{'s' if len(rows) != 1 else ''}\n"


def aligned_table(columns: list[str], rows: list[list[str]]) -> str:
    """Plain columns separated by two spaces, numbers right-aligned. Nothing is cut,
    however wide: ids and keys are copied from here."""
    if not columns:
        return ""
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    numeric = [bool(rows) and all(_is_number(r[i]) or r[i] == "" for r in rows)
               for i in range(len(columns))]

    def line(cells):
        return "  ".join(cell.rjust(w) if num else cell.ljust(w)
                         for cell, w, num in zip(cells, widths, numeric)).rstrip() + "\n"

    return line(columns) + "".join(line(row) for row in rows)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def main():
    cli(prog_name="newsevents")


if __name__ == "__main__":
    sys.exit(main())
