"""Handouts: documents a workshop gives out, validated, translated, on the site and in the packet.

The fixture is the minimal project with four handouts for its workshop: role cards (for
participants), the hidden side of those cards (facilitators only), a worksheet and a glossary
sheet. The real course's handouts are checked at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from build_tools.check.validation import validate
from build_tools.render.generate import generate_site
from build_tools.render.handout_pages import cards_markup, page_handout
from build_tools.render.page_context import Ctx, path_of, render_page
from build_tools.source import model as m
from build_tools.source.handouts import card_sections, handouts_of, supply_problem
from build_tools.source.loader import load_curriculum

ROOT = Path(__file__).resolve().parent.parent
WORKSHOP = "curriculum/workshops/core/core-01-mayors-session.yaml"
WS_ID = "core-01-mayors-session"

ROLE_CARDS = """\
---
title: Budget hearing role cards
kind: role-cards
audience: participants
summary: Three roles for the budget drill. Print one set per table and cut along the lines.
cards_per_page: 4
---

Give each player one card. Read only your own.

## The mayor

You chair the hearing. Ask for the result, not the activity.

## The department head

You defend the program. You know the waiting list grew last year.

## The observer

You note every question that asked for evidence.
"""

HIDDEN = """\
---
title: Budget hearing, what the players do not know
kind: brief
audience: facilitator
summary: The hidden side of the role cards. Coaches only.
---

The department head knows that the evaluation found no effect on employment.
"""

WORKSHEET = """\
---
title: Bold goal worksheet
kind: worksheet
audience: participants
summary: One page per mayor. Two copies each.
---

Fill in one row per priority. Use the [observer's card](handout:core-01-role-cards) as a model.

| Priority | Baseline | Target |
| --- | --- | --- |
|  |  |  |
"""

SHEET = """\
---
title: Key terms of the month
kind: glossary-sheet
audience: participants
summary: The month's terms in three languages. One copy per participant.
terms: [baseline, target]
---

Keep this sheet next to your notes.
"""

HANDOUTS = {
    "curriculum/handouts/core/core-01-role-cards.md": ROLE_CARDS,
    "curriculum/handouts/core/core-01-hidden-roles.md": HIDDEN,
    "curriculum/handouts/core/core-01-goal-worksheet.md": WORKSHEET,
    "curriculum/handouts/core/core-01-key-terms.md": SHEET,
}
IDS = ["core-01-goal-worksheet", "core-01-role-cards", "core-01-hidden-roles", "core-01-key-terms"]


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    root: Path = make_project("minimal", HANDOUTS)
    path = root / WORKSHOP
    data = yaml.safe_load(path.read_text("utf-8"))
    data = {**{k: v for k, v in data.items() if k != "materials"}, "handouts": IDS, "materials": data["materials"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return root


def _load(root: Path) -> m.Curriculum:
    cur, diags = load_curriculum(root)
    assert [d for d in diags if d.severity == "error"] == []
    return cur


# -- validation ------------------------------------------------------------------------

def test_fixture_validates_clean(project: Path) -> None:
    cur = _load(project)
    assert validate(cur) == []
    h = cur.handout("core-01-role-cards")
    assert h is not None and h.kind == "role-cards" and h.cards_per_page == 4 and h.track == "core"
    assert cur.handout("core-01-hidden-roles").facilitator  # type: ignore[union-attr]


@pytest.mark.parametrize("text, word", [
    ("Role cards for the chair and the analyst.", "cards"),
    ("A fictional program brief for the budget drill.", "brief"),
    ("Printed data access request form.", "form"),
    ("Three request packs, each with a letter.", "packs"),
    ("Public scorecard page template.", "scorecard"),
    ("Sticky notes, markers and name cards.", None),
    ("Flip-chart sheets titled plans and goals, one set per city.", None),
    ("A projector and a screen.", None),
    ("Interpretation equipment for English, Spanish and Portuguese.", None),
])
def test_supply_or_document(text: str, word: str | None) -> None:
    assert supply_problem(text) == word


def test_unused_handout_is_reported(project: Path) -> None:
    (project / "curriculum/handouts/core/core-01-spare.md").write_text(
        "---\ntitle: Spare\nkind: checklist\naudience: participants\nsummary: Not used.\n---\n\n- One.\n", "utf-8")
    cur = _load(project)
    found = [str(d) for d in validate(cur) if d.code == "W710"]
    assert found == ["curriculum/handouts/core/core-01-spare.md:1:1: warning[W710]: handout 'core-01-spare' "
                     "is used by no workshop or exercise"] or (
        len(found) == 1 and "handout 'core-01-spare' is used by no workshop or exercise" in found[0])


def test_long_card_is_reported(project: Path) -> None:
    path = project / "curriculum/handouts/core/core-01-role-cards.md"
    path.write_text(ROLE_CARDS.replace("You chair the hearing.", "You chair the hearing. " + "Word " * 200), "utf-8")
    cur = _load(project)
    found = [d for d in validate(cur) if d.code == "W713"]
    assert len(found) == 1 and found[0].loc.line == 11
    assert "at 4 cards per page a card holds about 170" in found[0].message


def test_exercise_may_not_link_a_facilitator_handout(project: Path) -> None:
    path = project / "curriculum/modules/core/core-01-leading-with-data.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["exercises"][0]["instructions"] += " See the [roles](handout:core-01-hidden-roles)."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    cur = _load(project)
    found = [d for d in validate(cur) if d.code == "E705"]
    assert [d.message for d in found] == ["exercise links the facilitator-only handout 'core-01-hidden-roles'"]


# -- cards ---------------------------------------------------------------------------

def test_each_level_two_section_is_one_card() -> None:
    body = ROLE_CARDS.split("---\n", 2)[2]
    cards = card_sections(body)
    assert [c.split("\n", 1)[0] for _, c in cards] == ["## The mayor", "## The department head", "## The observer"]
    h = m.Handout(doc=None, ypath=(), id="x", kind="role-cards", cards_per_page=4)  # type: ignore[arg-type]
    out = cards_markup(body, h)
    assert out.count('<div class="cda-card" markdown="1">') == 3
    assert out.startswith("Give each player one card.")
    assert '<div class="cda-cards cda-cards-4" markdown="1">' in out


def test_heading_inside_a_fence_is_not_a_card() -> None:
    assert len(card_sections("## One\n\n```\n## not a card\n```\n\n## Two\n")) == 2


# -- pages -------------------------------------------------------------------------------

def _site(cur: m.Curriculum) -> dict[str, dict[str, str]]:
    pages, _ = generate_site(cur, {}, {})
    return pages


def test_every_handout_has_a_page_in_each_language(project: Path) -> None:
    pages = _site(_load(project))
    for lang in ("en", "es", "pt"):
        for hid in IDS:
            assert f"handouts/{hid}.md" in pages[lang]


def test_handout_page(project: Path) -> None:
    cur = _load(project)
    h = cur.handout("core-01-role-cards")
    assert h is not None
    text, _ = render_page(Ctx("en", cur, {}, path_of("handout", h.id, cur)), lambda c: page_handout(c, h))
    assert text.startswith('---\ntitle: "Budget hearing role cards"\n---\n# Budget hearing role cards\n')
    assert "**Role cards** · For participants · Print 4 cards per A4 page and cut along the dashed lines" in text
    assert text.count('class="cda-card"') == 3
    assert "## Used in\n\n- [From promise to measure](../playbooks/core-01-mayors-session.md)" in text


def test_glossary_sheet_is_written_from_the_glossary(project: Path) -> None:
    cur = _load(project)
    h = cur.handout("core-01-key-terms")
    assert h is not None
    text, _ = render_page(Ctx("en", cur, {}, path_of("handout", h.id, cur)), lambda c: page_handout(c, h))
    assert "| English | Spanish | Portuguese | Definition |" in text
    assert ("| [**baseline**](../glossary.md#baseline) | línea de base | linha de base | "
            "The value of a measure before the work starts. |") in text


def test_playbook_links_its_handouts(project: Path) -> None:
    pages = _site(_load(project))
    playbook = pages["en"]["playbooks/core-01-mayors-session.md"]
    section = playbook.split("## Handouts\n\n", 1)[1].split("\n\n## ", 1)[0].strip()
    assert section.split("\n") == [
        "- [Bold goal worksheet](../handouts/core-01-goal-worksheet.md) (Worksheet): One page per mayor. Two copies each.",
        "- [Budget hearing role cards](../handouts/core-01-role-cards.md) (Role cards): Three roles for the budget "
        "drill. Print one set per table and cut along the lines.",
        "- [Budget hearing, what the players do not know](../handouts/core-01-hidden-roles.md) (Brief, facilitators "
        "only): The hidden side of the role cards. Coaches only.",
        "- [Key terms of the month](../handouts/core-01-key-terms.md) (Glossary sheet): The month's terms in three "
        "languages. One copy per participant.",
    ]
    assert "## Materials\n\n- Sticky notes." in playbook


def test_participants_version_lists_no_facilitator_handout(project: Path) -> None:
    cur = _load(project)
    ws = cur.workshop(WS_ID)
    assert ws is not None
    assert [d.id for d in handouts_of(cur, ws, participants=True)] == [
        "core-01-goal-worksheet", "core-01-role-cards", "core-01-key-terms"]
    assert len(handouts_of(cur, ws, participants=False)) == 4


def test_handouts_are_in_the_navigation(project: Path) -> None:
    nav = _site(_load(project))["en"][".nav.json"]
    assert '"Handouts": [' in nav and '"handouts/core-01-role-cards.md"' in nav


# -- translation ---------------------------------------------------------------------------

def test_handouts_are_extracted_and_translated(project: Path, cda: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = cda("extract", "--root", str(project))
    assert code == 0, err
    pot = (project / "curriculum/locales/templates/handout-core-01-role-cards.pot").read_text("utf-8")
    assert 'msgctxt "title"\nmsgid "Budget hearing role cards"' in pot
    assert 'msgid "The mayor"' in pot and 'msgid "You chair the hearing. Ask for the result, not the activity."' in pot
    code, _, err = cda("update", "--root", str(project))
    assert code == 0, err
    po = project / "curriculum/locales/es/LC_MESSAGES/handout-core-01-role-cards.po"
    text = po.read_text("utf-8")
    text = text.replace('msgid "The mayor"\nmsgstr ""', 'msgid "The mayor"\nmsgstr "La alcaldesa o el alcalde"')
    po.write_text(text, "utf-8")
    code, _, err = cda("generate", "--root", str(project))
    assert code == 0, err
    page = (project / "docs/es/handouts/core-01-role-cards.md").read_text("utf-8")
    assert "## La alcaldesa o el alcalde {#the-mayor}" in page


# -- the packet ------------------------------------------------------------------------------

def test_facilitator_packet_has_every_handout_in_order(project: Path, cda: Callable[..., tuple[int, str, str]],
                                                      tmp_path: Path) -> None:
    out = tmp_path / "packet.md"
    code, _, err = cda("playbook", WS_ID, "--root", str(project), "--packet", "--format", "md", "-o", str(out))
    assert code == 0, err
    text = out.read_text("utf-8")
    assert "# Workshop packet: From promise to measure" in text
    titles = re.findall(r'<div class="cda-page-break"></div>\n\n## (.+)', text)
    assert titles == ["Bold goal worksheet", "Budget hearing role cards", "Budget hearing, what the players do not know",
                      "Key terms of the month"]
    assert "Set the confidentiality agreement first." in text  # the facilitator notes
    assert "### The mayor" in text  # the cards, one level down


def test_participants_packet_has_only_their_handouts(project: Path, cda: Callable[..., tuple[int, str, str]],
                                                    tmp_path: Path) -> None:
    out = tmp_path / "packet.html"
    code, _, err = cda("playbook", WS_ID, "--root", str(project), "--packet", "--handout", "-o", str(out))
    assert code == 0, err
    text = out.read_text("utf-8")
    assert text.count('class="cda-page-break"') == 3
    assert "what the players do not know" not in text
    assert "evaluation found no effect" not in text
    assert "Set the confidentiality agreement first." not in text
    assert text.count('class="cda-card"') == 3 and ".cda-cards-4 .cda-card" in text


# -- the real course ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def course() -> m.Curriculum:
    cur, _ = load_curriculum(ROOT)
    return cur


def test_course_handouts_by_kind(course: m.Curriculum) -> None:
    kinds = {h.kind for h in course.handouts}
    assert {"role-cards", "scenario-cards", "worksheet", "data-pack", "brief", "template", "checklist",
            "glossary-sheet"} <= kinds
    for hid in ("core-01-self-assessment-scorecard", "core-01-priority-outcome-map", "core-01-public-commitment-template",
                "core-06-track-charter-template"):
        assert course.handout(hid) is not None, hid


def test_every_course_workshop_has_handouts_and_only_supplies(course: m.Curriculum) -> None:
    for ws in course.workshops:
        assert ws.handouts, ws.id
        assert [t for t in ws.materials if supply_problem(t)] == [], ws.id
