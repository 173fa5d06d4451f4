"""Every bad input gets a clear, located diagnostic: never a traceback, never a changed file.

Each folder in ``tests/fixtures/broken/`` is one case. It holds only what differs from
``tests/fixtures/minimal``; the test copies the minimal project to a temporary folder and lays
the case's files over it. Special files in a case folder:

``expected.txt``
    The diagnostic's first line, exactly (``path:line:col: error[CODE]: message``, path
    relative to the project root), which must be one of the report's lines. An optional second
    line is the ``    hint: ...`` line that must follow it.
``command.txt``
    The command and its extra arguments (default ``validate``). For ``check`` the copy first
    gets its catalogs (``cda extract`` and ``cda update``); files under ``curriculum/locales/``
    are planted after that, everything else before.
``<path>.delete``
    Delete ``<path>``.
``<path>.huge``
    Generate ``<path>`` with the number of bytes written in the marker (not committed).
``<path>.symlink``
    Make ``<path>`` a symbolic link to the target written in the marker.
``<path>.chmod000``
    Make ``<path>`` unreadable (skipped when running as root, who can still read it).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from build_tools.cli import main

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal"
BROKEN = HERE / "fixtures" / "broken"
META = {"expected.txt", "command.txt", "README.md", ".gitattributes"}
MARKERS = (".delete", ".huge", ".symlink", ".chmod000")
LOCALES = "curriculum/locales/"

CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def _case_files(case: Path) -> list[tuple[str, Path]]:
    """(relative path in the project, file in the case folder), metadata excluded."""
    out = []
    for path in sorted(case.rglob("*")):
        if path.is_file() and not (path.parent == case and path.name in META):
            out.append((path.relative_to(case).as_posix(), path))
    return out


def _apply(root: Path, files: list[tuple[str, Path]]) -> None:
    for rel, src in files:
        marker = next((m for m in MARKERS if rel.endswith(m)), None)
        target = root / (rel[: -len(marker)] if marker else rel)
        if marker == ".delete":
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if marker == ".huge":
            size = int(src.read_text("utf-8").split()[0])
            line = b"# " + b"padding " * 9 + b"\n"
            data = line * (size // len(line) + 1)
            target.write_bytes(data[:size - 1] + b"\n")
        elif marker == ".symlink":
            if target.exists() or target.is_symlink():
                target.unlink()
            target.symlink_to(src.read_text("utf-8").strip())
        elif marker == ".chmod000":
            target.chmod(0)
            try:
                target.read_bytes()
            except PermissionError:
                pass
            else:
                target.chmod(0o644)
                pytest.skip("running with privileges that read a chmod 000 file (root)")
        else:
            shutil.copyfile(src, target)


def _snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every file and folder under ``root``, with a hash of its content."""
    snap: dict[str, tuple[object, ...]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                snap[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                snap[rel] = ("dir",)
            else:
                try:
                    snap[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
                except PermissionError:
                    snap[rel] = ("unreadable", st.st_mode, st.st_size, st.st_mtime_ns)
    return snap


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:  # pragma: no cover - the failure this suite exists to catch
        captured = capsys.readouterr()
        pytest.fail(f"cda {' '.join(argv)} raised {exc!r}\n{captured.out}\n{captured.err}")
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _prepare(case: Path, root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Build the broken project in ``root``; return the command to run."""
    shutil.copytree(MINIMAL, root, dirs_exist_ok=True)
    command = (case / "command.txt").read_text("utf-8").split() if (case / "command.txt").exists() else []
    command = command or ["validate"]
    files = _case_files(case)
    _apply(root, [f for f in files if not f[0].startswith(LOCALES)])
    if command[0] == "check":
        for step in ("extract", "update"):
            code, out, err = _run([step, "--root", str(root)], capsys)
            assert code == 0, f"cda {step} failed while preparing the case:\n{out}\n{err}"
    _apply(root, [f for f in files if f[0].startswith(LOCALES)])
    return [command[0], "--root", str(root), *command[1:]]


@pytest.mark.parametrize("name", CASES)
def test_broken_input(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    case = BROKEN / name
    expected = (case / "expected.txt").read_text("utf-8").rstrip("\n").split("\n")
    root = tmp_path
    monkeypatch.chdir(root)
    argv = _prepare(case, root, capsys)
    before = _snapshot(root)

    code, out, err = _run(argv, capsys)

    assert "Traceback" not in out + err, out + err
    assert code == 1, f"exit code {code}, expected 1\n{out}\n{err}"
    lines = out.splitlines()
    assert expected[0] in lines, f"expected diagnostic not reported:\n{expected[0]}\ngot:\n{out}\n{err}"
    at = lines.index(expected[0])
    assert lines[at + 1:at + len(expected)] == expected[1:], f"hint differs:\n{out}"
    assert re.fullmatch(r"[1-9]\d* errors?, \d+ warnings?", lines[-1]), f"no summary line:\n{out}"
    assert _snapshot(root) == before, "the command changed files in the project"


def test_every_case_is_complete() -> None:
    assert len(CASES) >= 45
    for name in CASES:
        case = BROKEN / name
        assert (case / "expected.txt").is_file(), f"{name} has no expected.txt"
        first = (case / "expected.txt").read_text("utf-8").split("\n")[0]
        assert ": error[" in first and first.startswith("curriculum/"), f"{name}: {first}"
        assert _case_files(case), f"{name} changes nothing"
