"""A Python-Markdown extension: every task-list checkbox is named by its item's text.

``pymdownx.tasklist`` writes ``<label><input type="checkbox" disabled/>…</label>`` with no text
in the label, so screen readers announce an unnamed checkbox and axe-core reports a critical
``label`` violation. This gives each box ``aria-label`` = the item's own text (its nested lists
excluded), the way a sighted reader sees which check the box belongs to.

Listed in ``mkdocs.yml`` after ``pymdownx.tasklist`` as ``build_tools.text.task_labels``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_PLACEHOLDER = re.compile(util.HTML_PLACEHOLDER % r"(\d+)")


def _own_text(el: etree.Element) -> str:
    """The element's text without nested lists, with stash placeholders removed."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if child.tag not in ("ul", "ol"):
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return _PLACEHOLDER.sub("", "".join(parts))


class TaskLabelTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        blocks = self.md.htmlStash.rawHtmlBlocks
        for li in root.iter("li"):
            if "task-list-item" not in (li.get("class") or "").split():
                continue
            holder = li if _PLACEHOLDER.match(li.text or "") else (li[0] if len(li) else None)
            match = _PLACEHOLDER.match((holder.text or "") if holder is not None else "")
            if match is None:
                continue
            index = int(match.group(1))
            label = " ".join(_own_text(li).split())
            raw = blocks[index]
            if isinstance(raw, str) and label and "aria-label" not in raw:
                named = f'<input type="checkbox" disabled aria-label="{html.escape(html.unescape(label), quote=True)}"'
                blocks[index] = raw.replace('<input type="checkbox" disabled', named, 1)


class TaskLabelExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After pymdownx.tasklist (25) has stored its checkbox and inline markup (20) is parsed.
        md.treeprocessors.register(TaskLabelTreeprocessor(md), "task_labels", 15)


def makeExtension(**kwargs: object) -> TaskLabelExtension:
    return TaskLabelExtension(**kwargs)
