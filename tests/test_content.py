"""The course content cannot silently shrink: counts from the content issues."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from build_tools.check.project import load_valid

CUR, _ = load_valid(ROOT, strict=True)
TRACKS = ("performance-management", "evaluation", "results-driven-contracting", "data-as-a-service")


def words(markdown: str) -> int:
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    return len(re.findall(r"[^\W\d_][\w'’-]*", text))


def modules_of(track: str):
    return [m for m in CUR.modules if m.track == track]


def test_core_program_has_six_modules_and_twelve_playbooks() -> None:
    core = modules_of("core")
    assert sorted(m.month for m in core) == [1, 2, 3, 4, 5, 6]
    workshops = [CUR.workshop(w) for m in core for w in m.workshops]
    assert len(workshops) == 12 and all(workshops)
    for mod in core:
        audiences = [set(CUR.workshop(w).audience) for w in mod.workshops]
        assert any("mayor" in a for a in audiences), mod.id
        assert any(a & {"chief-data-officer", "senior-leader", "data-alliance-lead"} and "mayor" not in a
                   for a in audiences), mod.id


@pytest.mark.parametrize("track", ("core", *TRACKS))
def test_modules_meet_the_content_rules(track: str) -> None:
    minimum = 900 if track == "core" else 700
    mods = modules_of(track)
    assert len(mods) == (6 if track == "core" else 8)
    for mod in mods:
        assert mod.reading is not None and words(mod.reading.text) >= minimum, (mod.id, words(mod.reading.text))
        assert 3 <= len(mod.objectives) <= 5, mod.id
        assert len(mod.exercises) >= 2, mod.id
        assert len(mod.resources) >= 3, mod.id
        assert all(r.publisher and r.year and r.url.startswith("http") for r in mod.resources), mod.id
        assert mod.key_terms and all(CUR.term(t) for t in mod.key_terms), mod.id
        assert "!!! tip \"Questions to ask your team\"" in mod.reading.text or "Questions to ask" in mod.reading.text


@pytest.mark.parametrize("track", TRACKS)
def test_tracks_have_playbooks_templates_and_a_showcase(track: str) -> None:
    t = CUR.track(track)
    assert t is not None and t.who_should_choose and len(t.outcomes) >= 3
    mods = CUR.track_modules(t)
    assert len(mods) == 8
    for mod in mods:
        assert len(mod.workshops) >= 1 and all(CUR.workshop(w) for w in mod.workshops)
    assert len(t.templates) >= 1 and all(CUR.page(p) for p in t.templates)
    last = CUR.workshop(mods[-1].workshops[-1])
    assert "showcase" in (last.title + last.purpose + " ".join(b.title for b in last.agenda)).lower()


def test_workshops_are_complete_playbooks() -> None:
    assert len(CUR.workshops) == 44
    for ws in CUR.workshops:
        assert sum(b.minutes for b in ws.agenda) == ws.duration, ws.id
        assert ws.purpose and ws.prework and ws.materials and ws.setup, ws.id
        assert ws.debrief and ws.after_action_review and ws.follow_up, ws.id
        for block in ws.agenda:
            if block.kind != "break":
                assert block.instructions and block.facilitator_notes and block.method, (ws.id, block.title)


def test_mayors_sessions_fit_their_monthly_hours() -> None:
    for mod in modules_of("core"):
        for wid in mod.workshops:
            ws = CUR.workshop(wid)
            assert ws.duration <= (5 * 60 if "mayor" in ws.audience else 6 * 60)


def test_glossary_and_program_pages() -> None:
    assert len(CUR.glossary) >= 50
    assert all(t.definition and t.required("es") and t.required("pt") for t in CUR.glossary)
    pages = {p.id for p in CUR.pages}
    assert {"home", "program-overview", "roles-and-commitments", "choosing-a-track", "for-participants",
            "for-coaches", "for-translators"} <= pages
    roles = {r.id: r.hours_per_month for r in CUR.program.roles}
    assert roles["mayor"] == 5 and roles["chief-data-officer"] == 6
