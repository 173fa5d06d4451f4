"""Task-list checkboxes carry their item's text as an accessible name (axe-core 'label' rule)."""

from __future__ import annotations

import markdown

EXTENSIONS = ["pymdownx.tasklist", "build_tools.text.task_labels"]
CONFIG = {"pymdownx.tasklist": {"custom_checkbox": True}}


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIG)


def test_each_box_is_named_by_its_own_item_text() -> None:
    html = render('- [ ] Each target has a **baseline** & a "date".\n- [x] Signed\n    - [ ] nested check')
    assert 'aria-label="Each target has a baseline &amp; a &quot;date&quot;."' in html
    assert 'aria-label="Signed" checked' in html  # the nested list is not part of the parent's name
    assert 'aria-label="nested check"' in html
    assert html.count("aria-label=") == 3


def test_loose_items_and_code_are_named_too() -> None:
    html = render("1. [ ] Run `x<y` first\n\n2. [x] Then this")
    assert 'aria-label="Run x&lt;y first"' in html
    assert 'aria-label="Then this" checked' in html


def test_plain_lists_are_untouched() -> None:
    assert "aria-label" not in render("- one\n- [link](https://example.org)")
