"""A lease on an object store: the lake's lock where there are no file locks.

    LAKE/_lock = {"owner": "<uuid>", "run_id": ..., "pid": ..., "host": ...,
                  "since": ..., "expires_at": <POSIX seconds>}

- **Taking it**: create the object only if it does not exist (GCS
  ``ifGenerationMatch=0``, S3 ``If-None-Match: *``). If it exists and has expired, or is
  not a lease at all, replace it with a write conditional on the version read (GCS
  ``ifGenerationMatch``, S3 ``If-Match`` on its ETag): of many waiters, one wins.
- **Keeping it**: the holder renews it every third of ``LEASE_SECONDS`` from a
  background thread, again conditional on its own version. A renewal that fails
  means another process took the lease over: the lease is *lost*, and ``confirm``
  (called before the commit point) refuses to commit.
- **Giving it back**: deleted, conditional on the holder's version.

Correctness rests on the conditional writes and on clocks agreeing to well within
``LEASE_SECONDS``; a run that stalls longer than that (a paused VM) loses its lease
and commits nothing. The GCS and S3 stores use their own clients
(``google-cloud-storage``, ``boto3``), which Beam's GCS and S3 filesystems need too.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from typing import Protocol

from newsevents.transforms.storage.lock import LakeBusy, describe_holder

LOG = logging.getLogger(__name__)
LEASE_SECONDS = 120.0


class LeaseStore(Protocol):
    """Conditional operations on one object. ``version`` is whatever the store uses
    to make a write conditional (a GCS generation, an S3 ETag)."""

    def read(self, path: str) -> tuple[bytes, object] | None: ...

    def create(self, path: str, data: bytes) -> object | None: ...  # new version, None if it exists

    def replace(self, path: str, data: bytes, version) -> object | None: ...  # None if changed

    def delete(self, path: str, version) -> bool: ...


class GcsLeaseStore:
    def __init__(self):
        from google.api_core import exceptions
        from google.cloud import storage  # the client Beam's GCS filesystem uses

        self.client = storage.Client()
        self.failures = (exceptions.PreconditionFailed, exceptions.NotFound)

    def _blob(self, path: str):
        bucket, _, name = path[len("gs://"):].partition("/")
        return self.client.bucket(bucket).blob(name)

    def read(self, path):
        blob = self._blob(path)
        try:
            data = blob.download_as_bytes()
        except self.failures:
            return None
        return data, blob.generation

    def _write(self, path, data, generation):
        blob = self._blob(path)
        try:
            blob.upload_from_string(data, if_generation_match=generation)
        except self.failures:
            return None
        return blob.generation

    def create(self, path, data):
        return self._write(path, data, 0)

    def replace(self, path, data, version):
        return self._write(path, data, version)

    def delete(self, path, version):
        try:
            self._blob(path).delete(if_generation_match=version)
        except self.failures:
            return False
        return True


# The error codes of S3's answers to conditional calls that are not failures: the key is
# missing, or another writer's version won (412, or 409 for concurrent conditional writes).
S3_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
S3_LOST_RACE = frozenset({"PreconditionFailed", "412", "ConditionalRequestConflict", "409"})


def s3_error_code(err) -> str:
    """The code of a botocore ClientError ("" when it has none)."""
    response = getattr(err, "response", None) or {}
    return str((response.get("Error") or {}).get("Code", ""))


class S3LeaseStore:
    def __init__(self):
        import boto3  # the client Beam's S3 filesystem uses
        from botocore.exceptions import ClientError

        self.client = boto3.client("s3")
        self.failure = ClientError

    def _conditional(self, call, answers: frozenset[str], refused):
        """``call()``, or ``refused`` when S3 gives one of ``answers`` (the key is missing,
        another writer won). Any other error (access denied, a wrong bucket) is raised:
        read as "held by another run" it would end as exit 75, which schedulers retry
        quietly, and a lake nobody may write would go unnoticed."""
        try:
            return call()
        except self.failure as err:
            if s3_error_code(err) in answers:
                return refused
            raise

    @staticmethod
    def _split(path: str):
        bucket, _, key = path[len("s3://"):].partition("/")
        return bucket, key

    def read(self, path):
        bucket, key = self._split(path)
        found = self._conditional(lambda: self.client.get_object(Bucket=bucket, Key=key),
                                  S3_MISSING, None)
        return None if found is None else (found["Body"].read(), found["ETag"])

    def create(self, path, data):
        bucket, key = self._split(path)
        return self._conditional(
            lambda: self.client.put_object(Bucket=bucket, Key=key, Body=data, IfNoneMatch="*")["ETag"],
            S3_LOST_RACE, None)

    def replace(self, path, data, version):
        bucket, key = self._split(path)
        return self._conditional(
            lambda: self.client.put_object(Bucket=bucket, Key=key, Body=data, IfMatch=version)["ETag"],
            S3_LOST_RACE | S3_MISSING, None)

    def delete(self, path, version):
        bucket, key = self._split(path)

        def delete_it() -> bool:
            self.client.delete_object(Bucket=bucket, Key=key, IfMatch=version)
            return True

        return self._conditional(delete_it, S3_LOST_RACE | S3_MISSING, False)


def store_for(path: str) -> LeaseStore:
    scheme = path.split("://", 1)[0]
    stores = {"gs": GcsLeaseStore, "s3": S3LeaseStore}
    if scheme not in stores:
        raise RuntimeError(f"no lock for {scheme}:// lakes: newsevents locks local "
                           "filesystems, gs:// and s3://")
    try:
        return stores[scheme]()
    except ImportError as err:
        raise RuntimeError(f"the lock of a {scheme}:// lake needs {err.name}: install Beam's "
                           f"{'gcp' if scheme == 'gs' else 'aws'} extra") from None


class Lease:
    """One process's lease on ``path`` (see the module's docstring)."""

    def __init__(self, store: LeaseStore, path: str, run_id: str,
                 seconds: float = LEASE_SECONDS, clock=time.time):
        self.store = store
        self.path = path
        self.run_id = run_id
        self.seconds = seconds
        self.clock = clock
        self.owner = uuid.uuid4().hex
        self.version = None
        self.lost = False
        self.stop = threading.Event()
        self.renewer: threading.Thread | None = None

    @classmethod
    def for_path(cls, path: str, run_id: str) -> "Lease":
        return cls(store_for(path), path, run_id)

    def _record(self) -> bytes:
        return json.dumps({"owner": self.owner, "run_id": self.run_id, "pid": os.getpid(),
                           "host": socket.gethostname(),
                           "since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock())),
                           "expires_at": self.clock() + self.seconds}).encode("utf-8")

    @staticmethod
    def _parse(data: bytes) -> dict:
        try:
            record = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return {}
        return record if isinstance(record, dict) else {}

    def holder(self) -> dict:
        found = self.store.read(self.path)
        return self._parse(found[0]) if found else {}

    def _expired(self, record: dict) -> bool:
        expires = record.get("expires_at")
        return not isinstance(expires, (int, float)) or expires < self.clock()

    def try_acquire(self) -> bool:
        version = self.store.create(self.path, self._record())
        if version is None:
            found = self.store.read(self.path)
            if found is None:
                return False  # released this instant: the next poll creates it
            data, current = found
            if not self._expired(self._parse(data)):
                return False
            LOG.warning("taking over the expired lease %s of %s", self.path,
                        self._parse(data).get("run_id"))
            version = self.store.replace(self.path, self._record(), current)
            if version is None:
                return False  # another waiter took it first
        self.version, self.lost = version, False
        self.stop.clear()
        self.renewer = threading.Thread(target=self._renew, name="lake-lease", daemon=True)
        self.renewer.start()
        return True

    def _renew(self) -> None:
        while not self.stop.wait(self.seconds / 3):
            version = self.store.replace(self.path, self._record(), self.version)
            if version is None:
                self.lost = True
                LOG.error("lost the lease %s: another process took it over", self.path)
                return
            self.version = version

    def confirm(self) -> None:
        found = self.store.read(self.path)
        if (self.lost or found is None or self._parse(found[0]).get("owner") != self.owner
                or self._expired(self._parse(found[0]))):
            raise LakeBusy(f"run {self.run_id} lost its lease {self.path} (it stalled past "
                           f"{self.seconds:.0f}s or the lock was removed); nothing was committed")

    def release(self) -> None:
        self.stop.set()
        if self.renewer is not None:
            self.renewer.join()
            self.renewer = None
        if self.version is not None and not self.lost:
            self.store.delete(self.path, self.version)
        self.version = None

    def break_lease(self, force: bool) -> tuple[dict, bool] | None:
        found = self.store.read(self.path)
        if found is None:
            return None
        record = self._parse(found[0])
        alive = not self._expired(record)
        if alive and not force:
            raise LakeBusy(f"{describe_holder(record)} holds the lease {self.path} until "
                           f"{record.get('expires_at')}; use --force only if you know it is hung")
        self.store.delete(self.path, found[1])
        return record, alive
