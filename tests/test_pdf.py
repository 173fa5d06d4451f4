"""``cda pdf``: the course on paper, one PDF per language, read back as text with pdftotext.

The real course's participant editions (Spanish and Portuguese) and the fixture's coach
edition are written once per session with the real command; the tests read them back the way
a reader would see them: the table of contents lists every module with the page it starts on,
the text is in the reader's language (untranslated passages marked), page counts and sizes
are reported.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from build_tools.check.project import Project, load_valid
from build_tools.cli import main
from build_tools.i18n.catalogs import read_catalog, stats

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is missing: run "
                                "`bash scripts/install-system-deps.sh` (as root)")
CUR, _ = load_valid(ROOT)
CONTENTS = {"es": "Contenido", "pt": "Sumário"}
EDITION = {"es": "Edición para participantes", "pt": "Edição para participantes"}
REPORTED = re.compile(r"^wrote (\S+) \((\d+) pages, (\d+\.\d) MB, (\d+) chapters\)$", re.M)


def pages_of(pdf: Path) -> list[str]:
    """The PDF's text, one string per page, whitespace folded."""
    text = subprocess.run([str(PDFTOTEXT), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def fold(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


def module_title(lang: str, module_id: str, english: str) -> tuple[str, bool]:
    """The module's title as the PDF should show it, and whether its catalog is complete."""
    po, _ = read_catalog(Project(ROOT).catalog_dir(lang) / f"module-{module_id}.po")
    assert po is not None
    entry = next(e for e in po.active() if e.msgctxt == "title")
    st = stats(module_id, po)
    return (entry.msgstr if entry.translated else english), st.translated == st.messages


@pytest.fixture(scope="module")
def course_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """The real course's participant edition in es and pt, written by ``cda pdf``."""
    out = tmp_path_factory.mktemp("pdf")
    found = {}
    for lang in ("es", "pt"):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = main(["pdf", "--root", str(ROOT), "--lang", lang, "-o", str(out)])
        assert code == 0
        found[lang] = (out / f"city-data-course-{lang}.pdf", buf.getvalue())
    return found


def contents_pages(pages: list[str], lang: str) -> str:
    """The table of contents: the pages after the cover up to the first chapter (each page starts
    with the running header, the program's name)."""
    assert CONTENTS[lang] in pages[1][:120], pages[1][:120]
    end = next(i for i in range(2, len(pages)) if not re.search(r"\.{4,} ?\d+", pages[i]))
    return " ".join(pages[1:end])


def start_page(contents: str, title: str) -> int | None:
    match = re.search(re.escape(fold(title)) + r"[ .]*?(\d+)", contents)
    return int(match.group(1)) if match else None


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_contents_list_every_module_with_the_page_it_starts_on(course_pdfs: dict[str, tuple[Path, str]],
                                                               lang: str) -> None:
    pages = pages_of(course_pdfs[lang][0])
    contents = contents_pages(pages, lang)
    for mod in CUR.modules:
        title, _ = module_title(lang, mod.id, mod.title)
        number = start_page(contents, title)
        assert number, f"{mod.id}: '{fold(title)}' with a page number is not in the contents"
        assert fold(title) in pages[number - 1], f"{mod.id}: page {number} does not hold '{fold(title)}'"


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_pdf_is_in_the_readers_language_with_untranslated_passages_marked(
        course_pdfs: dict[str, tuple[Path, str]], lang: str) -> None:
    pages = pages_of(course_pdfs[lang][0])
    assert EDITION[lang] in pages[0]
    contents = contents_pages(pages, lang)
    for mod in CUR.modules:
        title, complete = module_title(lang, mod.id, mod.title)
        number = start_page(contents, title)
        assert number
        chapter = pages[number - 1]
        if complete:
            assert title != mod.title, f"{mod.id}: complete catalog, English title"
            assert "EN " not in chapter, f"{mod.id}: complete catalog, but an English passage is marked"
        else:
            assert "EN " in chapter, f"{mod.id}: incomplete catalog, but no English passage is marked"
    text = " ".join(pages)
    for english in ("Learning objectives", "Estimated hours", "Key terms", "Contents"):
        assert english not in text, f"interface string left in English: {english}"


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_page_count_and_size_are_plausible_and_reported(course_pdfs: dict[str, tuple[Path, str]], lang: str) -> None:
    pdf, output = course_pdfs[lang]
    match = REPORTED.search(output)
    assert match, output
    assert Path(match.group(1)) == pdf and pdf.is_file()
    pages, size_mb, chapters = int(match.group(2)), float(match.group(3)), int(match.group(4))
    assert 150 <= pages <= 700, pages
    assert len(pages_of(pdf)) - 1 == pages  # pdftotext ends every page with a form feed
    assert abs(size_mb - pdf.stat().st_size / 1_000_000) < 0.06
    assert chapters >= len(CUR.modules) + len(CUR.tracks) + 2  # modules, track pages, home, glossary


def test_coach_edition_adds_playbooks_with_facilitator_notes(
        make_project: Callable[..., Path], cda: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    root = make_project("translated")
    cur, _ = load_valid(root)
    workshops = len(cur.workshops)
    assert workshops
    code, out, err = cda("pdf", "--root", root, "--lang", "es", "--edition", "coach", "-o", tmp_path / "c.pdf")
    assert code == 0, err
    coach = "\n".join(pages_of(tmp_path / "c.pdf"))
    coach_chapters = int(REPORTED.search(out).group(4))
    code, out, err = cda("pdf", "--root", root, "--lang", "es", "-o", tmp_path / "p.pdf")
    assert code == 0, err
    participant = "\n".join(pages_of(tmp_path / "p.pdf"))
    # One chapter per playbook and one per handout.
    assert coach_chapters == int(REPORTED.search(out).group(4)) + workshops + len(cur.handouts)
    assert "Notas para la facilitación" in coach and "Notas para la facilitación" not in participant
    assert "Edición para coaches" in coach
    assert "Glosario" in participant and "Glosario" in coach


def test_a_curriculum_that_does_not_validate_writes_no_pdf(
        make_project: Callable[..., Path], cda: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    root = make_project("translated")
    (root / "curriculum" / "program.yaml").write_text("title: [unclosed\n", "utf-8")
    code, out, err = cda("pdf", "--root", root, "--lang", "es", "-o", tmp_path)
    assert code == 1 and "program.yaml:" in out + err
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.tmp"))


def test_one_file_for_several_languages_is_refused(cda: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    code, out, err = cda("pdf", "--root", FIXTURES / "translated", "-o", tmp_path / "x.pdf")
    assert code == 1 and "more than one language" in err


def test_build_with_pdf_puts_each_languages_pdf_in_downloads(
        make_project: Callable[..., Path], cda: Callable[..., tuple[int, str, str]]) -> None:
    root = make_project("translated")
    code, out, err = cda("build", "--pdf", "--root", root)
    assert code == 0, err
    for lang, contents in (("en", "Contents"), ("es", "Contenido"), ("pt", "Sumário")):
        pages = pages_of(root / "site" / "downloads" / f"city-data-course-{lang}.pdf")
        assert contents in pages[1][:120], pages[1][:120]
