"""Deliverables a coach can accept: each exercise's acceptance criteria, as readers see them.

The same checklist appears under the exercise on the module page, in the facilitator guide of
the module's workshops and in the agenda of the coaching call that reviews the deliverable. The
text comes from the module's catalog (``msgctxt "exercises.acceptance"``), so every language shows
the same checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from build_tools.i18n import fields as F

if TYPE_CHECKING:
    from build_tools.render.page_context import Ctx
    from build_tools.source import model as m


def checklist(ctx: Ctx, mod: m.Module, ex: m.Exercise) -> str:
    """The exercise's criteria as a task list (``- [ ] ...``), one check per line."""
    return "\n".join(f"- [ ] {_one_line(ctx.tr(F.Module.EXERCISE_ACCEPTANCE, mod.id, text))}" for text in ex.acceptance)


def under_deliverable(ctx: Ctx, mod: m.Module, ex: m.Exercise) -> str:
    """The short "Acceptance criteria" block printed under an exercise's deliverable ('' if none)."""
    if not ex.acceptance:
        return ""
    return f"**{ctx.ui('acceptance')}:**\n\n{checklist(ctx, mod, ex)}"


def deliverables_section(ctx: Ctx, mod: m.Module, level: int = 2, heading: str = "") -> str:
    """Every deliverable of the module with what the coach will check: a section of a page."""
    marks = "#" * level
    parts = [f"{marks} {heading or ctx.ui('acceptance_section')}"]
    for ex in mod.exercises:
        block = [f"{marks}# {ctx.tr(F.Module.EXERCISE_TITLE, mod.id, ex.title)}",
                 f"**{ctx.ui('deliverable')}:** {ctx.tr(F.Module.EXERCISE_DELIVERABLE, mod.id, ex.deliverable)}"]
        if criteria := under_deliverable(ctx, mod, ex):
            block.append(criteria)
        parts.append("\n\n".join(block))
    return "\n\n".join(parts)


def _one_line(text: str) -> str:
    """A criterion is one sentence; a translation with a line break must not end the list item."""
    return " ".join(text.split("\n"))
