"""The memo of docs/: a build with unchanged inputs skips validation and generation, and any
change (a source file, docs/ itself, --strict, the memo file) runs everything again."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from build_tools.check.project import Project
from build_tools.site import memo
from build_tools.site.build import _generate_docs

DUPLICATE = """
  - id: baseline-again
    term: Baseline
    definition: The starting value of a measure, defined a second time.
    es: línea de base
    pt: linha de base
"""
SKIPPED = "inputs unchanged since the last build, validation and generation skipped"


@pytest.fixture
def project(make_project) -> Project:
    root = make_project()
    glossary = root / "curriculum/glossary/core.yaml"
    glossary.write_text(glossary.read_text("utf-8") + DUPLICATE, "utf-8")  # a warning (W309) to repeat
    return Project(root)


def run(project: Project, caplog: pytest.LogCaptureFixture, strict: bool = False) -> tuple[list[str], int, bool]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="build_tools.site.build"):
        report, changed = _generate_docs(project, strict, False)
    return [d.format() for d in report.items], changed, SKIPPED in caplog.text


def test_a_second_run_with_nothing_changed_skips_and_repeats_the_report(project: Project, caplog) -> None:
    first, changed, skipped = run(project, caplog)
    assert changed > 0 and not skipped
    assert [line.split(": ", 1)[1].split("[")[0] for line in first] == ["warning"]
    docs = memo.docs_digests(project.docs)
    again, changed, skipped = run(project, caplog)
    assert (again, changed, skipped) == (first, 0, True)
    assert memo.docs_digests(project.docs) == docs


def test_a_changed_source_file_runs_everything(project: Project, caplog) -> None:
    run(project, caplog)
    md = project.root / "curriculum/modules/core/core-01-leading-with-data.md"
    md.write_text(md.read_text("utf-8").replace("regular decisions", "weekly decisions"), "utf-8")
    _, changed, skipped = run(project, caplog)
    assert (changed, skipped) == (3, False)  # the module page in en, es and pt
    assert "weekly decisions" in (project.docs / "en/modules/core-01-leading-with-data.md").read_text("utf-8")


def test_a_touched_docs_folder_is_written_again(project: Project, caplog) -> None:
    run(project, caplog)
    page = project.docs / "es/modules/core-01-leading-with-data.md"
    original = page.read_bytes()
    page.write_text("edited by hand\n", "utf-8")
    _, changed, skipped = run(project, caplog)
    assert (changed, skipped) == (1, False) and page.read_bytes() == original
    (project.docs / "pt/program.md").unlink()
    _, changed, skipped = run(project, caplog)
    assert (changed, skipped) == (1, False) and (project.docs / "pt/program.md").is_file()


def test_strict_is_part_of_the_inputs(project: Project, caplog) -> None:
    run(project, caplog)
    from build_tools.base.errors import DiagnosticsError

    with pytest.raises(DiagnosticsError):  # the warning fails a strict run: never skipped
        run(project, caplog, strict=True)
    assert run(project, caplog)[2] is True


@pytest.mark.parametrize("content", ["", "{not json", json.dumps({"inputs": "0" * 32, "docs": {}})])
def test_a_broken_or_foreign_memo_runs_everything(project: Project, caplog, content: str) -> None:
    first = run(project, caplog)[0]
    (project.cache / memo.NAME).write_text(content, "utf-8")
    report, changed, skipped = run(project, caplog)
    assert (report, changed, skipped) == (first, 0, False)
    assert run(project, caplog)[2] is True  # and the memo is good again


def test_the_code_version_covers_every_module_and_the_theme() -> None:
    files = {p.relative_to(memo.PACKAGE).as_posix() for p in memo.PACKAGE.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts}
    assert {"render/generate.py", "site/memo.py", "site/theme/main.html", "text/safety.py"} <= files
    assert len(memo.code_version()) == 32


def test_the_memo_is_written_atomically_where_the_tools_keep_their_cache(project: Project, caplog) -> None:
    run(project, caplog)
    assert sorted(p.name for p in project.cache.iterdir() if p.name.startswith("docs-memo")) == [memo.NAME]
    data = json.loads((project.cache / memo.NAME).read_text("utf-8"))
    assert set(data) == {"inputs", "docs", "report"}
    assert Path(project.root / ".cache").is_dir()
