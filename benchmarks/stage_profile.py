"""Where a one-process run spends its time, by pipeline stage, from stack samples.

    sampler = StageSampler(interval=0.005)
    sampler.start()
    ... run the pipeline in this thread (the FnApiRunner runs the stages in it) ...
    sampler.stop()
    sampler.shares()  -> {"parse: model": 0.52, "rules": 0.11, ...}

A thread looks at the main thread's stack every ``interval`` seconds and charges the
sample to the innermost frame of ours that says which stage it is in (library frames
such as spaCy's, pyarrow's or Beam's are charged to the stage of ours that called
them). The overhead is about one stack walk per sample (under 1%). Samples that no
stage of ours claims are Beam's own work once the runner runs (its bundles, coders and
shuffles), and start-up before that (imports, building the pipeline graph).
"""
from __future__ import annotations

import sys
import threading
import time
from collections import Counter

# module -> stage (the longest matching prefix wins); functions named in FUNCTIONS win
MODULES = {
    "newsevents.transforms.read_articles": "reading",
    "newsevents.transforms.core.article_formats": "reading",
    "newsevents.transforms.normalize": "normalizing",
    "newsevents.transforms.core.text_cleanup": "normalizing",
    "newsevents.transforms.dedupe": "dedupe",
    "newsevents.transforms.core.near_duplicates": "dedupe",
    "newsevents.transforms.extraction.parsing": "parse: pre-filter and Doc assembly",
    "newsevents.transforms.extraction.prefilter": "parse: pre-filter and Doc assembly",
    "newsevents.transforms.extraction.attribute_matches": "parse: spaCy model",
    "newsevents.transforms.extraction": "rules",
    "newsevents.transforms.extract_events": "rules",
    "newsevents.transforms.link_incidents": "incidents",
    "newsevents.transforms.core.incidents": "incidents",
    "newsevents.transforms.write_tables": "writing",
    "newsevents.transforms.storage": "writing",
    "newsevents.pipelines.commits": "writing",
    "spacy.language": "parse: spaCy model",  # nlp.pipe; a Matcher called by the rules is theirs
}
FUNCTIONS = {
    ("newsevents.transforms.normalize", "detect_language"): "language id",
}
# Whatever runs inside a DoFn's setup (loading the model, building the matchers, the
# language detector) is start-up, however deep in our own code.
SETUP = "setup"
RUNNER = ("apache_beam.runners.portability.fn_api_runner.fn_runner", "run_stages")
STAGES = ("start-up: imports and pipeline graph", "start-up: model and resources", "reading",
          "normalizing", "language id", "dedupe", "parse: spaCy model",
          "parse: pre-filter and Doc assembly", "rules", "incidents", "writing", "Beam overhead")


def stage_of(frame) -> str:
    """The stage a stack (innermost frame first) is in."""
    in_runner = False
    found = None
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        name = frame.f_code.co_name
        if name == SETUP and module.startswith("newsevents."):
            return "start-up: model and resources"
        if found is None and name == "<module>" and module != "__main__":
            found = "start-up: imports and pipeline graph"  # a module being imported
        if found is None:
            found = FUNCTIONS.get((module, name)) or module_stage(module)
            if found == "parse: spaCy model" and module == "spacy.language" and name != "pipe":
                found = None  # spaCy's helpers outside nlp.pipe (a tokenizer call ...)
        if (module, name) == RUNNER:
            in_runner = True
        frame = frame.f_back
    if found is not None:
        return found
    return "Beam overhead" if in_runner else "start-up: imports and pipeline graph"


def module_stage(module: str) -> str | None:
    best = None
    for prefix, stage in MODULES.items():
        if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, stage)
    return best[1] if best else None


class StageSampler:
    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self.counts: Counter[str] = Counter()  # stage -> seconds
        self.target = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stage-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        # Each sample counts for the time since the one before: code that holds the GIL
        # (spaCy's parser, the language detector's first call loading its models) keeps
        # this thread waiting, and is charged when it lets go.
        last = time.perf_counter()
        while not self._stop.wait(self.interval):
            frame = sys._current_frames().get(self.target)
            now = time.perf_counter()
            if frame is not None:
                self.counts[stage_of(frame)] += now - last
            last = now
            del frame

    def shares(self) -> dict[str, float]:
        total = sum(self.counts.values()) or 1
        return {stage: self.counts.get(stage, 0) / total for stage in STAGES}


def first_call_timer(module, name: str, clock=time.perf_counter) -> dict:
    """Wrap ``module.name`` (a module's function or a class's method) so that the
    moment of its first call is recorded in the returned dict (key "first"): when the
    first article reaches the model."""
    seen: dict = {}
    original = getattr(module, name)

    def timed(*args, **kwargs):
        seen.setdefault("first", clock())
        return original(*args, **kwargs)

    setattr(module, name, timed)
    return seen
