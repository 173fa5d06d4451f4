"""Load ``curriculum/`` into the model, collecting diagnostics instead of raising."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from build_tools.base.cache import persisted
from build_tools.base.diagnostics import Diagnostic, Loc, display_path, error
from build_tools.base.languages import languages_from
from build_tools.source import model as m
from build_tools.source.schema import validate_doc
from build_tools.source.sources import (
    YamlDoc,
    YPath,
    parse_yaml,
    read_text,
    split_front_matter,
)


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _i(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


_TERM_KEYS = frozenset({"id", "term", "definition", "ordinary_sense"})


def _translations(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A glossary entry's other keys are language codes (checked against program.yaml by a rule)."""
    return tuple((k, v) for k, v in data.items() if k not in _TERM_KEYS and isinstance(k, str) and isinstance(v, str))


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _items(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


_T = TypeVar("_T")


def _fields(cls: type[_T], data: dict[str, Any], doc: YamlDoc, path: YPath, **extra: Any) -> _T:
    """Build a dataclass from a mapping, keeping only values of the right kind."""
    kwargs: dict[str, Any] = {"doc": doc, "ypath": path}
    for name, fdef in cls.__dataclass_fields__.items():  # type: ignore[attr-defined]
        if name in ("doc", "ypath") or name in extra:
            continue
        default = fdef.default
        value = data.get(name)
        if isinstance(default, str):
            kwargs[name] = _s(value) or default
        elif isinstance(default, bool):
            continue
        elif isinstance(default, (int, float)):
            kwargs[name] = value if isinstance(value, (int, float)) and not isinstance(value, bool) else default
        elif isinstance(default, tuple) and not extra.get(name):
            kwargs[name] = _strs(value) or default
    kwargs.update(extra)
    return cls(**kwargs)


@lru_cache(maxsize=4096)
@persisted("yaml")
def _parsed(text: str, shown: str, kind: str) -> tuple[YamlDoc | None, tuple[Diagnostic, ...]]:
    """A YAML file parsed and checked against its schema, once per process for a given text, shown
    path and kind: ``cda serve`` reloads the course on every save and parses only the files that
    changed. The documents are shared: nothing after the loader changes them."""
    doc, diags = parse_yaml(text, shown)
    if doc is None:
        return None, tuple(diags)
    if not isinstance(doc.data, dict):
        return None, (*diags, error(Loc(shown), "E203", f"the {kind} file must be a mapping (key: value), "
                                    f"not {type(doc.data).__name__}", "see AUTHORING.md for the format"))
    return doc, (*diags, *validate_doc(doc, kind))


@lru_cache(maxsize=4096)
@persisted("front-matter")
def _front_parsed(front: str, shown: str, kind: str) -> tuple[YamlDoc | None, tuple[Diagnostic, ...]]:
    """A Markdown file's front matter parsed and checked against its schema, its locations those of
    the file (the front matter starts on line 2); once per process for a given text, as ``_parsed``."""
    doc, diags = parse_yaml(front, shown)
    shifted = tuple(_shift(d, 1) for d in diags)
    if doc is None or not isinstance(doc.data, dict):
        return None, shifted
    doc.locs = {k: Loc(v.path, v.line + 1, v.col) for k, v in doc.locs.items()}
    doc.key_locs = {k: Loc(v.path, v.line + 1, v.col) for k, v in doc.key_locs.items()}
    return doc, (*shifted, *validate_doc(doc, kind))


class Loader:
    """Read every source file once; remember each file's text for later stages."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.curriculum = root / "curriculum"
        self.diags: list[Diagnostic] = []
        self.unreadable: set[str] = set()

    def shown(self, path: Path) -> str:
        return display_path(path)

    def yaml(self, path: Path, kind: str) -> YamlDoc | None:
        shown = self.shown(path)
        text, diags = read_text(path, shown)
        self.diags.extend(diags)
        if text is None:
            return None
        doc, checked = _parsed(text, shown, kind)
        self.diags.extend(checked)
        return doc

    def load(self) -> m.Curriculum:
        if not self.curriculum.is_dir():
            self.diags.append(error(Loc(self.shown(self.curriculum)), "E107", "curriculum folder not found",
                                    "run cda from the project root, or pass --root"))
            return m.Curriculum(str(self.root), None, (), (), (), (), ())
        program = self.load_program()
        tracks = tuple(t for t in map(self.load_track, self.files("tracks", "*.yaml")) if t)
        modules = tuple(x for x in map(self.load_module, self.files("modules", "*/*.yaml")) if x)
        workshops = tuple(w for w in map(self.load_workshop, self.files("workshops", "*/*.yaml")) if w)
        glossary = tuple(t for f in self.files("glossary", "*.yaml") for t in self.load_glossary(f))
        pages = tuple(p for p in map(self.load_page, self.files("pages", "*.md")) if p)
        cases = tuple(c for c in map(self.load_case, self.files("cases", "*.yaml")) if c)
        handouts = tuple(h for h in map(self.load_handout, self.files("handouts", "*/*.md")) if h)
        return m.Curriculum(str(self.root), program, tracks, modules, workshops, glossary, pages,
                            frozenset(self.unreadable), cases, handouts)

    def files(self, sub: str, pattern: str) -> list[Path]:
        folder = self.curriculum / sub
        found = sorted(folder.glob(pattern)) if folder.is_dir() else []
        inside = [p for p in found if self.inside(p)]
        found = inside
        for stray in sorted(folder.rglob("*.yml")) if folder.is_dir() else []:
            self.diags.append(error(Loc(self.shown(stray)), "E108", "file has the extension .yml",
                                    "rename it to .yaml"))
        return found

    def inside(self, path: Path) -> bool:
        """Refuse files reached through symbolic links or that resolve outside curriculum/."""
        rel = path.relative_to(self.curriculum)
        parts = [self.curriculum.joinpath(*rel.parts[:i]) for i in range(1, len(rel.parts) + 1)]
        if any(p.is_symlink() for p in parts) or not path.resolve().is_relative_to(self.curriculum.resolve()):
            self.diags.append(error(Loc(self.shown(path)), "E107", "symbolic links are not followed in curriculum/",
                                    "replace the link with the file or folder itself"))
            return False
        return True

    def load_program(self) -> m.Program | None:
        path = self.curriculum / "program.yaml"
        doc = self.yaml(path, "program")
        if doc is None:
            return None
        d = doc.data
        return _fields(m.Program, d, doc, (),
                       languages=languages_from(d.get("languages")),
                       phases=tuple(_fields(m.Phase, x, doc, ("phases", i)) for i, x in _items(d, "phases")),
                       roles=tuple(_fields(m.Role, x, doc, ("roles", i)) for i, x in _items(d, "roles")))

    def load_track(self, path: Path) -> m.Track | None:
        doc = self.yaml(path, "track")
        if doc is None:
            self.unreadable.add(path.stem)
        return _fields(m.Track, doc.data, doc, ()) if doc else None

    def load_module(self, path: Path) -> m.Module | None:
        doc = self.yaml(path, "module")
        if doc is None:
            self.unreadable.add(path.stem)
        if doc is None:
            return None
        d = doc.data
        reading = None
        md_path = path.with_suffix(".md")
        if md_path.exists():
            text, diags = read_text(md_path, self.shown(md_path))
            self.diags.extend(diags)
            if text is not None:
                reading = m.Markdown(self.shown(md_path), text)
        else:
            self.diags.append(error(Loc(doc.path), "E302", f"the module's reading {self.shown(md_path)} is missing",
                                    f"create {md_path.name} next to {path.name}"))
        return _fields(m.Module, d, doc, (), reading=reading,
                       exercises=tuple(_fields(m.Exercise, x, doc, ("exercises", i)) for i, x in _items(d, "exercises")),
                       resources=tuple(_fields(m.Resource, x, doc, ("resources", i)) for i, x in _items(d, "resources")))

    def load_workshop(self, path: Path) -> m.Workshop | None:
        doc = self.yaml(path, "workshop")
        if doc is None:
            self.unreadable.add(path.stem)
        if doc is None:
            return None
        d = doc.data
        size = d.get("group_size") if isinstance(d.get("group_size"), dict) else {}
        return _fields(m.Workshop, d, doc, (),
                       group_min=_i(size.get("min")), group_max=_i(size.get("max")),
                       facilitation_roles=tuple(_fields(m.FacilitationRole, x, doc, ("facilitation_roles", i))
                                                for i, x in _items(d, "facilitation_roles")),
                       agenda=tuple(_fields(m.AgendaBlock, x, doc, ("agenda", i)) for i, x in _items(d, "agenda")))

    def load_glossary(self, path: Path) -> list[m.Term]:
        doc = self.yaml(path, "glossary")
        if doc is None:
            self.unreadable.add("*glossary*")
            return []
        return [_fields(m.Term, x, doc, ("terms", i), translations=_translations(x))
                for i, x in _items(doc.data, "terms")]

    def front_matter(self, path: Path, kind: str, what: str) -> tuple[YamlDoc, m.Markdown] | None:
        """A Markdown file with YAML front matter: the parsed front matter and the body."""
        shown = self.shown(path)
        text, diags = read_text(path, shown)
        self.diags.extend(diags)
        if text is None:
            return None
        if "\r" in text:
            # Report it where it is (often the front matter), then read the page as if it were LF.
            line = text[: text.index("\r")].count("\n") + 1
            self.diags.append(error(Loc(shown, line, 1), "E407", "file has Windows (CRLF) line endings",
                                    "save the file with Unix (LF) line endings"))
            text = text.replace("\r\n", "\n")
        front, body, first = split_front_matter(text)
        if not front:
            self.diags.append(error(Loc(shown), "E202", f"{what} has no front matter with a title",
                                    "start the file with three lines: '---', 'title: Its title', '---'"))
            return None
        doc, checked = _front_parsed(front, shown, kind)
        self.diags.extend(checked)
        if doc is None:
            return None
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem):
            self.diags.append(error(Loc(shown), "E205", f"{what} file name '{path.name}' is not a valid id",
                                    f"name {what}s with a slug: lower-case letters, digits and hyphens"))
            return None
        return doc, m.Markdown(shown, body, first)

    def load_page(self, path: Path) -> m.Page | None:
        read = self.front_matter(path, "page", "page")
        if read is None:
            return None
        doc, body = read
        return _fields(m.Page, doc.data, doc, (), id=path.stem, body=body)

    def load_handout(self, path: Path) -> m.Handout | None:
        """A handout: front matter (title, kind, audience, summary, print layout) and its text."""
        read = self.front_matter(path, "handout", "handout")
        if read is None:
            self.unreadable.add(path.stem)
            return None
        doc, body = read
        d = doc.data
        return _fields(m.Handout, d, doc, (), id=path.stem, track=path.parent.name, body=body,
                       cards_per_page=_i(d.get("cards_per_page")), terms=_strs(d.get("terms")))

    def load_case(self, path: Path) -> m.Case | None:
        """A city case: its data (``<id>.yaml``) and its story (``<id>.md``, next to it)."""
        doc = self.yaml(path, "case")
        if doc is None:
            self.unreadable.add(path.stem)
            return None
        d = doc.data
        body = None
        md_path = path.with_suffix(".md")
        if md_path.exists():
            text, diags = read_text(md_path, self.shown(md_path))
            self.diags.extend(diags)
            if text is not None:
                body = m.Markdown(self.shown(md_path), text)
        else:
            self.diags.append(error(Loc(doc.path), "E302", f"the case's story {self.shown(md_path)} is missing",
                                    f"create {md_path.name} next to {path.name} with the five sections "
                                    "(see AUTHORING.md)"))
        pop = d.get("population")
        years = d.get("years") if isinstance(d.get("years"), dict) else {}
        population = (_fields(m.Population, pop, doc, ("population",), source_index=_i(pop.get("source")))
                      if isinstance(pop, dict) else None)
        case: m.Case = _fields(m.Case, d, doc, (), body=body, population=population,
                               year_start=_i(years.get("start")), year_end=_i(years.get("end")),
                               self_reported=d.get("self_reported") is True,
                               sources=tuple(_fields(m.CaseSource, x, doc, ("sources", i))
                                             for i, x in _items(d, "sources")))
        return case


def _shift(d: Diagnostic, lines: int) -> Diagnostic:
    return Diagnostic(Loc(d.loc.path, d.loc.line + lines, d.loc.col), d.code, d.message, d.hint, d.severity)


def load_curriculum(root: Path) -> tuple[m.Curriculum, list[Diagnostic]]:
    """Load everything under ``root/curriculum``; return the model and every problem found."""
    loader = Loader(root)
    cur = loader.load()
    return cur, loader.diags
