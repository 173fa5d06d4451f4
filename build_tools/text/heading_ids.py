"""A Python-Markdown extension: ``## Heading {#id}`` gives the heading that id, and nothing else.

Python-Markdown's ``attr_list`` would also accept classes and any attribute (``{: onclick=...}``)
on any element; this accepts only an id, only at the end of a heading. It runs before ``toc``,
which then keeps the id and derives the others from the heading text. The segmenter strips
the same suffix from the heading's message (:data:`HEADING_ID`), so translators never see it.

Listed in ``mkdocs.yml`` as ``build_tools.text.heading_ids``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

HEADING_ID = re.compile(r"[ \t]+\{#(?P<id>[A-Za-z][A-Za-z0-9_-]*)\}[ \t]*$")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class HeadingIdTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag not in HEADINGS:
                continue
            if len(el):
                last = el[-1]
                match = HEADING_ID.search(last.tail or "")
                if match:
                    last.tail = (last.tail or "")[: match.start()]
            else:
                match = HEADING_ID.search(el.text or "")
                if match:
                    el.text = (el.text or "")[: match.start()]
            if match:
                el.set("id", match["id"])


class HeadingIdExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline processing (priority 20), before toc (5), at attr_list's priority (8).
        md.treeprocessors.register(HeadingIdTreeprocessor(md), "heading_ids", 8)


def makeExtension(**kwargs: object) -> HeadingIdExtension:
    return HeadingIdExtension(**kwargs)
