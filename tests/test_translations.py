"""Spanish and Portuguese, part 1: the interface, program pages, glossary and core program are
complete, clean, and shown to readers with no English passage."""

from __future__ import annotations

import pytest

from build_tools.catalogs import read_catalog, stats
from build_tools.project import Project, load_valid
from build_tools.qa import check_catalog
from build_tools.site import generate
from conftest import ROOT

PROJECT = Project(ROOT)
CUR, _ = load_valid(ROOT)
CORE = [m for m in CUR.modules if m.track == "core"]
PAGES = ["home", "program-overview", "roles-and-commitments", "choosing-a-track", "for-participants",
         "for-coaches", "for-translators"]
DOMAINS = (["ui", "program", "glossary", "track-core"] + [f"track-{t.id}" for t in CUR.tracks]
           + [f"page-{p}" for p in PAGES] + [f"module-{m.id}" for m in CORE]
           + [f"workshop-{w}" for m in CORE for w in m.workshops])


@pytest.mark.parametrize("lang", ["es", "pt"])
@pytest.mark.parametrize("domain", sorted(set(DOMAINS)))
def test_catalog_is_complete_and_clean(lang: str, domain: str) -> None:
    path = PROJECT.catalog_dir(lang) / f"{domain}.po"
    po, diags = read_catalog(path)
    assert po is not None and not diags, diags
    st = stats(domain, po)
    assert st.messages > 0
    assert (st.translated, st.fuzzy, st.untranslated) == (st.messages, 0, 0), st
    problems = [d.format() for d in check_catalog(path, po, lang, CUR.glossary)]
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
