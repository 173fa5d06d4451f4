"""The segmenter: what is a message, and the exact round trip."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from build_tools.text.renderer import render
from build_tools.text.segment import apply, escape_pipes, segment
from build_tools.text.structure import differences, renderer_tree, segmenter_tree

DOC = """\
## Heading one

First paragraph with a [link](https://example.org "Title") and `code`.
Second line of the same paragraph.

<!-- i18n: Keep the name LouieStat. -->
LouieStat meets every week.

- Item one
- Item two with **bold**
    1. Nested item

!!! tip "Questions to ask"

    Body of the tip.

    - A list in the tip

=== "First tab"

    Tab body.

| Head A | Head B |
| --- | ---: |
| cell 1 | cell 2 |

<!-- i18n:skip -->
Not for translation.

```python
code = "not a message"
```

![A chart of results](chart.png)

[ref]: https://example.org
"""


def test_segment_finds_each_block_kind() -> None:
    segs = segment(DOC)
    assert [(s.kind, s.text) for s in segs] == [
        ("heading", "Heading one"),
        ("paragraph", 'First paragraph with a [link](https://example.org "Title") and `code`.\n'
                      "Second line of the same paragraph."),
        ("paragraph", "LouieStat meets every week."),
        ("paragraph", "Item one"),
        ("paragraph", "Item two with **bold**"),
        ("paragraph", "Nested item"),
        ("title", "Questions to ask"),
        ("paragraph", "Body of the tip."),
        ("paragraph", "A list in the tip"),
        ("title", "First tab"),
        ("paragraph", "Tab body."),
        ("cell", "Head A"),
        ("cell", "Head B"),
        ("cell", "cell 1"),
        ("cell", "cell 2"),
        ("paragraph", "![A chart of results](chart.png)"),
    ]


def test_segment_attaches_translator_notes() -> None:
    notes = {s.text: s.note for s in segment(DOC)}
    assert notes["LouieStat meets every week."] == "Keep the name LouieStat."
    assert notes["Heading one"] == ""


def test_segment_skips_code_comments_and_skipped_blocks() -> None:
    texts = " ".join(s.text for s in segment(DOC))
    assert "not a message" not in texts
    assert "Not for translation." not in texts
    assert "i18n" not in texts


def test_apply_identity_is_byte_exact() -> None:
    assert apply(DOC, lambda s: s.text) == DOC


def test_apply_replaces_only_message_text() -> None:
    out = apply(DOC, lambda s: s.text.upper() if s.kind != "paragraph" else None)
    assert "## HEADING ONE" in out
    assert '!!! tip "QUESTIONS TO ASK"' in out
    assert "| HEAD A | HEAD B |" in out
    assert "| --- | ---: |" in out
    assert "Body of the tip." in out


def test_apply_keeps_container_indentation_for_longer_translations() -> None:
    out = apply(DOC, lambda s: "Línea uno\nlínea dos" if s.text == "Body of the tip." else None)
    assert "    Línea uno\n    línea dos\n" in out


# -- property: any document built from the supported constructs round-trips --------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñçãõ", min_size=1, max_size=8)
INLINE = st.one_of(
    WORD,
    WORD.map(lambda w: f"**{w}**"),
    WORD.map(lambda w: f"*{w}*"),
    WORD.map(lambda w: f"`{w}`"),
    st.tuples(WORD, WORD).map(lambda t: f"[{t[0]}](https://example.org/{t[1]})"),
    st.tuples(WORD, WORD).map(lambda t: f"[{t[0]}](module:{t[1]})"),
    WORD.map(lambda w: f"![{w}](img/{w}.png)"),
)
SENTENCE = st.lists(INLINE, min_size=1, max_size=8).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=3).map(" ".join)


def _indent(block: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in block.split("\n"))


BLOCK = st.recursive(
    st.one_of(
        PARAGRAPH,
        st.tuples(st.integers(2, 4), SENTENCE).map(lambda t: "#" * t[0] + " " + t[1]),
        st.lists(SENTENCE, min_size=1, max_size=4).map(lambda xs: "\n".join(f"- {x}" for x in xs)),
        st.lists(SENTENCE, min_size=1, max_size=4).map(lambda xs: "\n".join(f"{i}. {x}" for i, x in enumerate(xs, 1))),
        st.tuples(st.lists(WORD, min_size=2, max_size=4), st.lists(st.lists(WORD, min_size=4, max_size=4),
                                                                    min_size=1, max_size=3)).map(
            lambda t: "\n".join(["| " + " | ".join(t[0]) + " |", "| " + " | ".join("---" for _ in t[0]) + " |"]
                                + ["| " + " | ".join(r[: len(t[0])]) + " |" for r in t[1]])),
        WORD.map(lambda w: f"```text\n{w} = 1\n```"),
        st.tuples(PARAGRAPH, WORD).map(lambda t: f"<!-- i18n: {t[1]} -->\n{t[0]}"),
        PARAGRAPH.map(lambda p: f"<!-- i18n:skip -->\n{p}"),
    ),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["!!! note", "!!! tip", "??? warning", "???+ example"]), SENTENCE,
                  st.lists(inner, min_size=1, max_size=2)).map(
            lambda t: f'{t[0]} "{t[1]}"\n\n' + "\n\n".join(_indent(b) for b in t[2])),
        st.tuples(SENTENCE, st.lists(inner, min_size=1, max_size=2)).map(
            lambda t: f'=== "{t[0]}"\n\n' + "\n\n".join(_indent(b) for b in t[1])),
    ),
    max_leaves=6,
)
DOCUMENT = st.lists(BLOCK, min_size=1, max_size=6).map(lambda bs: "\n\n".join(bs) + "\n")


@settings(max_examples=200, deadline=None)
@given(DOCUMENT)
def test_round_trip_property(doc: str) -> None:
    segs = segment(doc)
    assert apply(doc, lambda s: s.text) == doc
    # Each message, rewritten in place, is found again where it was, with its kind: the
    # segmenter reads back exactly what apply wrote (not the source segmented twice).
    marked = apply(doc, lambda s: f"{s.text} [{s.kind}]" if s.kind == "paragraph" else f"Q{s.text}")
    assert marked != doc or not segs
    again = segment(marked)
    assert [(s.kind, s.text) for s in again] == [
        (s.kind, f"{s.text} [{s.kind}]" if s.kind == "paragraph" else f"Q{s.text}") for s in segs]
    # A translation in place of each message changes only that message.
    translated = apply(doc, lambda s: s.text.upper())
    assert [s.text for s in segment(translated)] == [s.text.upper() for s in segs]


# -- defect 1: table cells are split the way the site splits them -----------------------

TABLE = """\
| Filter | Meaning |
| --- | :---: |
| x \\| y | `a | b` |
| `c` and [a link](https://example.org/a_b "T") | **bold \\| pipe** |
| `` code with ` tick | pipe `` | last |
"""


def test_escaped_pipes_and_code_spans_segment_exactly() -> None:
    assert [(s.kind, s.text) for s in segment(TABLE)] == [
        ("cell", "Filter"), ("cell", "Meaning"),
        ("cell", "x \\| y"), ("cell", "`a | b`"),
        ("cell", '`c` and [a link](https://example.org/a_b "T")'), ("cell", "**bold \\| pipe**"),
        ("cell", "`` code with ` tick | pipe ``"), ("cell", "last"),
    ]
    assert apply(TABLE, lambda s: s.text) == TABLE
    assert differences(TABLE) == ()


def test_translated_cells_keep_the_table() -> None:
    # A translator writes a bare pipe, or an unpaired backtick: the row still has two cells.
    out = apply(TABLE, lambda s: {"x \\| y": "x | y o z", "last": "`último"}.get(s.text))
    assert "| x \\| y o z | `a | b` |" in out
    assert [s.text for s in segment(out)][2] == "x \\| y o z"
    assert out.split("\n")[-2].endswith("| `último |")  # a lone backtick pairs with nothing
    assert differences(out) == ()
    # Here the backtick would pair with the next cell's and swallow the pipe: the row keeps its source.
    merged = apply(TABLE, lambda s: {"x \\| y": "`equis"}.get(s.text))
    assert merged.split("\n")[2] == "| x \\| y | `a | b` |"
    assert differences(merged) == ()


def test_escape_pipes() -> None:
    assert escape_pipes("a | b") == "a \\| b"
    assert escape_pipes("`a | b` | c") == "`a | b` \\| c"
    assert escape_pipes("already \\| escaped") == "already \\| escaped"
    assert escape_pipes("ends with \\") == "ends with \\\\"


CELL_TEXT = st.lists(st.one_of(
    WORD,
    st.just("\\|"), st.just("|"), st.just("`"), st.just("\\"), st.just("\\`"),
    WORD.map(lambda w: f"`{w} | {w}`"),
    WORD.map(lambda w: f"`{w} \\| {w}`"),
    WORD.map(lambda w: f"``{w} ` {w}``"),
    WORD.map(lambda w: f"[{w}](https://example.org/{w})"),
    WORD.map(lambda w: f"[{w} \\| x](module:{w})"),
    WORD.map(lambda w: f"**{w}**"),
), min_size=1, max_size=5).map(" ".join)
TABLES = st.tuples(st.integers(1, 4), st.lists(st.lists(CELL_TEXT, min_size=1, max_size=5), min_size=1, max_size=4),
                   st.booleans()).map(
    lambda t: "\n".join(
        [("| " if t[2] else "") + " | ".join(f"H{i}" for i in range(t[0])) + (" |" if t[2] else ""),
         ("| " if t[2] else "") + " | ".join("---" for _ in range(t[0])) + (" |" if t[2] else "")]
        + [("| " if t[2] else "") + " | ".join(row) + (" |" if t[2] else "") for row in t[1]]) + "\n")


@settings(max_examples=300, deadline=None)
@given(TABLES, st.lists(CELL_TEXT, min_size=1, max_size=8))
def test_tables_property(table: str, translations: list[str]) -> None:
    """Every table the site renders segments and applies exactly, whatever its cells hold;
    a table that validates never breaks extraction or generation, and translations keep it whole."""
    from build_tools.check.validation import check_markdown
    from build_tools.source.model import Markdown

    segs = segment(table)  # never raises
    assert apply(table, lambda s: s.text) == table
    errors = [d for d in check_markdown(Markdown("t.md", table), {k: set() for k in
              ("module", "workshop", "glossary", "page", "track")}) if d.is_error and d.code in ("E408", "E400")]
    if errors:
        return  # validate rejects it: no later stage sees it
    assert differences(table) == ()
    assume(renderer_tree(render(table)).children[0].kind == "table")  # one column and no pipes: a heading
    translated = apply(table, lambda s: translations[segs.index(s) % len(translations)])
    tree = renderer_tree(render(translated))
    source = renderer_tree(render(table))
    assert [(n.kind, len(n.children)) for n in tree.children[0].children] == \
        [(n.kind, len(n.children)) for n in source.children[0].children]
    assert len(segment(translated)) == len(segs)


def test_escaped_pipes_survive_extract_and_generate(make_project, cda) -> None:
    """The crash of issue 13: extract, generate (and so build) stopped on a cell like x \\| y."""
    root = make_project()
    reading = root / "curriculum/modules/core/core-01-leading-with-data.md"
    reading.write_text(reading.read_text("utf-8") + "\n" + TABLE.replace("| `` code with ` tick | pipe `` | last |\n", ""),
                       "utf-8")
    assert cda("validate", "--root", root, "--strict")[0] == 0
    for step in ("extract", "update", "generate"):
        code, out, err = cda(step, "--root", root)
        assert code == 0 and "Traceback" not in out + err, out + err
    pot = (root / "curriculum/locales/templates/module-core-01-leading-with-data.pot").read_text("utf-8")
    assert 'msgid "x \\\\| y"' in pot and 'msgid "`a | b`"' in pot
    page = (root / "docs/es/modules/core-01-leading-with-data.md").read_text("utf-8")
    assert "x \\| y" in page


# -- defect 6: the Markdown the site renders, segmented into messages ---------------------

EXTENDED = """\
## Heading with an id {#custom-id}

- [ ] An open task
- [x] A done task

Term
:   Its definition.

    A second paragraph.

The CDO decides[^1].

*[CDO]: Chief data officer

[^1]: The footnote's body.

    Its second paragraph.

See the [guide][govex].

[govex]: https://example.org/guide "The GovEx guide"
"""


def test_footnotes_definitions_tasks_abbreviations_and_ids_segment_correctly() -> None:
    assert [(s.kind, s.text) for s in segment(EXTENDED)] == [
        ("heading", "Heading with an id"),
        ("paragraph", "An open task"),
        ("paragraph", "A done task"),
        ("term", "Term"),
        ("paragraph", "Its definition."),
        ("paragraph", "A second paragraph."),
        ("paragraph", "The CDO decides[^1]."),
        ("abbr", "Chief data officer"),
        ("paragraph", "The footnote's body."),
        ("paragraph", "Its second paragraph."),
        ("paragraph", "See the [guide][govex]."),
        ("link-title", "The GovEx guide"),
    ]
    assert apply(EXTENDED, lambda s: s.text) == EXTENDED
    assert differences(EXTENDED) == ()
    out = apply(EXTENDED, lambda s: "Traducido: " + s.text)
    assert "## Traducido: Heading with an id {#custom-id}" in out
    assert "- [x] Traducido: A done task" in out
    assert '[govex]: https://example.org/guide "Traducido: The GovEx guide"' in out
    assert "*[CDO]: Traducido: Chief data officer" in out
    html = render(out)
    assert 'id="custom-id"' in html and 'title="Traducido: The GovEx guide"' in html
    assert '<abbr title="Traducido: Chief data officer">CDO</abbr>' in html


def test_segmenter_tree_matches_the_rendered_tree_for_supported_markdown() -> None:
    src = segmenter_tree(EXTENDED)
    assert [n.kind for n in src.children] == ["h2", "ul", "dl", "p", "p", "footnotes"]


# -- defect 5: the segmenter and the renderer agree, or validation says where they do not ------

RISKY_BLOCK = st.one_of(
    PARAGRAPH,
    st.lists(SENTENCE, min_size=1, max_size=3).map(lambda xs: "\n".join(f"- {x}" for x in xs)),
    st.tuples(st.sampled_from(["- ", "* ", "+ ", "1. ", "3. ", "1) "]), st.lists(SENTENCE, min_size=1, max_size=3)).map(
        lambda t: "\n".join(t[0] + x for x in t[1])),
    st.tuples(SENTENCE, st.sampled_from(["  ", "    ", " "]), SENTENCE).map(lambda t: f"- {t[0]}\n{t[1]}- {t[2]}"),
    st.tuples(SENTENCE, SENTENCE).map(lambda t: f"{t[0]}\n- {t[1]}"),
    st.tuples(SENTENCE, SENTENCE).map(lambda t: f"{t[0]}\\\n{t[1]}"),
    st.tuples(SENTENCE, SENTENCE).map(lambda t: f"{t[0]}  \n{t[1]}"),
    st.tuples(WORD, WORD).map(lambda t: f"[{t[0]}]: <https://example.org/{t[1]} x> 'T'"),
    st.tuples(WORD, WORD).map(lambda t: f"[{t[0]}]: https://example.org/{t[1]} \"Title {t[1]}\""),
    st.tuples(SENTENCE, WORD).map(lambda t: f"{t[0]}\n| {t[1]} | b |\n| --- | --- |\n| c | d |"),
    st.tuples(WORD, SENTENCE, st.sampled_from(["", "  ", "    "])).map(lambda t: f"{t[0]}\n:   {t[1]}\n\n{t[2]}More."),
    st.tuples(SENTENCE, WORD).map(lambda t: f"{t[0]}[^{t[1]}]\n\n[^{t[1]}]: Note {t[1]}."),
    WORD.map(lambda w: f"[^{w}]: Orphan note."),
    st.tuples(st.sampled_from(["!!! note", "??? warning", "!!! tip \"T\""]), SENTENCE,
              st.sampled_from(["    ", "  "])).map(lambda t: f"{t[0]}\n\n{t[2]}{t[1]}"),
    st.tuples(WORD, SENTENCE).map(lambda t: f"*[{t[0].upper()}]: {t[1]}"),
    SENTENCE.map(lambda x: f"> {x}\ncontinued\n\n> {x}"),
    st.tuples(st.integers(2, 3), SENTENCE, WORD).map(lambda t: "#" * t[0] + f" {t[1]} {{#{t[2]}}}"),
)
RISKY = st.lists(RISKY_BLOCK, min_size=1, max_size=5).map(lambda bs: "\n\n".join(bs) + "\n")


def _shape(text: str) -> list[tuple[int, str]]:
    from build_tools.text.structure import _flatten

    return [(depth, kind) for depth, kind, _ in _flatten(renderer_tree(render(text)))]


@settings(max_examples=300, deadline=None)
@given(RISKY)
def test_differential_property(doc: str) -> None:
    """Whatever the Markdown, either cda validate reports where readers would see something else
    (E408), or every message is a block readers get: translating each message in place gives a
    page of the same shape, and the translated page's messages are the translations."""
    from build_tools.check.validation import check_markdown
    from build_tools.source.model import Markdown

    segs = segment(doc)
    assert apply(doc, lambda s: s.text) == doc
    codes = {d.code for d in check_markdown(Markdown("t.md", doc), {k: set() for k in
             ("module", "workshop", "glossary", "page", "track")})}
    if "E408" in codes:
        return
    translated = apply(doc, lambda s: f"Zz {s.text}")
    assert _shape(translated) == _shape(doc)
    assert [s.text for s in segment(translated)] == [f"Zz {s.text}" for s in segs]


# -- blocks first, inline after -------------------------------------------------------------

def _tokens(tokens: list) -> list[tuple]:
    return [(t.type, t.tag, t.nesting, t.map, t.content, t.markup, t.info, repr(t.meta), repr(t.attrs),
             [(c.type, c.content, c.markup, repr(c.attrs), repr(c.meta)) for c in t.children or []])
            for t in tokens]


def test_the_tokens_derived_from_blocks_are_those_of_one_full_parse() -> None:
    """The segmenter reads blocks only; the checks' tokens add inline parsing to them. Both must be
    what one parse gives, on every body of the course and the torture fixture."""
    from conftest import FIXTURES, ROOT

    from build_tools.text import markdown

    # the rules the derived parse runs after the blocks: a rule added to the parser must be added there
    assert [r.name for r in markdown.parser().core.ruler.__rules__ if r.enabled] == [
        "normalize", "block", "inline", "footnote_tail", "text_join"]
    bodies = [p.read_text("utf-8") for p in sorted((ROOT / "curriculum").rglob("*.md"))]
    bodies += [(FIXTURES / "torture" / "reading.md").read_text("utf-8")]
    for text in bodies:
        env: dict = {}
        assert _tokens(markdown.parse(text)) == _tokens(markdown.parser().parse(text, env))
        blocks = markdown.parse_blocks(text)
        assert [t.type for t in blocks if t.type == "inline"] and all(not t.children for t in blocks)
