"""Fault injection for the crash-safety tests: a named point where the process dies.

    NEWSEVENTS_KILL_AT=before_manifest newsevents run ...   # SIGKILLed right there

Read from the environment at each call (never cached), so worker processes inherit
it. Unset, every point is a no-op.
"""
from __future__ import annotations

import os
import signal

ENV = "NEWSEVENTS_KILL_AT"
POINTS = ("after_lock", "during_read", "during_extract", "during_write", "before_commit",
          "mid_rename", "before_manifest", "after_manifest", "mid_cleanup", "during_compact_write",
          "mid_fold", "before_checkpoint", "after_checkpoint")


def fault_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
