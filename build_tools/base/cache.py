"""What pure functions of a text computed, kept between runs under the text's digest.

Every command loads and validates the whole course before it does its own work; most files are
the ones the last command saw. A function decorated with :func:`persisted` (a YAML file parsed and
schema-checked, a body's block structure compared with the renderer's, its heading ids) keeps its
results in ``.cache/cda/<name>-<version>.pickle`` once :func:`open_cache` has named the folder and
the code's version, so ``cda extract`` after ``cda validate``, or ``cda check`` after ``cda update``,
parses and renders only what changed. Sphinx keeps its environment between builds the same way.

Each table is read on first use, and :func:`save_cache` writes back what this run asked for
(entries no file needs any more are dropped), atomically: a broken or foreign file is ignored, two
runs at once cost a recomputation, never a wrong result. Without :func:`open_cache` (the tests, a
library caller) nothing is read or written. Only pure functions may be persisted: the key is their
arguments, and the version changes with any file of ``build_tools`` or a library it renders with.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from build_tools.base.fsutil import atomic_write_bytes

P = ParamSpec("P")
T = TypeVar("T")
log = logging.getLogger(__name__)


class _State:
    folder: Path | None = None
    version = ""
    tables: dict[str, dict[bytes, Any]] = {}
    used: dict[str, set[bytes]] = {}
    added: set[str] = set()


def open_cache(folder: Path, version: str) -> None:
    """Keep the results of persisted functions in ``folder``, for this version of the code."""
    _State.folder, _State.version = folder, version
    _State.tables, _State.used, _State.added = {}, {}, set()


def close_cache() -> None:
    """Stop persisting (what is in memory is forgotten; nothing is written)."""
    _State.folder = None
    _State.tables, _State.used, _State.added = {}, {}, set()


def _path(name: str) -> Path:
    assert _State.folder is not None
    return _State.folder / f"{name}-{_State.version}.pickle"


def _table(name: str) -> dict[bytes, Any]:
    table = _State.tables.get(name)
    if table is None:
        table = {}
        try:
            loaded = pickle.loads(_path(name).read_bytes())
            if isinstance(loaded, dict):
                table = loaded
        except FileNotFoundError:
            pass
        except Exception as exc:  # a truncated, foreign or outdated file: computed again
            log.debug("cache %s ignored: %s", _path(name), exc)
        _State.tables[name] = table
        _State.used[name] = set()
    return table


def persisted(name: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Keep what the function returns for given arguments (texts and names) between runs."""

    def wrap(fn: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> T:
            if _State.folder is None:
                return fn(*args, **kwargs)
            key = hashlib.blake2b("\0".join(map(str, (*args, *kwargs.items()))).encode("utf-8"),
                                  digest_size=16).digest()
            table = _table(name)
            _State.used[name].add(key)
            if key in table:
                return table[key]  # type: ignore[no-any-return]
            value = fn(*args, **kwargs)
            table[key] = value
            _State.added.add(name)
            return value

        return call

    return wrap


def save_cache() -> None:
    """Write each table this run used, holding what it asked for, if anything changed."""
    if _State.folder is None:
        return
    for name, table in _State.tables.items():
        used = _State.used.get(name, set())
        if name not in _State.added and len(used) == len(table):
            continue
        keep = {k: v for k, v in table.items() if k in used}
        try:
            _State.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(_path(name), pickle.dumps(keep, protocol=pickle.HIGHEST_PROTOCOL))
            for old in _State.folder.glob(f"{name}-*.pickle"):
                if old != _path(name):
                    old.unlink(missing_ok=True)
        except (OSError, pickle.PicklingError, TypeError) as exc:  # read-only checkout: next run computes again
            log.debug("cache %s not written: %s", _path(name), exc)
