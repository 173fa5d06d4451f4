"""The city case library (issue 23): model, messages, pages in three languages, links, drafts,
scaffolding, search terms, and the library's content."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from build_tools.source.loader import load_curriculum

CASE_YAML = (FIXTURES / "broken/case-figure-without-source/curriculum/cases/lima-water-meters.yaml").read_text("utf-8")
STORY = """\
## The problem

Bills were late because meters were read late.[^1]

## What the city did

The utility set a [target](glossary:target) and a [baseline](glossary:baseline) in 2019.

## What changed

On-time readings rose from 60% to 85%.[^1] These results are self-reported by the utility.

## What others can reuse

- A monthly count of late readings, published with its baseline.[^1]

## Pitfalls

- A target without a baseline cannot be checked.
"""
LINKING = "\n\nLima's utility [did this with its meters](case:lima-water-meters).\n"
MODULE_MD = "curriculum/modules/core/core-01-leading-with-data.md"


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    """The minimal project with one published case, one draft, and a module that links the case."""
    reading = (FIXTURES / "minimal" / MODULE_MD).read_text("utf-8")
    draft = CASE_YAML.replace("id: lima-water-meters", "id: quito-draft").replace("status: published", "status: draft")
    return make_project("minimal", {
        "curriculum/cases/lima-water-meters.yaml": CASE_YAML,
        "curriculum/cases/lima-water-meters.md": STORY,
        "curriculum/cases/quito-draft.yaml": draft.replace("Lima", "Quito").replace("PE", "EC"),
        "curriculum/cases/quito-draft.md": STORY,
        MODULE_MD: reading + LINKING,
    })


def _generate(root: Path) -> dict[str, dict[str, str]]:
    """Every page of every language; es/pt labels from the real course's interface catalogs."""
    from build_tools.check.project import Project, load_valid
    from build_tools.site.build import generate

    for code in ("es", "pt"):
        target = root / f"curriculum/locales/{code}/LC_MESSAGES/ui.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((ROOT / f"curriculum/locales/{code}/LC_MESSAGES/ui.po").read_text("utf-8"), "utf-8")
    cur, _ = load_valid(root, strict=True)
    return generate(cur, Project(root)).pages


def test_case_is_loaded_with_locations(project: Path) -> None:
    cur, diags = load_curriculum(project)
    assert not diags
    case = cur.case("lima-water-meters")
    assert case is not None and case.published and case.self_reported
    assert (case.city, case.country, case.region, case.tracks) == ("Lima", "PE", "south-america", ("core",))
    assert (case.year_start, case.year_end) == (2019, 2021)
    assert case.population is not None and (case.population.value, case.population.source_index) == (9943800, 2)
    assert [s.year for s in case.sources] == [2021, 0]
    assert str(case.sources[1].loc("url")).endswith("curriculum/cases/lima-water-meters.yaml:26:10")
    assert str(case.population.loc("source")).endswith("curriculum/cases/lima-water-meters.yaml:11:11")
    assert case.body is not None and case.body.text == STORY
    assert [c.id for c in cur.published_cases()] == ["lima-water-meters"]


def test_messages_are_title_summary_then_the_story(project: Path) -> None:
    from build_tools.i18n.extract import documents, domains

    cur, _ = load_curriculum(project)
    docs = {d.domain: d for d in documents(cur)}
    assert "case-quito-draft" not in docs and "case-quito-draft" not in domains(cur)  # drafts are not translated
    msgs = docs["case-lima-water-meters"].messages
    assert [(m.msgctxt, m.msgid[:20]) for m in msgs[:4]] == [
        ("title", "Lima: reading water "), ("summary", "The utility set a ta"), (None, "The problem"),
        (None, "Bills were late beca")]
    assert all(m.msgctxt is None for m in msgs[2:])
    changed = "On-time readings rose from 60% to 85%.[^1] These results are self-reported by the utility."
    assert {m.msgid for m in msgs} >= {changed, "Pitfalls"}
    assert not any(m.msgid == "Lima" or m.msgid == "PE" or "Census" in m.msgid for m in msgs)  # not translated
    assert msgs[0].references == ["curriculum/cases/lima-water-meters.yaml"]
    assert msgs[3].references == ["curriculum/cases/lima-water-meters.md"]


@pytest.mark.parametrize(("lang", "country", "population", "nd", "cited_by", "since"), [
    ("en", "Peru", "9,943,800 (2017)[^2]", "n.d.", "## Modules that cite this case", "2019–2021"),
    ("es", "Perú", "9.943.800 (2017)[^2]", "s. f.", "## Módulos que citan este caso", "2019–2021"),
    ("pt", "Peru", "9.943.800 (2017)[^2]", "s.d.", "## Módulos que citam este caso", "2019–2021"),
])
def test_case_page_in_each_language(project: Path, lang: str, country: str, population: str, nd: str,
                                    cited_by: str, since: str) -> None:
    pages = _generate(project)[lang]
    page = pages["cases/lima-water-meters.md"]
    rows = dict(re.findall(r"^\| ([^|]+) \| (.+) \|$", page, re.MULTILINE))
    assert country in rows.values() and population in rows.values() and since in rows.values()
    assert "[target](../glossary.md#target)" in page or "(../glossary.md#target)" in page
    assert "(../tracks/core.md)" in page
    assert "///Footnotes Go Here///" in page
    assert "[^1]: [Meter reading report](https://example.org/meters), Example Water Utility, 2021." in page
    assert f"[^2]: [Census of population](https://example.org/census), National statistics office, {nd}." in page
    assert page.index("## ") < page.index("///Footnotes") < page.index(cited_by)
    assert "(../modules/core-01-leading-with-data.md)" in page.split(cited_by)[1]
    assert '!!! info "' in page  # self-reported note
    # Drafts never reach the site: no page, not in the index or the navigation.
    assert "cases/quito-draft.md" not in pages
    assert "quito" not in pages["cases/index.md"].lower() and "quito-draft" not in pages[".nav.json"]
    assert "cases/lima-water-meters.md" in json.dumps(json.loads(pages[".nav.json"]))


def test_the_rendered_case_page_numbers_footnotes_by_source(project: Path) -> None:
    from build_tools.text.renderer import render

    html = render(_generate(project)["en"]["cases/lima-water-meters.md"])
    assert html.count('class="footnote-ref" href="#fn:1"') == 3  # the story cites source 1 three times
    assert 'href="#fn:2"' in html  # the population's source, from the facts table
    sources = html.index('id="sources"')
    assert sources < html.index('<div class="footnote">') < html.index('id="modules-that-cite-this-case"')
    assert '<li id="fn:2">' in html and "Census of population" in html


def test_case_links_resolve_and_modules_list_their_cases(project: Path) -> None:
    pages = _generate(project)
    for lang in ("en", "es", "pt"):
        module = pages[lang]["modules/core-01-leading-with-data.md"]
        assert "[did this with its meters](../cases/lima-water-meters.md)" in module
        heading = {"en": "## Cases for this module", "es": "## Casos citados en este módulo",
                   "pt": "## Casos para este módulo"}[lang]
        section = module.split(heading)[1].split("\n## ")[0]
        assert "(../cases/lima-water-meters.md)" in section and "Lima, " in section


def test_index_lists_every_published_case_with_its_filters(project: Path) -> None:
    index = _generate(project)["es"]["cases/index.md"]
    assert '<form class="cda-case-filters" hidden>' in index
    item = next(line for line in index.split("\n") if line.startswith("- "))
    assert ('<span class="cda-case" data-track="core" data-country="PE" data-region="south-america" '
            'data-size="large"></span>') in item
    assert "(lima-water-meters.md)" in item and "Lima, Perú" in item
    assert '<option value="PE">Perú</option>' in index and '<option value="core">' in index


def test_city_size() -> None:
    from build_tools.source import model as m
    from build_tools.source.cases import size_of
    from build_tools.source.sources import YamlDoc

    doc = YamlDoc("x.yaml", {})

    def case(value: int | None) -> m.Case:
        pop = m.Population(doc, (), value=value) if value is not None else None
        return m.Case(doc, (), population=pop)

    assert [size_of(case(v)) for v in (None, 249_999, 250_000, 1_000_000, 1_000_001)] == [
        "unknown", "small", "medium", "medium", "large"]


def test_a_translation_that_drops_a_footnote_marker_is_refused(project: Path) -> None:
    from build_tools.i18n.extract import markdown_of
    from build_tools.text.safety import unsafe_translation
    from build_tools.text.segment import definitions

    cur, _ = load_curriculum(project)
    body = markdown_of(cur, "case-lima-water-meters")
    assert body is not None
    defs = definitions(body.text)
    assert defs == "[^1]: ."
    source = "Bills were late because meters were read late.[^1]"
    assert not unsafe_translation(source, "Las facturas llegaban tarde.[^1]", defs)
    assert [c for c, _ in unsafe_translation(source, "Las facturas llegaban tarde.", defs)] == ["T208"]


def test_a_translation_that_keeps_a_case_link_is_safe() -> None:
    from build_tools.text.safety import unsafe_translation

    assert not unsafe_translation("See [the case](case:lima-water-meters).", "Vea [el caso](case:lima-water-meters).")


def test_new_case_scaffolds_a_valid_draft(make_project: Callable[..., Path], cda: Callable[..., tuple[int, str, str]]
                                          ) -> None:
    root = make_project("minimal")
    code, out, err = cda("new", "case", "--root", root, "--id", "lima-x", "--city", "Lima", "--country", "PE")
    assert code == 0, err
    assert f"wrote {root / 'curriculum/cases/lima-x.yaml'}" in out and "lima-x.md" in out
    text = (root / "curriculum/cases/lima-x.yaml").read_text("utf-8")
    assert "status: draft" in text and "region: south-america" in text and 'city: "Lima"' in text
    code, out, _ = cda("validate", "--root", root, "--strict")
    assert code == 0, out
    # A draft is valid without sources; the same file published is not.
    (root / "curriculum/cases/lima-x.yaml").write_text(text.replace("status: draft", "status: published"), "utf-8")
    code, out, _ = cda("validate", "--root", root)
    assert code == 1 and "error[E601]: published case 'lima-x' has no sources" in out
    code, _, err = cda("new", "case", "--root", root, "--id", "lima-x", "--city", "Lima", "--country", "PE")
    assert code == 1 and "already exists" in err
    code, _, err = cda("new", "case", "--root", root, "--id", "paris-x", "--city", "Paris", "--country", "FR")
    assert code == 1 and "not a country of the Americas" in err
    code, _, err = cda("new", "case", "--root", root, "--id", "lima-y")
    assert code == 1 and "--city and --country" in err


def test_search_finds_cities_and_countries_with_and_without_accents() -> None:
    from build_tools.site.search import augment_index

    index = {"config": {"lang": ["es"]}, "docs": [{
        "location": "cases/bogota-care-blocks/", "title": "Bogotá: Manzanas del Cuidado",
        "text": "<table><tr><td>Ciudad</td><td>Bogotá</td></tr><tr><td>País</td><td>Perú, México, "
                "São Paulo, Brasil</td></tr></table>"}]}
    terms = set(augment_index(index)["docs"][0]["terms"].split())
    assert {"bogota", "peru", "mexico", "sao"} <= terms
    assert index["config"]["fields"]["terms"] == {"boost": 1}


# -- the library's content (curriculum/cases/) ----------------------------------------------

def test_the_library_has_published_cases_across_the_americas() -> None:
    from build_tools.source.model import TRACK_IDS

    cur, _ = load_curriculum(ROOT)
    published = cur.published_cases()
    assert len(published) >= 24
    countries = {c.country for c in published}
    assert len(countries) >= 10 and {"US", "CA", "MX", "CO", "BR", "CL", "AR", "PE"} <= countries
    assert {t for c in published for t in c.tracks} == set(TRACK_IDS)
    for case in published:
        assert case.sources and case.body is not None, case.id
        if case.self_reported:  # labelled on the page; said in "What changed"
            changed = case.body.text.split("## What changed")[1].split("## ")[0]
            assert "self-reported" in changed.lower() or "own report" in changed.lower(), case.id
