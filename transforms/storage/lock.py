"""One writer per lake: the lock file ``LAKE/_lock``."""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time

from apache_beam.io.filesystem import BeamIOError
from apache_beam.io.filesystems import FileSystems

from newsevents.transforms.storage.lake_files import delete_quietly, is_local, join


class LakeBusy(RuntimeError):
    """Another run holds the lake's lock."""


class LakeLock:
    """One writer at a time: ``LAKE/_lock`` created exclusively, holding who took it.

    A lock left by a dead process on this host is stale and taken over; a lock from
    another host is respected until it is removed (``newsevents unlock``). On object
    stores, which have no exclusive create, the lock is advisory.
    """

    def __init__(self, lake: str, run_id: str, wait_seconds: float = 0.0, poll_seconds: float = 1.0):
        self.lake = lake
        self.path = join(lake, "_lock")
        self.run_id = run_id
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds

    def holder(self) -> dict | None:
        try:
            with FileSystems.open(self.path) as handle:
                return json.loads(handle.read().decode("utf-8") or "{}")
        except (OSError, ValueError, BeamIOError):
            return None  # no lock, or one being written this instant

    def _is_stale(self, holder: dict) -> bool:
        if holder.get("host") != socket.gethostname():
            return False
        try:
            os.kill(int(holder.get("pid", -1)), 0)
        except ProcessLookupError:
            return True
        except (PermissionError, ValueError):
            return False
        return False

    def _try_create(self) -> bool:
        record = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "run_id": self.run_id,
                             "since": dt.datetime.now(dt.timezone.utc).isoformat()}).encode()
        if is_local(self.lake):
            os.makedirs(self.lake, exist_ok=True)
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as handle:
                handle.write(record)
            return True
        if FileSystems.exists(self.path):
            return False
        with FileSystems.create(self.path) as handle:
            handle.write(record)
        return True

    def acquire(self) -> "LakeLock":
        deadline = time.monotonic() + self.wait_seconds
        while True:
            if self._try_create():
                return self
            holder = self.holder() or {}
            if holder and self._is_stale(holder):
                delete_quietly([self.path])
                continue
            if time.monotonic() >= deadline:
                raise LakeBusy(f"the lake {self.lake} is locked by run {holder.get('run_id')} "
                               f"(pid {holder.get('pid')} on {holder.get('host')}, since "
                               f"{holder.get('since')}); try again later, pass --lock-wait, or "
                               f"remove a lock you know to be dead with `newsevents unlock`")
            time.sleep(self.poll_seconds)

    def release(self) -> None:
        holder = self.holder()
        if holder and holder.get("run_id") == self.run_id:
            delete_quietly([self.path])

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
        return False
