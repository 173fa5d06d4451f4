"""The catalog store: catalogs are read in one place, parsed once while unchanged, and every
writer (extract, update, generate, build, the MkDocs hook) holds the same project lock."""

from __future__ import annotations

import ast
import contextlib
import fcntl
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from build_tools.base.errors import LockError
from build_tools.base.fsutil import project_lock
from build_tools.check.project import Project
from build_tools.i18n import store
from build_tools.i18n.store import CatalogStore

PACKAGE = Path(__file__).resolve().parents[1] / "build_tools"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the store parses (not those it serves from its cache)."""
    seen: list[str] = []
    original = store.read_catalog

    def counting(path: Path):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return original(path)

    monkeypatch.setattr(store, "read_catalog", counting)
    monkeypatch.setattr(store, "_CACHE", {})
    return seen


def test_a_catalog_is_parsed_once_while_its_file_is_unchanged(make_project: Callable[..., Path],
                                                              parses: list[str]) -> None:
    root = make_project("translated")
    first, report = CatalogStore(Project(root)).all_catalogs()
    assert not report.items
    count = len(parses)
    assert count == sum(len(v) for v in first.values()) > 0
    again, _ = CatalogStore(Project(root)).all_catalogs()
    assert len(parses) == count
    assert again == first and again["es"]["ui"] is first["es"]["ui"]


def test_a_changed_catalog_is_read_again(make_project: Callable[..., Path], parses: list[str]) -> None:
    root = make_project("translated")
    catalogs = CatalogStore(Project(root))
    before, _ = catalogs.catalogs("es")
    path = Project(root).catalog_dir("es") / "ui.po"
    text = path.read_text("utf-8")
    edited = text.replace('msgstr "Recursos"', 'msgstr "Recursos y lecturas"', 1)
    assert edited != text
    path.write_text(edited, "utf-8")
    parses.clear()
    after, _ = catalogs.catalogs("es")
    assert parses == ["ui.po"]
    assert after["ui"] != before["ui"]
    assert "Recursos y lecturas" in {e.msgstr for e in after["ui"].entries}


def test_a_broken_catalog_keeps_its_diagnostic_when_cached(make_project: Callable[..., Path],
                                                           parses: list[str]) -> None:
    root = make_project("translated")
    path = Project(root).catalog_dir("pt") / "ui.po"
    path.write_text(path.read_text("utf-8") + '\nmsgid "unterminated\n', "utf-8")
    catalogs = CatalogStore(Project(root))
    _, first = catalogs.all_catalogs()
    _, second = catalogs.all_catalogs()
    assert first.errors and [d.format() for d in second.items] == [d.format() for d in first.items]
    assert parses.count("ui.po") == 2  # once per language: es (fine) and pt (broken), then cached


def test_only_the_store_reads_catalog_files() -> None:
    """Every other module asks the store: no second reader that could parse differently or skip the cache."""
    readers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                if name == "read_catalog":
                    readers.append(path.relative_to(PACKAGE).as_posix())
    assert readers == ["i18n/store.py"]


@pytest.fixture
def held(make_project: Callable[..., Path]) -> Iterator[Path]:
    """A project whose lock another holder has (its own open file, as a second process would)."""
    root = make_project("translated")
    with held_elsewhere(root):
        yield root


BUSY = "error: another cda command is already writing this project ({} waits for it)"


@pytest.mark.parametrize("command", ["extract", "update", "generate", "build"])
def test_every_writer_waits_for_the_lock(held: Path, cda: Callable[..., tuple[int, str, str]], command: str) -> None:
    templates = {p.name: p.read_bytes() for p in Project(held).templates.glob("*.pot")}
    (held / "curriculum/pages/home.md").write_text(
        (held / "curriculum/pages/home.md").read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
    code, out, err = cda(command, "--root", held)
    assert code != 0
    assert BUSY.format(command) in err
    assert {p.name: p.read_bytes() for p in Project(held).templates.glob("*.pot")} == templates
    assert not (held / "site").exists()


def test_the_mkdocs_hook_takes_the_lock_too(held: Path) -> None:
    (held / "build_tools").symlink_to(PACKAGE)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(PACKAGE.parent))
    env.pop("CDA_GENERATED", None)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=held, capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert proc.returncode != 0
    assert "another cda command is already writing this project (generate waits for it)" in proc.stdout + proc.stderr


def test_the_lock_is_reentrant_within_one_process(tmp_path: Path) -> None:
    with project_lock(tmp_path, "build"), project_lock(tmp_path, "generate"):
        fd = os.open(tmp_path / ".cda.lock", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    with project_lock(tmp_path, "update"):  # released after the outer one ended
        pass
    with pytest.raises(LockError), held_elsewhere(tmp_path), project_lock(tmp_path, "update"):
        pass


@contextlib.contextmanager
def held_elsewhere(root: Path) -> Iterator[None]:
    fd = os.open(root / ".cda.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(fd)
