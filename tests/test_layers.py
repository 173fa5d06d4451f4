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

LAYERS: tuple[str, ...] = ("base", "text", "source", "check", "i18n", "render", "site", "tools", "")
"""The layer packages of ``build_tools/``, bottom to top; ``""`` is the package itself (``cli``).
``base``: diagnostics, errors, languages, interface strings, safe writes; ``text``: Markdown as
the site reads and renders it, and gettext files; ``source``: reading the curriculum into the
model; ``check``: the rules, cohort plans, a project that must validate; ``i18n``: messages to
catalogs and back; ``render``: pages (pure functions); ``site``: MkDocs; ``tools``: the
coaches' and authors' other outputs."""


def layer_of(name: str) -> int:
    """The layer of a module named like ``site.build`` (``cli`` for the top)."""
    return LAYERS.index(name.rpartition(".")[0])


def module_names(package: Path = PACKAGE) -> list[str]:
    """Every module, as its dotted name below ``build_tools`` (``i18n.fields``)."""
    return sorted(".".join(p.relative_to(package).with_suffix("").parts)
                  for p in package.rglob("*.py") if "__pycache__" not in p.parts)


def imports(name: str, package: Path = PACKAGE) -> list[tuple[str, int, bool]]:
    """(imported build_tools module, line, inside a function) for every import in the module."""
    tree = ast.parse((package / f"{name.replace('.', '/')}.py").read_text("utf-8"))
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inside |= {id(sub) for sub in ast.walk(node) if sub is not node}
    known = set(module_names(package))
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # ``from build_tools.site import build`` imports a module; ``from build_tools.site.build
            # import x`` a name from one.
            targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        for target in targets:
            parts = target.split(".")
            if parts[0] == "build_tools" and ".".join(parts[1:]) in known:
                found.append((".".join(parts[1:]), node.lineno, id(node) in inside))
    return found


def path(name: str) -> str:
    return f"build_tools/{name.replace('.', '/')}.py"


def layer_name(name: str) -> str:
    return LAYERS[layer_of(name)] or "top"


def test_every_module_is_in_a_layer_package() -> None:
    """A module sits in one of the layer folders (or is the package's own ``cli``/``__main__``),
    and every layer folder is a package that says what it holds."""
    top = [n for n in module_names() if "." not in n]
    assert top == ["__init__", "__main__", "cli"]
    assert sorted({n.rpartition(".")[0] for n in module_names()} - {""}) == sorted(LAYERS[:-1])
    for layer in LAYERS[:-1]:
        assert ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text("utf-8")))


@pytest.mark.parametrize("name", module_names())
def test_a_module_imports_only_its_own_layer_or_lower(name: str) -> None:
    upward = [f"{path(name)}:{line}: imports {target} ({layer_name(target)}) from the {layer_name(name)} layer"
              for target, line, _ in imports(name) if layer_of(target) > layer_of(name)]
    assert upward == []


@pytest.mark.parametrize("name", [n for n in module_names() if n != "cli"])
def test_no_import_inside_a_function(name: str) -> None:
    assert [f"{path(name)}:{line}: imports {target} inside a function"
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
    """The checks above fail on the pattern they exist to forbid, in both spellings of an import."""
    for layer in ("base", "source", "render"):
        (tmp_path / layer).mkdir()
        (tmp_path / layer / "__init__.py").write_text("")
    (tmp_path / "base" / "diagnostics.py").write_text("")
    (tmp_path / "render" / "generate.py").write_text("")
    (tmp_path / "source" / "model.py").write_text(
        "from build_tools.base import diagnostics\n\n\n"
        "def f():\n    from build_tools.render.generate import Ctx\n    return Ctx\n")
    found = imports("source.model", tmp_path)
    assert found == [("base.diagnostics", 1, False), ("render.generate", 5, True)]
    assert layer_of("render.generate") > layer_of("source.model") > layer_of("base.diagnostics")
