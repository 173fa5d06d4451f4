"""The cache of pure functions between runs: a second command reads what the first computed, the
code's version or a damaged file starts afresh, what no file needs any more is dropped, and the
validation report is the same with and without it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.base import cache

CALLS: list[str] = []


@cache.persisted("lengths")
def length(text: str) -> int:
    CALLS.append(text)
    return len(text)


@pytest.fixture(autouse=True)
def closed():
    CALLS.clear()
    yield
    cache.close_cache()


def test_without_a_folder_nothing_is_kept(tmp_path: Path) -> None:
    assert length("abc") == 3 and length("abc") == 3
    assert CALLS == ["abc", "abc"]


def test_a_second_run_reads_what_the_first_computed(tmp_path: Path) -> None:
    cache.open_cache(tmp_path, "v1")
    assert length("abc") == 3
    cache.save_cache()
    assert [p.name for p in tmp_path.iterdir()] == ["lengths-v1.pickle"]
    cache.open_cache(tmp_path, "v1")  # a new run
    assert length("abc") == 3 and length("abcd") == 4
    assert CALLS == ["abc", "abcd"]


def test_another_version_of_the_code_computes_again_and_replaces_the_file(tmp_path: Path) -> None:
    cache.open_cache(tmp_path, "v1")
    length("abc")
    cache.save_cache()
    cache.open_cache(tmp_path, "v2")
    length("abc")
    cache.save_cache()
    assert CALLS == ["abc", "abc"]
    assert [p.name for p in tmp_path.iterdir()] == ["lengths-v2.pickle"]


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05K\x01."])  # the last: an int, not a table
def test_a_damaged_or_foreign_file_is_computed_again(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "lengths-v1.pickle").write_bytes(content)
    cache.open_cache(tmp_path, "v1")
    assert length("abc") == 3
    cache.save_cache()
    cache.open_cache(tmp_path, "v1")
    assert length("abc") == 3
    assert CALLS == ["abc"]


def test_entries_no_run_asked_for_are_dropped_and_an_unchanged_table_is_not_written(tmp_path: Path) -> None:
    cache.open_cache(tmp_path, "v1")
    length("old")
    length("kept")
    cache.save_cache()
    cache.open_cache(tmp_path, "v1")
    length("kept")
    cache.save_cache()
    file = tmp_path / "lengths-v1.pickle"
    written = file.stat().st_mtime_ns
    cache.open_cache(tmp_path, "v1")
    length("kept")
    cache.save_cache()
    assert file.stat().st_mtime_ns == written
    cache.open_cache(tmp_path, "v1")
    length("old")
    assert CALLS == ["old", "kept", "old"]


def _cda(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", *args, "--root", str(root)],
                          capture_output=True, text=True, check=False)


def test_validation_reports_the_same_from_the_cache(make_project) -> None:
    root = make_project()
    assert _cda(root, "validate").returncode == 0
    assert sorted(p.name.split("-")[0] for p in (root / ".cache/cda").glob("*.pickle")) == [
        "heading", "structure", "yaml"]
    reading = next((root / "curriculum/modules").rglob("*.md"))
    reading.write_text(reading.read_text("utf-8") + "\n- [x](module:nowhere)\n", "utf-8")
    first = _cda(root, "validate")  # the other files from the cache, this one parsed again
    fresh = root.parent / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(".cache"))
    cold = _cda(fresh, "validate")
    assert first.returncode == cold.returncode == 1
    assert "error[E401]: link to unknown module 'nowhere'" in first.stdout
    assert first.stdout.replace(str(root), "ROOT") == cold.stdout.replace(str(fresh), "ROOT")
    assert not (fresh / ".cache").exists(), "a failed command writes no cache"


def test_outside_a_project_nothing_is_written(tmp_path: Path) -> None:
    result = _cda(tmp_path, "validate")
    assert result.returncode != 0
    assert not (tmp_path / ".cache").exists()
