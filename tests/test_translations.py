"""Spanish and Portuguese: the interface, program pages, glossary, core program and every
capacity track listed in ``TRACKS`` are complete, clean, and shown to readers with no English
passage."""

from __future__ import annotations

import pytest
from conftest import ROOT

from build_tools.check.project import Project, load_valid
from build_tools.i18n.catalogs import read_catalog, stats
from build_tools.i18n.qa import check_catalog
from build_tools.site.build import generate

PROJECT = Project(ROOT)
CUR, _ = load_valid(ROOT)
CORE = [m for m in CUR.modules if m.track == "core"]
PAGES = ["home", "program-overview", "roles-and-commitments", "choosing-a-track", "for-participants",
         "for-coaches", "for-translators"]
# Capacity tracks whose catalogs are complete: modules, workshops and the track's templates.
TRACKS = ["performance-management", "evaluation", "results-driven-contracting", "data-as-a-service"]
TRACK_MODULES = [m for m in CUR.modules if m.track in TRACKS]
TEMPLATE_PREFIX = {"performance-management": "pm-", "evaluation": "ev-", "results-driven-contracting": "rdc-",
                   "data-as-a-service": "daas-"}
TEMPLATES = sorted(p.id for p in CUR.pages if any(p.id.startswith(TEMPLATE_PREFIX[t]) for t in TRACKS))
DOMAINS = (["ui", "program", "glossary", "track-core"] + [f"track-{t.id}" for t in CUR.tracks]
           + [f"page-{p}" for p in PAGES] + [f"module-{m.id}" for m in CORE + TRACK_MODULES]
           + [f"workshop-{w}" for m in CORE + TRACK_MODULES for w in m.workshops]
           + [f"page-{p}" for p in TEMPLATES])


@pytest.mark.parametrize("lang", ["es", "pt"])
@pytest.mark.parametrize("domain", sorted(set(DOMAINS)))
def test_catalog_is_complete_and_clean(lang: str, domain: str) -> None:
    path = PROJECT.catalog_dir(lang) / f"{domain}.po"
    po, diags = read_catalog(path)
    assert po is not None and not diags, diags
    st = stats(domain, po)
    assert st.messages > 0
    assert (st.translated, st.fuzzy, st.untranslated) == (st.messages, 0, 0), st
    problems = [d.format() for d in check_catalog(path, po, CUR.language(lang), CUR.glossary)]
    assert not problems, "\n".join(problems)
    copies = [e.msgid for e in po.active() if e.msgstr == e.msgid and any(c.isalpha() for c in e.msgid)
              and len(e.msgid.split()) > 2 and "](" not in e.msgid]
    assert not copies, f"msgstr copied from msgid: {copies[:3]}"


@pytest.fixture(scope="module")
def generated():
    return generate(CUR, PROJECT)


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_core_pages_have_no_english_passage(generated, lang: str) -> None:
    paths = ["index.md", "program.md", "glossary.md", "tracks/core.md"] + [f"{p}.md" for p in PAGES if p != "home"]
    paths += [f"modules/{m.id}.md" for m in CORE] + [f"playbooks/{w}.md" for m in CORE for w in m.workshops]
    missing = {p: generated.fallbacks[lang][p] for p in paths if generated.fallbacks[lang][p]}
    assert not missing, missing
    for path in paths:
        text = generated.pages[lang][path]
        assert 'lang="en"' not in text and "Translation in progress" not in text, path


@pytest.mark.parametrize("lang", ["es", "pt"])
@pytest.mark.parametrize("track", TRACKS)
def test_track_pages_have_no_english_passage(generated, lang: str, track: str) -> None:
    modules = [m for m in TRACK_MODULES if m.track == track]
    assert len(modules) == 8 and TEMPLATES
    paths = [f"tracks/{track}.md"] + [f"modules/{m.id}.md" for m in modules]
    paths += [f"playbooks/{w}.md" for m in modules for w in m.workshops]
    paths += [f"templates/{p}.md" for p in TEMPLATES if p.startswith(TEMPLATE_PREFIX[track])]
    missing = {p: generated.fallbacks[lang][p] for p in paths if generated.fallbacks[lang][p]}
    assert not missing, missing
    for path in paths:
        text = generated.pages[lang][path]
        assert 'lang="en"' not in text and "Translation in progress" not in text, path


@pytest.mark.parametrize("lang", ["es", "pt"])
@pytest.mark.parametrize("track", TRACKS)
def test_track_playbooks_print_no_english_passage(lang: str, track: str) -> None:
    from build_tools.i18n.store import CatalogStore
    from build_tools.tools.playbook import render_playbook

    catalogs = CatalogStore(Project(ROOT)).valid_catalogs()
    for m in TRACK_MODULES:
        for w in m.workshops if m.track == track else ():
            for handout in (False, True):
                text = render_playbook(CUR, catalogs, w, lang, fmt="html", handout=handout)
                assert 'lang="en"' not in text, f"{w} ({lang}, handout={handout})"
