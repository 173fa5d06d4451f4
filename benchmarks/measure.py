"""Run one command in a fresh process and measure it: wall time, CPU time, peak memory.

* wall: ``time.perf_counter`` around the process;
* CPU: user + system time of the process and every descendant it waited for, from
  ``os.wait4`` (the child's ``getrusage(RUSAGE_SELF)`` plus its ``RUSAGE_CHILDREN``);
* peak RSS: ``ru_maxrss`` of the command and its waited-for descendants, i.e. the largest
  single process of the tree (MkDocs children included), so peaks of earlier stages never
  accumulate. It is read by :mod:`benchmarks.rusage_wrapper`, a bare interpreter between
  us and the command, because a forked child inherits its parent's high-water mark: the
  floor is the wrapper's ~10 MB instead of this (larger) benchmark process;
* tree peak: the largest sum of the proportional set sizes (PSS: a page shared by k processes
  counts 1/k in each) of the process and all its descendants (the wrapper not counted),
  sampled from ``/proc`` every 50 ms: what the machine needs when ``cda build`` runs two
  MkDocs processes at once. PSS, not RSS, so that a child forked from a large process (before
  it execs ``msgcat``, say) does not count that process's pages twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
REPO = Path(__file__).resolve().parent.parent
CODE = REPO          # where the measured ``build_tools`` is imported from (a snapshot: see run.snapshot_code)
WRAPPER = Path(__file__).resolve().parent / "rusage_wrapper.py"


@dataclass
class Result:
    wall: float
    cpu: float
    user: float
    sys: float
    peak_rss_mb: float
    tree_peak_mb: float
    returncode: int
    timed_out: bool = False
    load_before: float = 0.0
    stdout: str = ""
    stderr: str = ""

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("stdout")
        data["stderr"] = self.stderr[-2000:] if self.returncode else ""
        for key in ("wall", "cpu", "user", "sys", "peak_rss_mb", "tree_peak_mb", "load_before"):
            data[key] = round(float(data[key]), 3)
        return data


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    paths = dict.fromkeys(p for p in (str(CODE), str(REPO), env.get("PYTHONPATH", "")) if p)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.pop("CDA_GENERATED", None)
    env.update(extra or {})
    return env


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2:].split()
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _identity(pid: int) -> tuple[bytes, bytes]:
    """Command line and memory size: a child between (v)fork and exec looks like its parent."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read()
        with open(f"/proc/{pid}/statm", "rb") as fh:
            size = b" ".join(fh.read().split()[:2])
        return cmdline, size
    except OSError:
        return b"", b""


def tree_rss(root: int, include_root: bool = True) -> int:
    """Bytes (PSS) of ``root`` (unless ``include_root`` is false) and all its descendants now.

    A child that has not yet replaced the copy of its parent by ``exec`` (``subprocess`` uses
    ``vfork``, whose child shares its parent's memory) is not counted a second time.
    """
    children = _children_map()
    total, stack = 0, [(root, None)]
    while stack:
        pid, parent = stack.pop()
        stack.extend((child, pid) for child in children.get(pid, ()))
        if pid == root and not include_root:
            continue
        if parent is not None and parent != root and _identity(pid) == _identity(parent):
            continue
        total += _pss(pid)
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        sampling = sys.platform.startswith("linux")
        while sampling and not self.stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid, include_root=False))
            self.stop.wait(self.interval)


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        timeout: float | None = None) -> Result:
    """Run ``cmd`` to completion in its own session and measure it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as scratch:
        usage_file = Path(scratch) / "usage.json"
        wrapped = [sys.executable, "-S", "-E", str(WRAPPER), str(usage_file), *cmd]
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        start = time.perf_counter()
        # ``python -m`` puts the working directory first on sys.path: run from the snapshot.
        proc = subprocess.Popen(wrapped, cwd=cwd or CODE, env=env or child_env(), stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        sampler = _Sampler(proc.pid)
        sampler.start()
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        sampler.stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        try:
            inner = json.loads(usage_file.read_text("utf-8"))
        except (OSError, ValueError):
            inner = {"maxrss_kb": usage.ru_maxrss}
    return Result(wall, usage.ru_utime + usage.ru_stime, usage.ru_utime, usage.ru_stime,
                  inner["maxrss_kb"] / 1024, sampler.peak / 2**20, proc.returncode, timed_out.is_set(),
                  load, stdout, stderr)


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def cda(command: str, root: Path, *args: str) -> list[str]:
    """``python -m build_tools COMMAND --root ROOT ...`` (the ``cda`` entry point)."""
    return python("-m", "build_tools", command, "--root", str(root), *args)
