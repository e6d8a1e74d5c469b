"""The entry point of the local runner's worker processes (``--workers N``): Beam's SDK
worker, with its own log lines on stderr only at the level the command asked for.

Beam starts each worker as a new interpreter whose logging prints everything at INFO
(40 lines of start-up and shutdown chatter for two workers); the level comes from
``NEWSEVENTS_WORKER_LOG_LEVEL``, which ``pipelines.batch`` sets from the command's -v.
The workers' records also reach the driver through Beam's logging service, where the
command's own log filter applies.
"""
import logging
import os
import sys


def main() -> None:
    handler = logging.StreamHandler()
    handler.setLevel(int(os.environ.get("NEWSEVENTS_WORKER_LOG_LEVEL", logging.WARNING)))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)  # before Beam's import, which would add its own

    from apache_beam.runners.worker import sdk_worker_main

    sdk_worker_main.main(sys.argv)
    # The harness has finished its bundles and torn its DoFns down. The interpreter's
    # own teardown (freeing the model, the gazetteer and the rules' tables object by
    # object) took 0.5 s a worker, which the driver waits for, worker after worker,
    # before it commits: leave without it once the logs are flushed.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
