"""One writer per lake: the lock ``LAKE/_lock``.

**Local filesystems** (as SQLite and pip do): an exclusive ``fcntl.flock`` on the lock
file, held for the whole run. The kernel releases it when its holder exits, however it
exits (SIGKILL, a crash, a reboot), so a dead run never stalls the lake and no process
ever judges whether another is alive: pids, hostnames and PID namespaces do not
matter. The file's content (run id, pid, host, start) is for humans only; an empty or
garbage lock file (a full disk while it was written) is taken like any other.

A holder deletes the file when it releases the lock, while still holding it; a waiter
that locked a file that was deleted meanwhile sees that the path now names another
file (or none) and tries again, so two processes never hold the lock at once.

flock works between the processes of one machine and on NFS v4 (Linux emulates it
with NFS byte-range locks); on filesystems without working locks, run one scheduler
per lake.

**Object stores** (``gs://``, ``s3://``) have no locks: a *lease*, ``LAKE/_lock`` created
only if absent (a conditional write), that expires ``LEASE_SECONDS`` after its last
renewal. The holder renews it from a background thread; a waiter takes over an
expired lease with a write conditional on the version it read. Before the commit
point a run confirms it still holds its lease, so a run that stalled past the expiry
(and lost its lease to another) never commits. See ``lease.py``.
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import logging
import os
import socket
import time

from newsevents.transforms.storage import durable
from newsevents.transforms.storage.lake_files import join

LOG = logging.getLogger(__name__)
LOCK_FILE = "_lock"
POLL_SECONDS = 0.2


class LakeBusy(RuntimeError):
    """Another live run holds the lake's lock."""


def holder_record(run_id: str) -> dict:
    return {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(),
            "since": dt.datetime.now(dt.timezone.utc).isoformat()}


def parse_holder(data: bytes) -> dict:
    """The holder details in a lock file; {} when it is empty or not ours."""
    try:
        holder = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def describe_holder(holder: dict) -> str:
    if not holder.get("run_id"):
        return "another process (its details are not written yet)"
    return (f"run {holder.get('run_id')} (pid {holder.get('pid')} on {holder.get('host')}, "
            f"since {holder.get('since')})")


class LakeLock:
    """One writer at a time on a lake; see the module's docstring.

        with LakeLock("lake/", run_id, wait_seconds=600):
            ...   # LakeBusy if another live run held it all that time
    """

    def __init__(self, lake: str, run_id: str, wait_seconds: float = 0.0,
                 poll_seconds: float = POLL_SECONDS, lease=None):
        self.lake = lake
        self.path = join(lake, LOCK_FILE) if durable.is_local(lake) else f"{lake.rstrip('/')}/{LOCK_FILE}"
        self.run_id = run_id
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds
        self.fd: int | None = None
        self.identity: tuple[int, int] | None = None
        if lease is None and not durable.is_local(lake):
            from newsevents.transforms.storage.lease import Lease

            lease = Lease.for_path(self.path, run_id)
        self.lease = lease

    def holder(self) -> dict:
        """Who holds (or last held) the lock, as written in the file; {} if unknown."""
        if self.lease is not None:
            return self.lease.holder()
        try:
            with open(self.path, "rb") as handle:
                return parse_holder(handle.read(4096))
        except OSError:
            return {}

    def acquire(self) -> "LakeLock":
        deadline = time.monotonic() + self.wait_seconds
        while True:
            taken = self.lease.try_acquire() if self.lease is not None else self._try_flock()
            if taken:
                return self
            if time.monotonic() >= deadline:
                raise LakeBusy(f"the lake {self.lake} is locked by {describe_holder(self.holder())}; "
                               "try again later or pass --lock-wait")
            time.sleep(self.poll_seconds)

    def _try_flock(self) -> bool:
        durable.make_dirs(self.lake)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                os.close(fd)
                if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    return False
                raise
            identity = os.fstat(fd)[1:3]  # (inode, device)
            try:
                current = os.stat(self.path)[1:3]
            except FileNotFoundError:
                current = None
            if current != identity:
                # The file we locked was deleted by the holder releasing it: try the
                # one that has the name now.
                os.close(fd)
                continue
            self.fd, self.identity = fd, identity
            self._write_holder()
            return True

    def _write_holder(self) -> None:
        record = json.dumps(holder_record(self.run_id)).encode("utf-8")
        try:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, record, 0)
        except OSError as err:  # a full disk: the lock holds all the same
            LOG.warning("could not write the lock holder's details to %s: %s", self.path, err)

    def confirm(self) -> None:
        """Raise LakeBusy unless this process still holds the lock: called before the
        commit point. A local lock is lost only to ``newsevents unlock --force``."""
        if self.lease is not None:
            self.lease.confirm()
            return
        try:
            current = os.stat(self.path)[1:3]
        except FileNotFoundError:
            current = None
        if self.fd is None or current != self.identity:
            raise LakeBusy(f"the lock of {self.lake} was removed while run {self.run_id} held it "
                           "(`newsevents unlock --force`?); nothing was committed")

    def release(self) -> None:
        if self.lease is not None:
            self.lease.release()
            return
        if self.fd is None:
            return
        try:
            if os.stat(self.path)[1:3] == self.identity:
                os.unlink(self.path)  # while still holding it: see the module's docstring
        except FileNotFoundError:
            pass
        finally:
            os.close(self.fd)
            self.fd, self.identity = None, None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
        return False


def break_lock(lake: str, force: bool = False) -> tuple[dict, bool] | None:
    """Remove the lake's lock file if no live run holds it (or, with ``force``,
    whatever holds it). Returns (holder details, whether a live run held it), or None
    when there was no lock file. A live holder without ``force`` is LakeBusy."""
    lock = LakeLock(lake, run_id="")
    if lock.lease is not None:
        return lock.lease.break_lease(force)
    if not durable.exists(lock.path):
        return None
    holder = lock.holder()
    try:
        fd = os.open(lock.path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            alive = False
        except OSError as err:
            if err.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            alive = True
        if alive and not force:
            raise LakeBusy(f"{describe_holder(holder)} holds the lock of {lake} and is alive; "
                           "use --force only if you know it is hung")
        try:
            if os.stat(lock.path)[1:3] == os.fstat(fd)[1:3]:
                os.unlink(lock.path)
        except FileNotFoundError:
            pass
    finally:
        os.close(fd)
    return holder, alive
