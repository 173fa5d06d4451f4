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
        "front", "heading", "structure", "yaml"]
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


# -- within one process (`cda serve` validates the course on every save) ------------------------

def _check(root: Path) -> tuple[object, list[str]]:
    from build_tools.check.project import check_curriculum
    cur, report = check_curriculum(root)
    return cur, [d.format() for d in report.sorted()]


def test_a_reload_shares_the_front_matter_of_unchanged_pages_and_reports_its_lines(make_project) -> None:
    root = make_project(files={"curriculum/pages/about.md": "---\ntitle: About\norder: 2\nsurprise: 1\n---\n\nText.\n"})
    first_cur, first = _check(root)
    again_cur, again = _check(root)
    assert first == again
    shown = [line for line in first if "about.md" in line]
    assert len(shown) == 1 and "about.md:4:1: error[" in shown[0], shown
    pages = {p.id: p for p in first_cur.pages}  # type: ignore[attr-defined]
    assert {p.id: p for p in again_cur.pages}["home"].doc is pages["home"].doc  # type: ignore[attr-defined]
    assert pages["home"].doc.loc(("title",)).line == 2  # the file's line, not the front matter's


def test_a_placeholder_in_the_glossary_is_reported_once_not_once_per_term(make_project) -> None:
    from build_tools.check.validation import rule_placeholders
    from build_tools.source.loader import load_curriculum
    root = make_project()
    glossary = root / "curriculum/glossary/core.yaml"
    glossary.write_text(glossary.read_text("utf-8").replace("before the work starts", "TODO", 1), "utf-8")
    cur, _ = load_curriculum(root)
    assert len(cur.glossary) > 1
    found = [d.format() for d in rule_placeholders(cur)]
    assert len(found) == 1 and "error[E406]: placeholder text 'TODO'" in found[0], found
    assert [d.format() for d in rule_placeholders(load_curriculum(root)[0])] == found


def test_a_reload_reports_an_image_deleted_since_the_last_check(make_project) -> None:
    root = make_project()
    reading = next((root / "curriculum/modules").rglob("*.md"))
    (reading.parent / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    reading.write_text(reading.read_text("utf-8") + "\n![A chart](chart.png)\n", "utf-8")
    assert not [line for line in _check(root)[1] if "E411" in line]
    (reading.parent / "chart.png").unlink()
    missing = [line for line in _check(root)[1] if "E411" in line]
    assert len(missing) == 1 and "image 'chart.png' not found" in missing[0], missing


def test_a_reload_reports_a_link_to_a_heading_renamed_since_the_last_check(make_project) -> None:
    root = make_project(files={"curriculum/pages/about.md": "---\ntitle: About\n---\n\nSee [the first module]"
                               "(module:core-01-leading-with-data#why-data-matters).\n"})
    before = _check(root)[1]
    reading = next((root / "curriculum/modules").rglob("*.md"))
    reading.write_text(reading.read_text("utf-8").replace("## ", "## Renamed ", 1), "utf-8")
    after = [line for line in _check(root)[1] if "about.md" in line]
    assert not [line for line in before if "about.md" in line and "E401" in line]
    assert len(after) == 1 and "error[E4" in after[0] and "why-data-matters" in after[0], after
