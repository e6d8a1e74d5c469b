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
import os
import shlex
import sys
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.utils import shared

from newsevents.pipelines.chunks import plan_chunks, split_specs
from newsevents.pipelines.commits import build_manifest, commit, lake_operation
from newsevents.pipelines.options import RunOptions
from newsevents.pipelines.preflight import list_inputs
from newsevents.pipelines.progress_display import progress_display
from newsevents.schemas.tables import ROW_TABLES
from newsevents.transforms.dedupe import DedupeArticles, is_stored_copy
from newsevents.transforms.dedupe_rejects import DedupeRejects
from newsevents.transforms.extract_events import ExtractEvents
from newsevents.transforms.storage.faults import fault_point
from newsevents.transforms.link_incidents import LinkIncidents
from newsevents.transforms.normalize import NormalizeArticles
from newsevents.transforms.read_articles import ReadArticles
from newsevents.transforms.storage.commit import read_pending
from newsevents.transforms.storage.lake_files import LakeState, relative_path, visible_files
from newsevents.transforms.write_tables import WriteTables

LOG = logging.getLogger(__name__)


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
        if options.workers == 1:
            return FnApiRunner()
        from apache_beam.transforms.environments import SubprocessSDKEnvironment

        # One SDK worker a process, started through our entry point so that their
        # logging follows the command's verbosity (Beam's own start-up prints 20 lines
        # a worker at INFO).
        os.environ["NEWSEVENTS_WORKER_LOG_LEVEL"] = str(
            logging.DEBUG if logging.getLogger().getEffectiveLevel() <= logging.DEBUG else logging.ERROR)
        return FnApiRunner(default_environment=SubprocessSDKEnvironment.from_command_string(
            f"{shlex.quote(sys.executable)} -m newsevents.pipelines.worker_main"))
    if options.runner == "dask":
        from apache_beam.runners.dask.dask_runner import DaskRunner
        return DaskRunner()
    return {"dataflow": "DataflowRunner", "flink": "FlinkRunner", "spark": "SparkRunner",
            "portable": "PortableRunner"}[options.runner]


def pipeline_options(options: RunOptions) -> PipelineOptions:
    args = list(options.beam_args)
    if options.runner == "local" and options.workers > 1:
        # The FnApiRunner reads this DirectRunner option; make_runner gives it worker
        # processes (what --direct_running_mode=multi_processing would start, quieter).
        args += [f"--direct_num_workers={options.workers}"]
    if options.runner == "dask" and options.dask_address:
        args += [f"--dask_client_address={options.dask_address}"]
    return PipelineOptions(args)


def count_all(named: dict) -> dict:
    """{name: PCollection} -> {name: PCollection of its element count}: one integer, or
    nothing for an empty one (WriteTables records it as 0).

    Not ``Count.Globally()``: its default for an empty input is a side input, which
    Beam's DaskRunner computes again, with everything upstream of it (parsing
    included), inside the task that reads it. Nor one sum per name over a single
    Flatten and CombinePerKey: that saves the FnApiRunner about half a second a run,
    but made the DaskRunner four times slower (205 s against 48 s for 200 notes).
    """
    label = lambda name: "Count" + name.title().replace("_", "")  # noqa: E731
    return {name: pcoll | label(name) >> beam.CombineGlobally(
                beam.combiners.CountCombineFn()).without_defaults()
            for name, pcoll in named.items()}


def build(pipeline: beam.Pipeline, options: RunOptions, run_id: str, started: dt.datetime,
          view: LakeView, processed: dict, chunk: "Chunk | None" = None,
          model_handle: shared.Shared | None = None):
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
        view.files["articles"], options.near_duplicate_threshold, options.copy_window_hours)
    extracted = deduped["articles"] | "ExtractEvents" >> ExtractEvents(
        options.model, options.batch_size, progress, options.prefilter, model_handle)
    stored_copies = deduped["duplicates"] | "KeepCopiesWithOwnId" >> beam.Filter(is_stored_copy)
    chunk_index = chunk.index if chunk else 0
    linked = ({"events": extracted["events"], "places": extracted["places"], "duplicates": stored_copies,
               "kept": extracted["articles"]}
              | "LinkIncidents" >> LinkIncidents(options.output, run_id, view.files["incidents"],
                                                 view.files["events"], chunk_index))
    articles = (extracted["articles"], stored_copies) | "AllArticles" >> beam.Flatten()
    rejects = ((read["rejects"], normalized["rejects"], extracted["rejects"])
               | "AllRejects" >> beam.Flatten()
               | "DedupeRejects" >> DedupeRejects(view.files["rejects"]))

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
        "rejects_known": rejects["known"],
    })
    tables = {"articles": articles, "events": linked["events"],
              "places": extracted["places"], "rejects": rejects["rejects"]}
    rewritten = {"files": linked["files"], "replaced": linked["replaced"]}
    return (tables, counts, read["files"], rewritten) | "WriteTables" >> WriteTables(
        options.output, run_id, started.date().isoformat(), chunk_index)


@dataclass
class Chunk:
    index: int
    specs: list[tuple]
    problems: list[tuple[str, str]]


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
    """The run's counts and files (and what their writers recorded of them) over its
    chunks. A staged file a later chunk replaced (an incidents partition rewritten
    again) is not committed; replaced lake files go to the manifest's ``replaced_files``."""
    counts: dict[str, int] = {}
    for pending in pendings:
        for name, value in pending["counts"].items():
            counts[name] = counts.get(name, 0) + value
    counts["skipped_files"] = counts.get("skipped_files", 0) + skipped
    replaced = {p for pending in pendings for p in pending.get("replaced") or []}
    staged = [f for pending in pendings for f in pending["files"]]
    facts = {path: fact for pending in pendings
             for path, fact in (pending.get("staged_facts") or {}).items() if path not in replaced}
    return {"counts": counts,
            "files": [f for f in staged if f not in replaced],
            "staged_facts": facts,
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


def run(options: RunOptions, kind: str = "run", extra_counts: dict | None = None,
        model_handle: shared.Shared | None = None, stage_extra=None) -> dict:
    """Run the pipeline and commit the run; returns its manifest row.

    ``model_handle`` keeps the model loaded across the pipelines one process runs (a
    stream's commits pass theirs); a run of several chunks makes its own. The stream
    commits what it read as runs of ``kind`` "stream". ``stage_extra(lake, run_id,
    files)``, called once the pipeline staged its tables (``files``: table -> the files
    the run sees, its own staged ones included), stages more files for the same commit
    and returns (their paths, metrics for the manifest): the stream's window panes.
    """
    lake = options.output
    with lake_operation(lake, options.lock_wait) as operation:
        run_id, started = operation.run_id, operation.started
        view = LakeView.of(lake, operation.state)
        # A backfill window reads every file again: records outside it were not stored.
        incremental = options.incremental and not (options.since or options.until)
        processed = operation.state.processed_files() if incremental else {}
        LOG.info("run %s started", run_id, extra={"run_id": run_id, "inputs": options.inputs})
        listing = list_inputs(options.inputs, processed)
        chunks, skipped = plan_run(options, listing)
        if len(chunks) > 1 and model_handle is None:
            model_handle = shared.Shared()  # one model for all chunks
        pendings, metrics = [], {}
        total_bytes = sum(max(size, 0) for _, size, _ in listing[0])
        with progress_display(lake, run_id, total_bytes, options.progress):
            for chunk in chunks:
                result = run_pipeline(options, lambda pipeline, chunk=chunk: build(
                    pipeline, options, run_id, started, view, processed, chunk, model_handle))
                pendings.append(read_pending(lake, run_id, f"pending-{chunk.index if chunk else 0}"))
                for name, value in beam_counters(result).items():
                    metrics[name] = metrics.get(name, 0) + value
                view.add(pendings[-1])
        extra_files = []
        if stage_extra is not None:
            extra_files, extra_metrics = stage_extra(lake, run_id, view.files)
            metrics.update(extra_metrics)
        fault_point("before_commit")
        pending = sum_pending(pendings, skipped)
        manifest = build_manifest(
            operation, kind, options=options.describe(),
            counts=dict(pending["counts"], **(extra_counts or {})), inputs=options.inputs,
            input_files=pending["input_files"] if incremental else (),
            replaced_files=pending["replaced_files"], metrics=metrics)
        return commit(operation, lake, manifest, pending["files"] + extra_files,
                      pending["staged_facts"])


def run_pipeline(options: RunOptions, build_steps):
    """Build the pipeline with ``build_steps(pipeline)`` and run it to the end on the
    chosen runner (starting a local Dask cluster when asked for one)."""
    with dask_cluster(options) as address:
        if address:
            options = dataclasses.replace(options, dask_address=address)
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
