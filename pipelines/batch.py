"""The batch pipeline: files in, one committed run of the lake out.

    ReadArticles -> NormalizeArticles -> DedupeArticles -> ExtractEvents -> WriteTables

``run(options)`` builds and runs it and returns the run's manifest row.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from importlib import metadata

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.options import RunOptions
from transforms.dedupe import DedupeArticles, is_stored_copy
from transforms.event_frames import EXTRACTOR_VERSION
from transforms.extract_events import ExtractEvents
from transforms.normalize import NormalizeArticles
from transforms.read_articles import ReadArticles
from transforms.write_tables import WriteTables

LOG = logging.getLogger(__name__)


def code_version() -> str:
    try:
        return metadata.version("newsevents")
    except metadata.PackageNotFoundError:
        return "unknown"


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]


def known_articles(lake: str) -> dict[str, str]:
    """Article ids and content hashes already stored in the lake -> the stored id."""
    from schemas.lake import connect_lake

    try:
        con = connect_lake(lake)
    except FileNotFoundError:
        return {}
    rows = con.execute("select article_id, content_hash from articles "
                       "where duplicate_of is null").fetchall()
    known = {}
    for article_id, content in rows:
        known[article_id] = article_id
        known[content] = article_id
    return known


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


def build(pipeline: beam.Pipeline, options: RunOptions, run_info: dict, known: dict):
    """Wire the stages; returns the manifest PCollection."""
    read = pipeline | "ReadArticles" >> ReadArticles(
        options.inputs, options.default_published_at, options.limits, now=run_info["started_at"])
    normalized = read["articles"] | "NormalizeArticles" >> NormalizeArticles()
    deduped = normalized["articles"] | "DedupeArticles" >> DedupeArticles(known)
    extracted = deduped["articles"] | "ExtractEvents" >> ExtractEvents(
        options.model, options.batch_size)
    stored_copies = deduped["duplicates"] | "KeepCopiesWithOwnId" >> beam.Filter(is_stored_copy)
    articles = (extracted["articles"], stored_copies) | "AllArticles" >> beam.Flatten()
    rejects = ((read["rejects"], normalized["rejects"], extracted["rejects"])
               | "AllRejects" >> beam.Flatten())

    def count(pcoll, label):
        return pcoll | label >> beam.combiners.Count.Globally()

    record_rejects = ((read["rejects"], normalized["rejects"]) | "RecordRejects" >> beam.Flatten())
    read_total = ((read["articles"], read["rejects"]) | "AllRead" >> beam.Flatten())
    counts = {
        "read": count(read_total, "CountRead"),
        "stored": count(extracted["articles"], "CountStored"),
        "duplicates": count(deduped["duplicates"], "CountDuplicates"),
        "rejected": count(record_rejects, "CountRejected"),
        "events": count(extracted["events"], "CountEvents"),
        "places": count(extracted["places"], "CountPlaces"),
        "extraction_errors": count(extracted["rejects"], "CountExtractionErrors"),
    }
    tables = {"articles": articles, "events": extracted["events"],
              "places": extracted["places"], "rejects": rejects}
    return (tables, counts) | "WriteTables" >> WriteTables(options.output, run_info)


def run(options: RunOptions) -> dict:
    """Run the pipeline to completion; returns the committed run's manifest row."""
    started = dt.datetime.now(dt.timezone.utc)
    run_info = {
        "run_id": new_run_id(started), "started_at": started, "inputs": options.inputs,
        "code_version": code_version(), "extractor_version": EXTRACTOR_VERSION,
        "options": {"model": options.model, "runner": options.runner, "workers": options.workers,
                    "default_published_at": options.default_published_at,
                    "max_chars": options.max_chars},
    }
    known = known_articles(options.output)
    with dask_cluster(options) as address:
        if address:
            options.dask_address = address
        pipeline = beam.Pipeline(runner=make_runner(options), options=pipeline_options(options))
        build(pipeline, options, run_info, known)
        result = pipeline.run()
        try:
            result.wait_until_finish()
        finally:
            # The DaskRunner leaves its client open; closed here, before the cluster,
            # it does not try to reconnect to a scheduler that is gone.
            client = getattr(result, "client", None)
            if client is not None:
                client.close()
    return read_manifest(options.output, run_info["run_id"])


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


def read_manifest(lake: str, run_id: str) -> dict:
    from schemas.lake import connect_lake

    con = connect_lake(lake)
    row = con.execute("select * from runs where run_id = ?", [run_id]).fetchone()
    if row is None:
        raise RuntimeError(f"run {run_id} finished but wrote no manifest")
    names = [d[0] for d in con.description]
    return dict(zip(names, row))
