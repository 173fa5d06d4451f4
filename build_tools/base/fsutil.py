"""File writing that never leaves half a file or half a folder behind."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from build_tools.base.errors import LockError


def atomic_write(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` via a temporary file and rename; skip if unchanged.

    Returns True when the file changed.
    """
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> bool:
    """:func:`atomic_write` for bytes."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_files(root: Path, files: dict[str, str]) -> int:
    """Write several files atomically (each one); return how many changed."""
    return sum(atomic_write(root / rel, text) for rel, text in sorted(files.items()))


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux ``renameat2(RENAME_EXCHANGE)``; False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def swap_dir(new: Path, target: Path) -> None:
    """Replace folder ``target`` by ``new`` so that ``target`` is always either old or new.

    On Linux the two folders are exchanged in one system call; elsewhere two renames are used
    and :func:`recover_dir` repairs the short gap after a crash.
    """
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def recover_dir(target: Path) -> None:
    """After a crash between the two renames of :func:`swap_dir`, put the old folder back."""
    old = target.with_name(f".{target.name}.old")
    if old.exists() and not target.exists():
        os.replace(old, target)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


_HELD: dict[Path, int] = {}
"""Projects whose lock this process holds, and how many times it has taken it."""


@contextlib.contextmanager
def project_lock(root: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on the project so two writers never interleave.

    Every writer takes it (extract, update, generate, build, the MkDocs hook): a second process
    gets a :class:`LockError` at once; within one process the lock is reentrant, so ``build``
    can generate and ``update`` can write its catalogs under the lock they already hold.
    """
    import fcntl

    key = root.resolve()
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    fd = os.open(key / ".cda.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise LockError(f"another cda command is already writing this project ({what} waits for it); "
                                "run it again when the other one has finished") from None
            raise
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
    finally:
        os.close(fd)
