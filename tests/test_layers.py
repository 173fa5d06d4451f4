"""The package's layers import one way: a module imports only from its own layer or those below.

Read from the source with :mod:`ast` (every ``import`` statement, at module level, inside a
function or under ``TYPE_CHECKING``), so an import moved into a function to dodge a cycle is
still an edge. The only imports inside functions are the CLI's, which load a command's modules
when that command runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "build_tools"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("diagnostics", "errors", "languages", "heading_ids", "ui", "task_labels", "arguments",
                    "sources", "fsutil")),
    ("text", ("markdown", "renderer", "segment", "structure", "safety", "po")),
    ("source", ("schema", "model", "loader", "cohort", "cases", "handouts")),
    ("check", ("validation", "schedule", "project")),
    ("i18n", ("fields", "extract", "catalogs", "translation", "qa", "qa_run")),
    ("render", ("page_context", "acceptance", "agenda", "generate", "case_pages", "handout_pages",
                "schedule_pages")),
    ("site", ("search", "site", "mkdocs_hook")),
    ("tools", ("playbook", "pdf", "export", "scaffold")),
    ("cli", ("cli", "__main__", "__init__")),
)
"""Bottom to top. ``text``: Markdown as the site reads and renders it, and gettext files;
``source``: reading the curriculum into the model; ``check``: the rules, cohort plans, a project
that must validate; ``i18n``: segments to catalogs and back; ``render``: pages (pure functions);
``site``: MkDocs; ``tools``: the coaches' and authors' other outputs."""

LAYER_OF = {name: i for i, (_, names) in enumerate(LAYERS) for name in names}


def module_names() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py"))


def imports(name: str, package: Path = PACKAGE) -> list[tuple[str, int, bool]]:
    """(imported build_tools module, line, inside a function) for every import in the module."""
    tree = ast.parse((package / f"{name}.py").read_text("utf-8"))
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inside |= {id(sub) for sub in ast.walk(node) if sub is not node}
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "build_tools":
                targets = [f"build_tools.{a.name}" for a in node.names]
            else:
                targets = [node.module]
        for target in targets:
            parts = target.split(".")
            if parts[0] == "build_tools" and len(parts) > 1:
                found.append((parts[1], node.lineno, id(node) in inside))
    return found


def test_every_module_has_a_layer() -> None:
    assert sorted(set(module_names()) - set(LAYER_OF)) == []
    assert sorted(set(LAYER_OF) - set(module_names())) == []


@pytest.mark.parametrize("name", module_names())
def test_a_module_imports_only_its_own_layer_or_lower(name: str) -> None:
    upward = [f"build_tools/{name}.py:{line}: imports {target} ({LAYERS[LAYER_OF[target]][0]}) "
              f"from the {LAYERS[LAYER_OF[name]][0]} layer"
              for target, line, _ in imports(name) if LAYER_OF.get(target, -1) > LAYER_OF[name]]
    assert upward == []


@pytest.mark.parametrize("name", [n for n in module_names() if n != "cli"])
def test_no_import_inside_a_function(name: str) -> None:
    assert [f"build_tools/{name}.py:{line}: imports {target} inside a function"
            for target, line, inner in imports(name) if inner] == []


def test_no_import_cycle() -> None:
    edges = {name: {t for t, _, _ in imports(name) if t != name} for name in module_names()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_the_checker_sees_an_upward_import_hidden_in_a_function(tmp_path: Path) -> None:
    """The checks above fail on the pattern they exist to forbid."""
    (tmp_path / "model.py").write_text("from build_tools import diagnostics\n\n\n"
                                       "def f():\n    from build_tools.generate import Ctx\n    return Ctx\n")
    found = imports("model", tmp_path)
    assert found == [("diagnostics", 1, False), ("generate", 5, True)]
    assert LAYER_OF["generate"] > LAYER_OF["model"] > LAYER_OF["diagnostics"]
