"""A progress display for long runs, on a terminal only: files and bytes read, articles
extracted, rate and time left. It reads the counters workers publish in the lake's
staging area (``newsevents.transforms.storage.progress``), so it works with any runner."""
from __future__ import annotations

import contextlib
import sys
import threading

from newsevents.transforms.storage.progress import read_progress

POLL_SECONDS = 1.0


@contextlib.contextmanager
def progress_display(lake: str, run_id: str, total_bytes: int, enabled: bool | None = None):
    """Show progress while the block runs; ``enabled=None`` means "if stderr is a terminal"."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn,
                               TextColumn, TimeElapsedColumn, TimeRemainingColumn)

    stop = threading.Event()
    console = Console(file=sys.stderr)
    with Progress(TextColumn("{task.description:<28}"), BarColumn(), TaskProgressColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("left"),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        reading = bar.add_task("reading (bytes)", total=max(total_bytes, 1))
        extracting = bar.add_task("extracting (articles)", total=None)

        def poll():
            while not stop.wait(POLL_SECONDS):
                counts = read_progress(lake, run_id)
                bar.update(reading, completed=counts.get("bytes_read", 0))
                done = counts.get("articles_extracted", 0)
                speed = bar.tasks[extracting].speed
                rate = f" {speed:.1f}/s" if speed else ""
                bar.update(extracting, completed=done, total=max(counts.get("articles_read", 0), 1),
                           description=f"extracting (articles){rate}")

        thread = threading.Thread(target=poll, name="progress", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)
