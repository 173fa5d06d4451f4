"""The segmenter: what is a message, and the exact round trip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.segment import apply, segment

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
    # Every message's text is found again when the document is segmented a second time.
    marked = apply(doc, lambda s: s.text)
    assert [s.text for s in segment(marked)] == [s.text for s in segs]
    # A translation in place of each message changes only that message.
    translated = apply(doc, lambda s: s.text.upper())
    assert [s.text for s in segment(translated)] == [s.text.upper() for s in segs]
