"""The lake's lock: one holder at a time among many waiters, a dead or garbage lock
never blocks, a live holder in another PID namespace always does, `unlock` removes any
lock file, and leases on object stores (with an in-memory store here)."""
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.transforms.storage.lease import Lease, S3LeaseStore
from newsevents.transforms.storage.lock import LakeBusy, LakeLock, break_lock

HOLD_LOCK = """
import sys, time
from newsevents.transforms.storage.lock import LakeLock
with LakeLock(sys.argv[1], sys.argv[2]) as lock:
    if len(sys.argv) > 3:  # write other holder details, as a run elsewhere would
        lock_file = open(lock.path, "r+")
        lock_file.write(sys.argv[3]); lock_file.truncate(); lock_file.flush()
    print("held", flush=True)
    time.sleep(600)
"""

# Inside a new PID namespace (/proc still shows the outer one): fork until this
# process's pid names no process outside, then hold the lock and write that pid.
HOLD_IN_NAMESPACE = """
import json, os, socket, sys, time
while os.path.exists(f"/proc/{os.getpid()}"):
    if os.fork():
        os.wait(); sys.exit(0)
from newsevents.transforms.storage.lock import LakeLock
with LakeLock(sys.argv[1], "namespaced") as lock:
    print("held", os.getpid(), flush=True)
    time.sleep(600)
"""


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def start(code, *args, prefix=()):
    process = subprocess.Popen([*prefix, sys.executable, "-c", code, *map(str, args)],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().split()
    assert line and line[0] == "held", line
    return process, line[1:]


def stop(process):
    process.kill()
    process.wait()


@pytest.mark.parametrize("content", [b"", b"{", b"\x00\xff garbage", b"[1, 2]",
                                     json.dumps({"pid": os.getpid(), "host": os.uname().nodename,
                                                 "run_id": "alive-pid-not-the-holder"}).encode()])
def test_a_lock_file_nobody_holds_is_taken_whatever_it_says(tmp_path, content):
    (tmp_path / "_lock").write_bytes(content)
    with LakeLock(str(tmp_path), "mine") as lock:
        assert json.loads((tmp_path / "_lock").read_text())["run_id"] == "mine"
        lock.confirm()
    assert not (tmp_path / "_lock").exists()


def hold_and_die(lake, name, marker, results):
    """Take the lock, check no one else is inside, and exit without releasing it
    (as a killed run does): the next waiter finds a dead holder's lock file."""
    try:
        LakeLock(lake, name, wait_seconds=120, poll_seconds=0.005).acquire()
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            results.put((name, "two holders"))
            os._exit(3)
        time.sleep(0.02)
        os.close(fd)
        os.unlink(marker)
        results.put((name, "held"))
    except BaseException as err:  # noqa: BLE001  (reported to the test, which fails)
        results.put((name, f"{type(err).__name__}: {err}"))
    os._exit(0)


def test_many_waiters_hold_the_lock_one_at_a_time(tmp_path):
    lake, marker = str(tmp_path / "lake"), str(tmp_path / "inside")
    os.makedirs(lake)
    (tmp_path / "lake" / "_lock").write_text(json.dumps({"pid": 2 ** 22 + 17, "host": os.uname().nodename,
                                                         "run_id": "dead"}))
    context = multiprocessing.get_context("fork")
    results = context.SimpleQueue()  # written at once: the waiters end with os._exit
    waiters = [context.Process(target=hold_and_die, args=(lake, f"w{n}", marker, results))
               for n in range(24)]
    for waiter in waiters:
        waiter.start()
    for waiter in waiters:
        waiter.join(timeout=180)
    outcomes = [results.get() for _ in waiters if not results.empty()]
    assert sorted(outcome for _, outcome in outcomes) == ["held"] * 24, outcomes
    assert all(waiter.exitcode == 0 for waiter in waiters)


def test_threads_of_one_process_also_take_turns(tmp_path):
    """flock locks belong to open files, not processes: two LakeLocks of one process
    exclude each other too (a stream and a run started from one program)."""
    inside, overlaps = [], []

    def work(n):
        for _ in range(5):
            with LakeLock(str(tmp_path), f"t{n}", wait_seconds=60, poll_seconds=0.002):
                inside.append(n)
                if len(inside) > 1:
                    overlaps.append(list(inside))
                time.sleep(0.002)
                inside.remove(n)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []


def namespace_prefix():
    """unshare into a new user and PID namespace, where this machine allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "--user", "--pid", "--fork", "--map-root-user", "true"],
                                  capture_output=True).returncode == 0:
        return (unshare, "--user", "--pid", "--fork", "--map-root-user", "--kill-child")
    return None


def test_a_live_holder_in_another_pid_namespace_keeps_the_lock(tmp_path):
    """Its pid names no process here (the old liveness test took its lock over and
    deleted its staging); the kernel's lock is the same in every namespace."""
    lake = tmp_path / "lake"
    prefix = namespace_prefix()
    if prefix:
        holder, (inner_pid,) = start(HOLD_IN_NAMESPACE, lake, prefix=prefix)
    else:  # no namespaces here: a holder whose details name a pid that is not alive
        inner_pid = str(2 ** 22 + 99)
        holder, _ = start(HOLD_LOCK, lake, "namespaced", json.dumps(
            {"pid": int(inner_pid), "host": os.uname().nodename, "run_id": "namespaced"}))
    try:
        assert not os.path.exists(f"/proc/{inner_pid}")
        with pytest.raises(LakeBusy, match="locked by run namespaced"):
            LakeLock(str(lake), "here", wait_seconds=0.5).acquire()
        staging = lake / "_staging" / "namespaced-run"
        staging.mkdir(parents=True)
        articles = tmp_path / "in.jsonl"
        articles.write_text('{"id": "a", "published_at": "2024-03-01", "text": "Gunmen attacked a village."}\n')
        busy = invoke("run", "-i", articles, "-o", lake)
        assert busy.exit_code == 75, busy.output
        assert staging.exists()  # nothing of the live run was cleaned away
    finally:
        stop(holder)  # its namespace, and the holder with it, ends soon after
    with LakeLock(str(lake), "after", wait_seconds=30):
        pass


def test_unlock_removes_any_lock_file_but_a_live_holders(tmp_path):
    lake = tmp_path / "lake"
    lake.mkdir()
    (lake / "_lock").write_bytes(b"")  # a full disk while the lock was written
    removed = invoke("unlock", "--lake", lake)
    assert removed.exit_code == 0 and "no run" in removed.output
    assert not (lake / "_lock").exists()
    assert invoke("unlock", "--lake", lake).output.strip() == "the lake was not locked"
    holder, _ = start(HOLD_LOCK, lake, "live")
    try:
        refused = invoke("unlock", "--lake", lake)
        assert refused.exit_code == 75 and "run live" in refused.output
        assert (lake / "_lock").exists()
        forced = invoke("unlock", "--lake", lake, "--force")
        assert forced.exit_code == 0 and "which was alive" in forced.output
        assert not (lake / "_lock").exists()
    finally:
        stop(holder)


def test_a_run_whose_lock_was_forced_away_commits_nothing(tmp_path):
    lock = LakeLock(str(tmp_path), "hung").acquire()
    holder, alive = break_lock(str(tmp_path), force=True)
    assert alive and holder["run_id"] == "hung"
    with LakeLock(str(tmp_path), "next"):  # another run may now start
        with pytest.raises(LakeBusy, match="was removed while run hung held it"):
            lock.confirm()
    lock.release()


class MemoryStore:
    """A lease store with the conditional writes of GCS (versions are generations)."""

    def __init__(self):
        self.objects, self.guard = {}, threading.Lock()

    def read(self, path):
        with self.guard:
            return self.objects.get(path)

    def create(self, path, data):
        with self.guard:
            if path in self.objects:
                return None
            self.objects[path] = (data, 1)
            return 1

    def replace(self, path, data, version):
        with self.guard:
            if path not in self.objects or self.objects[path][1] != version:
                return None
            self.objects[path] = (data, version + 1)
            return version + 1

    def delete(self, path, version):
        with self.guard:
            if path not in self.objects or self.objects[path][1] != version:
                return False
            del self.objects[path]
            return True


def test_a_lease_is_exclusive_renewed_and_taken_over_once_expired():
    store, now = MemoryStore(), [1000.0]
    clock = lambda: now[0]  # noqa: E731
    first = Lease(store, "gs://b/lake/_lock", "first", seconds=30, clock=clock)
    second = Lease(store, "gs://b/lake/_lock", "second", seconds=30, clock=clock)
    assert first.try_acquire()
    assert not second.try_acquire()
    assert second.holder()["run_id"] == "first"
    first.stop.set()  # the holder stalls: no more renewals
    now[0] += 31
    assert second.try_acquire()  # expired: taken over with a conditional write
    with pytest.raises(LakeBusy, match="run first lost its lease"):
        first.confirm()
    second.confirm()
    first.release()  # a stale holder's release leaves the new lease alone
    assert second.holder()["run_id"] == "second"
    second.release()
    assert store.read("gs://b/lake/_lock") is None


def test_lease_waiters_hold_it_one_at_a_time():
    store, inside, overlaps = MemoryStore(), [], []

    def work(n):
        lock = LakeLock("gs://b/lake", f"l{n}", wait_seconds=60, poll_seconds=0.001,
                        lease=Lease(store, "gs://b/lake/_lock", f"l{n}", seconds=30))
        for _ in range(5):
            with lock:
                inside.append(n)
                if len(inside) > 1:
                    overlaps.append(list(inside))
                time.sleep(0.001)
                inside.remove(n)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []


def test_a_garbage_lease_is_replaced_and_unlock_removes_a_live_one_only_by_force():
    store = MemoryStore()
    store.create("gs://b/lake/_lock", b"not json")
    lease = Lease(store, "gs://b/lake/_lock", "mine", seconds=30)
    assert lease.try_acquire()
    with pytest.raises(LakeBusy, match="holds the lease"):
        Lease(store, "gs://b/lake/_lock", "").break_lease(force=False)
    holder, alive = Lease(store, "gs://b/lake/_lock", "").break_lease(force=True)
    assert alive and holder["run_id"] == "mine"
    with pytest.raises(LakeBusy):
        lease.confirm()
    lease.release()


class FakeClientError(Exception):
    """botocore's ClientError as the lease store reads it: a code in ``response``."""

    def __init__(self, code):
        super().__init__(code)
        self.response = {"Error": {"Code": code}}


class FailingS3Client:
    def __init__(self, code):
        self.code = code

    def _fail(self, **_):
        raise FakeClientError(self.code)

    get_object = put_object = delete_object = _fail


def s3_store(code):
    store = object.__new__(S3LeaseStore)  # no boto3 here: the client is a stand-in
    store.client, store.failure = FailingS3Client(code), FakeClientError
    return store


@pytest.mark.parametrize("call, code, answer", [
    (lambda s: s.read("s3://b/lake/_lock"), "NoSuchKey", None),
    (lambda s: s.create("s3://b/lake/_lock", b"x"), "PreconditionFailed", None),
    (lambda s: s.create("s3://b/lake/_lock", b"x"), "ConditionalRequestConflict", None),
    (lambda s: s.replace("s3://b/lake/_lock", b"x", "e1"), "412", None),
    (lambda s: s.delete("s3://b/lake/_lock", "e1"), "PreconditionFailed", False),
])
def test_s3_answers_of_a_lost_race_or_a_missing_lease_are_not_errors(call, code, answer):
    assert call(s3_store(code)) is answer


@pytest.mark.parametrize("call", [
    lambda s: s.read("s3://b/lake/_lock"),
    lambda s: s.create("s3://b/lake/_lock", b"x"),
    lambda s: s.replace("s3://b/lake/_lock", b"x", "e1"),
    lambda s: s.delete("s3://b/lake/_lock", "e1"),
])
def test_an_s3_access_error_is_raised_not_taken_for_a_busy_lake(call):
    # Read as "another run holds the lease" it would end as exit 75, which a scheduler
    # retries quietly: a lake nobody may write would never be noticed.
    with pytest.raises(FakeClientError, match="AccessDenied"):
        call(s3_store("AccessDenied"))


class AnsweringS3Client:
    class Body:
        def read(self):
            return b"lease"

    def get_object(self, **_):
        return {"Body": self.Body(), "ETag": "e1"}

    def put_object(self, **_):
        return {"ETag": "e2"}

    def delete_object(self, **_):
        return {}


def test_s3_calls_that_succeed_give_their_answers():
    store = object.__new__(S3LeaseStore)
    store.client, store.failure = AnsweringS3Client(), FakeClientError
    assert store.read("s3://b/lake/_lock") == (b"lease", "e1")
    assert store.create("s3://b/lake/_lock", b"x") == "e2"
    assert store.replace("s3://b/lake/_lock", b"x", "e1") == "e2"
    assert store.delete("s3://b/lake/_lock", "e1") is True
