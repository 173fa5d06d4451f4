"""`cda serve`: each save rebuilds only the pages it changed (MkDocs' dirty builds), and a change
of navigation rebuilds every page of the language, so no page shows a stale menu."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `pytest` (unlike `python -m pytest`) does not put the repo on the path
    sys.path.insert(0, str(REPO))

from benchmarks.run import _get, free_port  # noqa: E402 (the benchmark's preview loop serves the same way)
from build_tools.site import hook  # noqa: E402

MODULE = "curriculum/modules/core/core-01-leading-with-data"


def _wait(what: Callable[[], bool], log: Path, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not what():
        if time.monotonic() > end:
            pytest.fail("timed out; cda serve printed:\n" + log.read_text("utf-8", "replace")[-3000:])
        time.sleep(0.2)


def _menu(html: str) -> list[str]:
    """The labels of a page's menus (navigation, table of contents, footer links), in order."""
    return [" ".join(label.split()) for label in re.findall(r'<span class="md-ellipsis">(.*?)</span>', html, re.S)]


@contextlib.contextmanager
def _serving(root: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log = root / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO))
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "build_tools", "serve", "--root", str(root),
                                 "-a", f"127.0.0.1:{port}"], cwd=root, env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}/", log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_an_edit_rebuilds_its_pages_and_a_new_title_every_page(make_project) -> None:
    root = make_project()
    (root / "build_tools").symlink_to(REPO / "build_tools")
    page = "modules/core-01-leading-with-data/"
    with _serving(root) as (base, log):
        _wait(lambda: "regular decisions" in (_get(base + page) or ""), log)
        menu = _menu(_get(base + page) or "")
        assert "From promise to measure" in menu and "Glossary" in menu, menu
        _wait(lambda: _get(base + "pagefind/pagefind-entry.json") is not None, log)  # indexed in the background
        reading = root / f"{MODULE}.md"
        reading.write_text(reading.read_text("utf-8").replace("regular decisions", "weekly decisions"), "utf-8")
        _wait(lambda: "weekly decisions" in (_get(base + page) or ""), log)
        assert "navigation or pages changed" not in log.read_text("utf-8")
        # only the module's pages were rebuilt; their menus still name the pages that were not
        assert _menu(_get(base + page) or "") == menu

        meta = root / f"{MODULE}.yaml"
        meta.write_text(meta.read_text("utf-8").replace("title: Leading with data", "title: Leading with evidence"),
                        "utf-8")
        # every page's menu may name the module: all pages are rebuilt
        _wait(lambda: "Leading with evidence" in (_get(base + page) or ""), log)
        text = log.read_text("utf-8")
    assert "cda: en: navigation or pages changed, rebuilding all" in text, text[-3000:]
    assert "Traceback" not in text, text[-3000:]


def test_a_language_whose_menu_changed_is_marked_for_a_full_rebuild(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for lang in ("en", "es"):
        (docs / lang / "modules").mkdir(parents=True)
        (docs / lang / ".nav.json").write_text('["index.md"]', "utf-8")
        for name in ("index.md", "modules/a.md"):
            (docs / lang / name).write_text('---\ntitle: "A"\n---\n# A\n', "utf-8")
            os.utime(docs / lang / name, (1_000_000, 1_000_000))
    before = hook._layout(docs)
    (docs / "es" / ".nav.json").write_text('["index.md", "modules/a.md"]', "utf-8")
    hook._mark_relaid(docs, before, hook._layout(docs))
    assert {p.stat().st_mtime > 1_000_000 for p in (docs / "es").rglob("*.md")} == {True}
    assert {p.stat().st_mtime for p in (docs / "en").rglob("*.md")} == {1_000_000}
    before = hook._layout(docs)
    (docs / "en" / "modules" / "a.md").write_text('---\ntitle: "B"\n---\n# B\n', "utf-8")
    os.utime(docs / "en" / "index.md", (1_000_000, 1_000_000))
    hook._mark_relaid(docs, before, hook._layout(docs))
    assert (docs / "en" / "index.md").stat().st_mtime > 1_000_000  # a title in its menu changed
