"""The benchmark runs on a tiny course and reports every stage and ratio (not a timed test)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `pytest` (unlike `python -m pytest`) does not put the repo on the path
    sys.path.insert(0, str(REPO))

from benchmarks import synth  # noqa: E402
from benchmarks.pseudo import pseudo_translate  # noqa: E402
from benchmarks.run import COMPARISONS, RATIOS, STAGES  # noqa: E402


def test_benchmark_runs_on_a_tiny_course(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--modules", "3", "--skip-babel", "--skip-mdpo", "--skip-serve", "--out", str(out), "--workdir", str(tmp_path / "work")],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads((out / "results.json").read_text("utf-8"))
    size = data["sizes"]["3"]
    for stage in STAGES:
        got = size["stages"][stage]
        assert got["returncode"] == 0, (stage, got)
        for key in ("wall", "cpu", "peak_rss_mb", "tree_peak_mb"):
            assert isinstance(got[key], (int, float)), (stage, key)
    assert size["stages"]["build"]["before_mkdocs"] > 0
    assert set(RATIOS) <= set(size["ratios"])
    assert set(COMPARISONS) <= set(size["comparisons"])
    assert size["ratios"]["update_vs_msgmerge"] is not None or size["comparisons"]["msgmerge"].get("skipped")
    assert size["ratios"]["incremental_files_rewritten"] == size["ratios"]["incremental_files_changed"] > 0
    assert size["ratios"]["search_index_own_language"] is True
    assert size["comparisons"]["ours_md"]["roundtrip_identical"] == 3
    assert [b["id"] for b in data["budgets"]] == ["1", "2", "3a", "3b", "4", "5a", "5b", "6a", "6b", "7"]
    speed = {b["id"]: b for b in data["speed_budgets"]}
    assert list(speed) == ["1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b", "5"]
    assert {b["status"] for b in speed.values()} <= {"PASS", "MISS", "n/a"}
    assert size["comparisons"]["rebuild"]["before_mkdocs"] > 0
    first = size["comparisons"]["first_search"]
    assert first.get("skipped") or (first["results"] > 0 and first["gzip_bytes"] > first["index_gzip_bytes"] > 0), first
    lunr = size["comparisons"]["first_search_default"]  # Material's own search, side by side
    assert lunr.get("skipped") or (lunr["query"] == first["query"] and lunr["index_gzip_bytes"] > 0), lunr
    assert "## Budgets (issue 24: speed where people wait)" in (out / "results.md").read_text("utf-8")
    text = (out / "results.md").read_text("utf-8")
    assert "## 3 modules" in text and "## Budgets" in text
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((root / "curriculum").rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return h.hexdigest()


def test_synthetic_curriculum_is_deterministic(tmp_path: Path) -> None:
    first, second = synth.generate(tmp_path / "a", 7), synth.generate(tmp_path / "b", 7)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert first.words == second.words and first.words / 7 > 900


def test_pseudo_translation_keeps_markup() -> None:
    """Only words change (``cda check`` on the whole synthetic course is the stage test above)."""
    import re

    from build_tools.text.safety import unsafe_translation

    src = "See **the plan**, *one* [lab](module:core-01-x) and `code_id` at {url} or <https://example.org/a>."
    markup = re.compile(r"`[^`]*`|\]\([^)]*\)|\{url\}|<[^>]*>|\*+")
    for lang in ("es", "pt"):
        dst = pseudo_translate(src, lang)
        assert dst != src
        assert markup.findall(dst) == markup.findall(src)
        assert unsafe_translation(src, dst) == []


def test_the_default_build_builds_every_language(make_project) -> None:  # type: ignore[no-untyped-def]
    """The comparison is a team's own mkdocs.yml: every language listed, not only the source one."""
    import yaml

    from benchmarks.run import write_default_config

    cfg = yaml.safe_load(write_default_config(make_project()).read_text("utf-8"))
    i18n = next(p["i18n"] for p in cfg["plugins"] if "i18n" in p)
    assert [(x["locale"], x.get("default", False)) for x in i18n["languages"]] == [
        ("en", True), ("es", False), ("pt", False)]
    assert "hooks" not in cfg
