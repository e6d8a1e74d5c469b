"""The batch pipeline: files in, one committed run of the lake out.

    ReadArticles -> NormalizeArticles -> DedupeArticles -> ExtractEvents -> LinkIncidents
        -> WriteTables

``run(options)`` takes the lake's lock, cleans what crashed runs left, runs the pipeline
(which only stages files), then commits: files renamed into place, the manifest with
counts and Beam metrics written last. It returns the manifest.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from importlib import metadata

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions

from newsevents.pipelines.chunks import plan_chunks, split_specs
from newsevents.pipelines.options import RunOptions
from newsevents.schemas.tables import ROW_TABLES, SCHEMA_VERSION
from newsevents.transforms.dedupe import DedupeArticles, is_stored_copy
from newsevents.transforms.extraction.article import EXTRACTOR_VERSION
from newsevents.transforms.extract_events import ExtractEvents
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.storage.lake_files import (
    LakeLock, LakeState, clean_leftovers, commit_run, read_lake_state, read_pending,
    relative_path, visible_files)
from newsevents.transforms.link_incidents import LinkIncidents
from newsevents.transforms.normalize import NormalizeArticles
from newsevents.transforms.read_articles import ReadArticles, expand_input
from newsevents.pipelines.progress_display import progress_display
from newsevents.transforms.write_tables import WriteTables

LOG = logging.getLogger(__name__)


class AccountingError(RuntimeError):
    """read != stored + duplicates + rejected: a bug, never a user's mistake."""


def code_version() -> str:
    try:
        return metadata.version("newsevents")
    except metadata.PackageNotFoundError:
        return "unknown"


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]


@dataclass
class LakeView:
    """The table files a chunk of this run sees: the lake's visible files, plus what
    earlier chunks staged, minus what they replaced."""
    files: dict[str, list[str]]

    @classmethod
    def of(cls, lake: str, state: LakeState) -> "LakeView":
        return cls({table: visible_files(lake, table, state) if state.committed else []
                    for table in ROW_TABLES})

    def add(self, pending: dict) -> None:
        replaced = set(pending.get("replaced") or [])
        for table, paths in self.files.items():
            self.files[table] = [p for p in paths if p not in replaced]
        for path in pending["files"]:
            table = relative_path(path).split("/", 1)[0]
            if path not in replaced:
                self.files.setdefault(table, []).append(path)


def make_runner(options: RunOptions):
    """The Beam runner object for a runner name (local = the FnApiRunner, never Prism)."""
    if options.runner == "local":
        from apache_beam.runners.portability.fn_api_runner import FnApiRunner
        return FnApiRunner()
    if options.runner == "dask":
        from apache_beam.runners.dask.dask_runner import DaskRunner
        return DaskRunner()
    return {"dataflow": "DataflowRunner", "flink": "FlinkRunner", "spark": "SparkRunner",
            "portable": "PortableRunner"}[options.runner]


def pipeline_options(options: RunOptions) -> PipelineOptions:
    args = list(options.beam_args)
    if options.runner == "local" and options.workers > 1:
        # The FnApiRunner reads these DirectRunner options: one SDK worker a process.
        args += ["--direct_running_mode=multi_processing",
                 f"--direct_num_workers={options.workers}"]
    if options.runner == "dask" and options.dask_address:
        args += [f"--dask_client_address={options.dask_address}"]
    return PipelineOptions(args)


def count_all(named: dict) -> dict:
    """{name: PCollection} -> {name: PCollection of its element count}: one integer, or
    nothing for an empty one (WriteTables records it as 0).

    Not ``Count.Globally()``: its default for an empty input is a side input, which
    Beam's DaskRunner computes again, with everything upstream of it (parsing
    included), inside the task that reads it.
    """
    label = lambda name: "Count" + name.title().replace("_", "")  # noqa: E731
    return {name: pcoll | label(name) >> beam.CombineGlobally(
                beam.combiners.CountCombineFn()).without_defaults()
            for name, pcoll in named.items()}


def build(pipeline: beam.Pipeline, options: RunOptions, run_id: str, started: dt.datetime,
          view: LakeView, processed: dict, chunk: "Chunk | None" = None):
    """Wire the stages; the last step stages the tables and the pending commit.

    Without ``chunk`` the pipeline expands the input patterns itself (distributed
    runners); with one it reads the chunk's files or line ranges (the local runner).
    """
    progress = (options.output, run_id)
    read = pipeline | "ReadArticles" >> ReadArticles(
        options.inputs, options.default_published_at, options.limits, now=started,
        processed=processed, since=options.since, until=options.until, progress=progress,
        specs=chunk.specs if chunk else None, problems=chunk.problems if chunk else None)
    normalized = read["articles"] | "NormalizeArticles" >> NormalizeArticles()
    deduped = normalized["articles"] | "DedupeArticles" >> DedupeArticles(
        view.files["articles"], options.near_duplicate_threshold)
    extracted = deduped["articles"] | "ExtractEvents" >> ExtractEvents(
        options.model, options.batch_size, progress, options.prefilter, options.model_handle)
    stored_copies = deduped["duplicates"] | "KeepCopiesWithOwnId" >> beam.Filter(is_stored_copy)
    part = chunk.index if chunk else 0
    linked = ({"events": extracted["events"], "places": extracted["places"], "duplicates": stored_copies,
               "kept": extracted["articles"]}
              | "LinkIncidents" >> LinkIncidents(options.output, run_id, view.files["incidents"],
                                                 view.files["events"], part))
    articles = (extracted["articles"], stored_copies) | "AllArticles" >> beam.Flatten()
    rejects = ((read["rejects"], normalized["rejects"], extracted["rejects"])
               | "AllRejects" >> beam.Flatten())

    record_rejects = ((read["rejects"], normalized["rejects"]) | "RecordRejects" >> beam.Flatten())
    read_total = ((read["articles"], read["rejects"]) | "AllRead" >> beam.Flatten())
    counts = count_all({
        "read": read_total,
        "stored": extracted["articles"],
        "duplicates": deduped["duplicates"],
        "rejected": record_rejects,
        "events": extracted["events"],
        "near_duplicates": deduped["duplicates"] | "NearCopies" >> beam.Filter(
            lambda row: (row.get("duplicate_similarity") or 1.0) < 1.0),
        "incidents_new": linked["created"],
        "incidents_updated": linked["updated"],
        "places": extracted["places"],
        "extraction_errors": extracted["rejects"],
        "skipped_files": read["skipped"],
        "out_of_range": read["out_of_range"],
    })
    tables = {"articles": articles, "events": linked["events"],
              "places": extracted["places"], "rejects": rejects}
    rewritten = {"files": linked["files"], "replaced": linked["replaced"]}
    return (tables, counts, read["files"], rewritten) | "WriteTables" >> WriteTables(
        options.output, run_id, started.date().isoformat(), part)


@dataclass
class Chunk:
    index: int
    specs: list[tuple]
    problems: list[tuple[str, str]]


def list_inputs(inputs: list[str], processed: dict):
    """(files to read, problems, number of unchanged files skipped) of the input patterns."""
    files, problems, skipped = [], [], 0
    for pattern in inputs:
        listed, found_problems = expand_input(pattern)
        problems.extend(found_problems)
        for path, size, mtime in listed:
            if processed.get(path) == (size, mtime):
                skipped += 1
            else:
                files.append((path, size, mtime))
    return files, problems, skipped


def plan_run(options: RunOptions, listing) -> tuple[list[Chunk], int]:
    """The chunks the pipeline runs over, and how many unchanged files are skipped.

    - local: chunks of bounded size, processed one after another;
    - dask: one chunk, large JSON Lines files split into a line range per worker.
      Beam's DaskRunner turns Reshuffle into a no-op and keeps a bag's partition count
      through a GroupByKey; more partitions (``--dask_npartitions``) meant so many
      more tasks that a run took twice as long (benchmarks/README.md);
    - other runners: ``None`` specs, patterns expanded inside the pipeline (which counts
      the skipped files itself).
    """
    if options.runner not in ("local", "dask"):
        return [None], 0
    files, problems, skipped = listing
    if options.runner == "dask":
        whole = [(path, size, mtime) for path, size, mtime in files]
        return [Chunk(0, split_specs(whole, max(2, options.workers)), problems)], skipped
    planned = plan_chunks(files, options.max_records_per_chunk)
    return [Chunk(i, specs, problems if i == 0 else []) for i, specs in enumerate(planned)], skipped



def sum_pending(pendings: list[dict], skipped: int) -> dict:
    """The run's counts and files over its chunks. A staged file a later chunk replaced
    (an incidents partition rewritten again) is not committed; replaced lake files go
    to the manifest's ``replaced_files``."""
    counts: dict[str, int] = {}
    for pending in pendings:
        for name, value in pending["counts"].items():
            counts[name] = counts.get(name, 0) + value
    counts["skipped_files"] = counts.get("skipped_files", 0) + skipped
    replaced = {p for pending in pendings for p in pending.get("replaced") or []}
    staged = [f for pending in pendings for f in pending["files"]]
    return {"counts": counts,
            "files": [f for f in staged if f not in replaced],
            "replaced_files": sorted(relative_path(p) for p in replaced if p not in set(staged)),
            "input_files": sorted({tuple(f) for pending in pendings for f in pending["input_files"]})}


def beam_counters(result) -> dict[str, int]:
    """The run's Beam counters as {"namespace:name": value} (empty if the runner has none)."""
    try:
        counters = result.metrics().query(MetricsFilter())["counters"]
    except (AttributeError, NotImplementedError, KeyError):
        return {}
    totals: dict[str, int] = {}
    for counter in counters:
        key = f"{counter.key.metric.namespace}:{counter.key.metric.name}"
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[key] = totals.get(key, 0) + int(value or 0)
    return totals


@contextlib.contextmanager
def lake_operation(lake: str, lock_wait: float):
    """Hold the lake's lock for a new run id, with what crashed runs left cleaned away.

    Yields (run_id, started_at, state). Every writer (run, reprocess, compact) goes
    through here, so the cleanup only ever happens under the lock.
    """
    started = dt.datetime.now(dt.timezone.utc)
    run_id = new_run_id(started)
    with LakeLock(lake, run_id, wait_seconds=lock_wait):
        fault_point("after_lock")
        state = read_lake_state(lake)
        cleaned = clean_leftovers(lake, state, current_run=run_id)
        if any(cleaned.values()):
            LOG.warning("removed what earlier runs left behind: %s", cleaned)
        yield run_id, started, state


def run(options: RunOptions, kind: str = "run", extra_counts: dict | None = None) -> dict:
    """Run the pipeline and commit the run; returns its manifest row.

    The stream commits each window's pane as a run of ``kind`` "stream", with the
    articles it routed to the late-data path since its last commit in ``extra_counts``.
    """
    lake = options.output
    with lake_operation(lake, options.lock_wait) as (run_id, started, state):
        view = LakeView.of(lake, state)
        # A backfill window reads every file again: records outside it were not stored.
        incremental = options.incremental and not (options.since or options.until)
        processed = state.processed_files() if incremental else {}
        LOG.info("run %s started", run_id, extra={"run_id": run_id, "inputs": options.inputs})
        listing = list_inputs(options.inputs, processed)
        chunks, skipped = plan_run(options, listing)
        if len(chunks) > 1:
            options = keeping_model_loaded(options)  # one model for all chunks
        pendings, metrics = [], {}
        total_bytes = sum(max(size, 0) for _, size, _ in listing[0])
        with progress_display(lake, run_id, total_bytes, options.progress):
            for chunk in chunks:
                result = run_pipeline(options, lambda pipeline, chunk=chunk: build(
                    pipeline, options, run_id, started, view, processed, chunk))
                pendings.append(read_pending(lake, run_id, f"pending-{chunk.index if chunk else 0}"))
                for name, value in beam_counters(result).items():
                    metrics[name] = metrics.get(name, 0) + value
                view.add(pendings[-1])
        fault_point("before_commit")
        pending = sum_pending(pendings, skipped)
        counts = dict(pending["counts"], **(extra_counts or {}))
        accounting_ok = counts["read"] == counts["stored"] + counts["duplicates"] + counts["rejected"]
        manifest = {
            "run_id": run_id, "kind": kind, "started_at": started,
            "status": "committed" if accounting_ok else "committed_with_accounting_error",
            "inputs": options.inputs, "counts": counts, "accounting_ok": accounting_ok,
            "files": [{"path": p, "size": s, "mtime": m} for p, s, m in pending["input_files"]]
            if incremental else [],
            "replaced_files": pending["replaced_files"], "metrics": metrics,
            "code_version": code_version(), "schema_version": SCHEMA_VERSION,
            "extractor_version": EXTRACTOR_VERSION,
            "options": options.describe(),
        }
        committed = commit_run(lake, manifest, pending["files"])
        LOG.info("run %s committed", run_id, extra={"run_id": run_id, "counts": counts,
                                                    "status": committed["status"]})
        return committed


def run_pipeline(options: RunOptions, build_steps):
    """Build the pipeline with ``build_steps(pipeline)`` and run it to the end on the
    chosen runner (starting a local Dask cluster when asked for one)."""
    with dask_cluster(options) as address:
        if address:
            options.dask_address = address
        pipeline = beam.Pipeline(runner=make_runner(options), options=pipeline_options(options))
        build_steps(pipeline)
        result = pipeline.run()
        try:
            result.wait_until_finish()
        finally:
            # The DaskRunner leaves its client open; closed here, before the cluster,
            # it does not try to reconnect to a scheduler that is gone.
            client = getattr(result, "client", None)
            if client is not None:
                client.close()
    return result


def keeping_model_loaded(options: RunOptions) -> RunOptions:
    """Options whose pipelines, run one after another in this process (chunks of a run,
    a stream's panes), share one model: a Beam ``Shared`` handle, loaded once."""
    if options.model_handle is not None:
        return options
    from apache_beam.utils import shared

    return dataclasses.replace(options, model_handle=shared.Shared())


@contextlib.contextmanager
def dask_cluster(options: RunOptions):
    """A local dask.distributed cluster of --workers processes (at least 2) when the
    Dask runner is asked for without --dask-address; nothing otherwise."""
    if options.runner != "dask" or options.dask_address:
        yield None
        return
    from distributed import LocalCluster

    workers = max(options.workers, 2)
    # The cluster's own shutdown chatter (closed comms once the work is done) is noise
    # unless the user asked for logs.
    quiet = logging.CRITICAL if logging.getLogger().getEffectiveLevel() >= logging.WARNING else False
    if quiet:
        # distributed sets its loggers to INFO when it is first imported
        logging.getLogger("distributed").setLevel(quiet)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=quiet) as cluster:
        yield cluster.scheduler_address
