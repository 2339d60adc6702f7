"""Atomic, durable writes and a single-writer lock.

A failed or interrupted write never leaves half a file or directory behind, and a
write reported done survives a power cut: data are ``fsync``-ed before the rename
that publishes them and the directory is ``fsync``-ed after it (the rename itself
lives in the directory's metadata). This is the POSIX recipe described e.g. in
Pillai et al., "All File Systems Are Not Created Equal" (OSDI 2014), §2.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(RuntimeError):
    """Another process holds a writer lock for longer than we were told to wait."""


def fsync_path(path: Path) -> None:
    """Flush a file's or a directory's data and metadata to the device."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems (e.g. certain network mounts) refuse fsync on directories
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            fsync_path(Path(dirpath) / name)
        fsync_path(Path(dirpath))


def _umask() -> int:
    # Read, not set-and-restore: os.umask() changes the whole process for an instant.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _default_mode(path: Path, directory: bool) -> None:
    """mkstemp/mkdtemp create 0600/0700 entries; give them the mode a plain open/mkdir would."""
    umask = _umask()
    os.chmod(path, (0o777 if directory else 0o666) & ~umask)


_LEGACY_AGE_S = 24 * 3600.0
_MKDTEMP_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")  # tempfile's random names


def _lock_dir(path: Path) -> int:
    """An open descriptor holding an exclusive ``flock`` on a directory (Linux allows flock on directories):
    while its process lives, :func:`clean_directory_leftovers` leaves that directory alone; the kernel
    drops the lock when the process dies, even on ``kill -9``."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _unused(path: Path) -> bool:
    """Whether no live process holds the ``flock`` of this directory (taken and released at once)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: a live writer holds it
        return False
    finally:
        os.close(fd)  # closing releases the lock we may have taken
    return True


def directory_leftovers(target: Path) -> tuple[list[Path], list[Path]]:
    """``(temporary, previous)``: hidden siblings of ``target`` that :func:`atomic_directory` left behind
    when its process was killed, and that no live process is using.

    Only atomic_directory's own names are considered, and only directories: ``.NAME.tmp-*`` (a save in
    progress), ``.NAME.old-PID`` (the previous version, renamed aside for the instant before the new one
    takes its place) — both unused when their ``flock`` can be taken, i.e. their writer has died — and
    ``.NAME.`` followed by 8 characters, the names of earlier versions of this module, which held no lock:
    removed only when untouched for a day.
    """
    target = Path(target)
    temporary, previous = [], []
    if target.name in ("", ".", ".."):  # no name of its own (e.g. Path(".")): no sibling can be its leftover
        return [], []
    prefix = f".{target.name}."
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return [], []
    now = time.time()
    for p in entries:
        rest = p.name[len(prefix):] if p.name.startswith(prefix) else None
        if rest is None or not p.is_dir() or p.is_symlink():
            continue
        if rest.startswith("tmp-") and _unused(p):
            temporary.append(p)
        elif rest.startswith("old-") and rest[4:].isdigit() and _unused(p):
            previous.append(p)
        elif len(rest) == 8 and all(c in _MKDTEMP_CHARS for c in rest):
            try:
                if now - p.stat().st_mtime > _LEGACY_AGE_S:
                    temporary.append(p)
            except OSError:
                pass
    return sorted(temporary), sorted(previous)


def clean_directory_leftovers(target: Path) -> list[Path]:
    """Remove what killed :func:`atomic_directory` writers of ``target`` left (see
    :func:`directory_leftovers`); returns what was removed or restored.

    A writer killed between its two renames leaves no ``target`` and the previous version under
    ``.NAME.old-PID``: that version is renamed back to ``target`` (the interrupted save never
    completed, so the last completed one is what ``target`` must hold). Errors (a read-only
    parent, a directory removed by another cleaner meanwhile) are ignored: cleaning is best effort
    and never stops the save or load that triggered it.
    """
    target = Path(target)
    temporary, previous = directory_leftovers(target)
    done = []
    if previous and not os.path.lexists(target):
        newest = max(previous, key=lambda p: p.stat().st_mtime if p.exists() else 0.0)
        try:
            os.rename(newest, target)
            fsync_path(target.parent)
            done.append(newest)
            previous.remove(newest)
        except OSError:
            pass
    for p in temporary + previous:
        shutil.rmtree(p, ignore_errors=True)
        if not p.exists():
            done.append(p)
    return done


@contextmanager
def atomic_directory(target: Path):
    """Yield a temporary sibling directory; on success it replaces ``target`` in one rename.

    Every file and directory inside is fsync-ed before the rename, and the parent after it.
    Leftovers of killed writers of the same ``target`` are removed first
    (:func:`clean_directory_leftovers`); this writer's own temporary directory holds an ``flock``
    while it lives, so another process's cleaning never takes it for a leftover.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_directory_leftovers(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    locks = [_lock_dir(tmp)]
    try:
        yield tmp
        _default_mode(tmp, directory=True)
        _fsync_tree(tmp)
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            # lock the previous version before moving it aside: a cleaner seeing it without a target
            # would otherwise restore it while we are between the two renames
            try:
                locks.append(_lock_dir(target))
            except OSError:  # not a directory (replaced all the same, as before): nothing to protect
                pass
            os.replace(target, old)
            os.replace(tmp, target)
            fsync_path(target.parent)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
            fsync_path(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        for fd in locks:
            os.close(fd)


def temp_prefix(target: Path) -> str:
    """Name prefix of :func:`atomic_file`'s temporary files for ``target`` (hidden: ``.NAME.``)."""
    return f".{Path(target).name}."


@contextmanager
def atomic_file(target: Path):
    """Yield a temporary path next to ``target``; on success it is fsync-ed, renamed onto
    ``target``, and the directory fsync-ed, so a returned write survives a power cut."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=temp_prefix(target), dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _default_mode(tmp, directory=False)
        fsync_path(tmp)
        os.replace(tmp, target)
        fsync_path(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class WriterLock:
    """An exclusive, advisory lock on a directory, held by one process at a time.

    The lock is ``flock(2)`` on the file ``LOCK_NAME`` inside the directory: the kernel
    releases it when the holder exits, even on ``kill -9``, so a crashed writer never
    leaves a stale lock. The holder writes ``pid host time`` into the file so that a
    waiter can say who it waited for. The file is removed on release; a waiter that
    locked a file meanwhile unlinked re-opens the new one (checked by inode), so two
    holders are impossible.

    Re-entrant for the thread that holds it; other threads sharing the instance wait
    like other processes. Two ``WriterLock`` objects on one directory exclude each
    other even in one process.
    Advisory only: code that does not take the lock is not stopped. Needs a file
    system with working ``flock`` (local disks; NFS ≥ 2.6.12 emulates it).
    """

    LOCK_NAME = ".lock"

    def __init__(self, directory: Path, *, timeout: float = 60.0, what: str = "directory"):
        self.directory = Path(directory)
        self.path = self.directory / self.LOCK_NAME
        self.timeout = float(timeout)
        self.what = what
        self._fd: int | None = None
        self._depth = 0
        self._thread = threading.RLock()

    @property
    def held(self) -> bool:
        """Whether this instance holds the lock (in any thread)."""
        return self._depth > 0

    @property
    def depth(self) -> int:
        """How many nested acquisitions the holding thread has made (0: not held)."""
        return self._depth

    def holder(self) -> str:
        """``pid … on host … since …`` of the current holder, as written in the lock file."""
        try:
            text = self.path.read_text().split()
        except OSError:
            return "an unknown process"
        if len(text) >= 3:
            return f"process {text[0]} on {text[1]} (since {text[2]})"
        return "an unknown process"

    def _try_open_and_lock(self) -> int | None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        try:
            same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # the previous holder unlinked the file we locked: lock the current one
            os.close(fd)
            return -1
        return fd

    def acquire(self, timeout: float | None = None) -> None:
        timeout = self.timeout if timeout is None else float(timeout)
        deadline = time.monotonic() + timeout
        if not self._thread.acquire(timeout=max(timeout, 0.0)):
            raise LockTimeout(f"{self.directory}: this {self.what} is being written by another thread of this "
                              f"process; waited {timeout:g} s")
        if self._depth:
            self._depth += 1
            return
        try:
            self._acquire_file(timeout, deadline)
        except BaseException:
            self._thread.release()
            raise

    def _acquire_file(self, timeout: float, deadline: float) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        delay = 0.01
        while True:
            fd = self._try_open_and_lock()
            if fd is not None and fd >= 0:
                break
            if fd is None:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{self.directory}: this {self.what} is being written by {self.holder()}; waited "
                        f"{timeout:g} s for it to finish. Only one writer at a time is allowed. Try again "
                        f"when it has finished, or wait longer (the lock is released automatically when "
                        f"that process ends, even if it is killed).")
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {socket.gethostname()} {stamp}\n".encode())
        self._fd = fd
        self._depth = 1

    def release(self) -> None:
        if not self._depth:
            raise RuntimeError(f"{self.path}: released without being held")
        self._depth -= 1
        try:
            if self._depth:
                return
            fd, self._fd = self._fd, None
            try:
                # Unlink while still holding the lock: waiters re-open by name and check the inode.
                self.path.unlink(missing_ok=True)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        finally:
            self._thread.release()

    def __enter__(self) -> "WriterLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
