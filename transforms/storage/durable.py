"""File operations that survive a power loss and take paths literally.

**Durability.** On a local filesystem a rename is atomic but not durable: after a power
loss the new name can be there while the file's data never reached the disk (an empty
file), or the rename can be gone while a later one survived. Each operation here
therefore goes in this order::

    data written -> file fsynced -> renamed into place -> directory fsynced

``write_file`` does all of it for one file (a temporary name beside the target, then
an atomic rename over the old file); the commit uses ``sync_file``, ``rename`` and
``sync_dirs`` to do the same for many files with one fsync per directory (the
pipeline's workers ``sync_file`` the files they stage, and ``written_as`` tells the
commit a file is still as they left it). ``make_dirs`` and ``make_all_dirs`` fsync the
parent of every directory they create, so a new directory's name is as durable as the
files in it.

On object stores (``gs://``, ``s3://``) an object is whole and durable once its upload
completes and there are no directories: the fsyncs are no-ops and a "rename" is a copy.

**Literal paths.** Beam's ``FileSystems.match`` (and the local and GCS ``delete``, which
match first) read ``*``, ``?`` and ``[...]`` as patterns, so a lake at ``lake[1]/``
matched ``lake1/``. ``match_files(base, pattern)`` takes the base directory literally
and only ``pattern`` as a glob; ``delete_paths`` deletes exactly the paths it is given.
"""
from __future__ import annotations

import glob
import os
import posixpath
import shutil
import uuid
from dataclasses import dataclass

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

TEMPORARY_MARK = ".tmp-"


def is_local(path: str) -> bool:
    return "://" not in path


def parent_of(path: str) -> str:
    return os.path.dirname(path) if is_local(path) else posixpath.dirname(path)


@dataclass(frozen=True)
class FileInfo:
    path: str
    size: int
    mtime: float


def escape_pattern(path: str) -> str:
    """A literal path as a Beam match pattern: ``lake[1]`` -> ``lake[[]1]``."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in path)


def match_files(base: str, pattern: str) -> list[FileInfo]:
    """Files under the directory ``base`` (taken literally) that match ``pattern``
    (relative to it; ``*`` stays within a directory, ``**`` crosses directories),
    sorted by path. A missing ``base`` has no files."""
    if is_local(base):
        if not os.path.isdir(base):
            return []
        found = []
        for path in glob.glob(os.path.join(glob.escape(base), pattern), recursive=True):
            try:
                info = os.stat(path)
            except OSError:
                continue  # deleted since the directory was read
            if os.path.isfile(path):
                found.append(FileInfo(path, info.st_size, info.st_mtime))
        return sorted(found, key=lambda f: f.path)
    matched = FileSystems.match([FileSystems.join(escape_pattern(base), pattern)])[0]
    return sorted((FileInfo(m.path, m.size_in_bytes, m.last_updated_in_seconds)
                   for m in matched.metadata_list), key=lambda f: f.path)


def match_paths(base: str, pattern: str) -> list[str]:
    return [info.path for info in match_files(base, pattern)]


def exists(path: str) -> bool:
    return os.path.lexists(path) if is_local(path) else FileSystems.exists(path)


def delete_paths(paths: list[str]) -> int:
    """Delete the files and directories (recursively) that exist; returns how many."""
    deleted = 0
    remote = []
    for path in paths:
        if not is_local(path):
            remote.append(path)
        elif os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
            deleted += 1
        elif os.path.lexists(path):
            os.remove(path)
            deleted += 1
    existing = [p for p in remote if FileSystems.exists(p)]
    if existing:
        # GCS deletes what a pattern matches: escape the names (its directories,
        # ending in "/", are taken literally).
        FileSystems.delete([escape_pattern(p) if p.startswith("gs://") and not p.endswith("/") else p
                            for p in existing])
    return deleted + len(existing)


def fsync_path(path: str, directory: bool = False) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if directory else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_file(path: str) -> None:
    """Flush a file's data to disk (local files; objects are durable once written)."""
    if is_local(path):
        fsync_path(path)


def written_mark(path: str) -> int | None:
    """What tells, later, that a local file is still the one just written and synced:
    its modification time in nanoseconds (None for an object store)."""
    return os.stat(path).st_mtime_ns if is_local(path) else None


def written_as(path: str, size: int, mark: int | None) -> bool:
    """Whether a local file still has the size and ``written_mark`` it was left with.
    A runner that runs a bundle twice (a retry, a recomputation after a lost worker)
    can write a file again after the attempt whose record is kept; and an object
    store's file cannot be told apart this way: both False."""
    if mark is None or not is_local(path):
        return False
    try:
        found = os.stat(path)
    except OSError:
        return False
    return found.st_size == size and found.st_mtime_ns == mark


def sync_dirs(directories) -> None:
    """Make the names in these directories durable (renames into them, new files)."""
    for directory in sorted(set(directories)):
        if is_local(directory):
            fsync_path(directory, directory=True)


def make_dirs(path: str) -> list[str]:
    """Create a directory and its missing parents; each new one's parent is fsynced so
    that its name survives a power loss. Returns the directories created."""
    return make_all_dirs([path])


def make_all_dirs(paths) -> list[str]:
    """``make_dirs`` for many directories, each parent fsynced once after all are made
    (a commit creates a partition directory per table and day: 1,975 for FA-KES, all
    in a few table directories). Returns the directories created."""
    created = []
    for path in sorted(set(paths)):
        if not is_local(path):
            continue
        missing = []
        current = os.path.abspath(path)
        while not os.path.isdir(current):
            missing.append(current)
            current = os.path.dirname(current)
        for directory in reversed(missing):
            try:
                os.mkdir(directory)
            except FileExistsError:
                continue  # another process made it: its own fsync covers it
            created.append(directory)
    sync_dirs(os.path.dirname(directory) for directory in created)
    return created


def rename(source: str, target: str) -> None:
    """Move a file over any file of that name, atomically on a local filesystem.
    Neither the file nor its directory is fsynced here (see ``sync_file``, ``sync_dirs``)."""
    if is_local(source) and is_local(target):
        os.replace(source, target)
    else:
        if FileSystems.exists(target):
            FileSystems.delete([target])
        FileSystems.rename([source], [target])


def temporary_name(path: str) -> str:
    """A hidden name beside ``path`` that no listing of the lake's tables matches."""
    parent, name = os.path.split(path) if is_local(path) else posixpath.split(path)
    hidden = f".{name}{TEMPORARY_MARK}{uuid.uuid4().hex[:8]}"
    return os.path.join(parent, hidden) if is_local(path) else f"{parent}/{hidden}"


def write_file(path: str, data: bytes) -> None:
    """Replace a whole file durably: written under a temporary name beside it,
    fsynced, renamed over the old file, and the directory fsynced. A reader (or a
    restart after a crash or power loss) finds the old file or the new one, whole."""
    if not is_local(path):
        with FileSystems.create(path) as handle:  # an object appears whole when closed
            handle.write(data)
        return
    parent = parent_of(path) or "."
    make_dirs(parent)
    temporary = temporary_name(path)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(temporary)
        raise
    os.close(fd)
    os.replace(temporary, path)
    sync_dirs([parent])


def join_path(base: str, *parts: str) -> str:
    """``base`` joined with ``parts`` as Beam's filesystems join them (``gs://`` too)."""
    return FileSystems.join(base, *parts)


def open_binary(path: str):
    """A seekable binary handle, the path taken literally. Local files through the
    operating system's ``open``: Beam's ``FileSystems.open`` adds about half a
    millisecond a file here, which every commit and query pays for each file it reads."""
    if is_local(path):
        return open(path, "rb")
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def read_bytes(path: str) -> bytes:
    with open_binary(path) as handle:
        return handle.read()
