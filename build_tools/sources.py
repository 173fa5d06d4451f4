"""Reading source files safely: size, encoding, YAML with locations, front matter.

Every failure becomes a :class:`Diagnostic`; nothing here raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_tools.diagnostics import Diagnostic, Loc, error

MAX_BYTES = 2_000_000
"""Largest source file accepted; a module is a few dozen KB."""

MAX_NODES = 50_000
"""Largest number of YAML nodes accepted in one file."""

YPath = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """A parsed YAML mapping with the location of every value and key."""

    path: str
    data: Any
    locs: dict[YPath, Loc] = field(default_factory=dict)
    key_locs: dict[YPath, Loc] = field(default_factory=dict)

    def loc(self, path: YPath = ()) -> Loc:
        """Location of the value at ``path``, or of the closest parent that has one."""
        while path not in self.locs and path:
            path = path[:-1]
        return self.locs.get(path, Loc(self.path, 1, 1))

    def key_loc(self, path: YPath) -> Loc:
        return self.key_locs.get(path) or self.loc(path)


def read_text(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file, reporting size, encoding, BOM and access problems."""
    try:
        if path.is_symlink():
            return None, [error(Loc(shown), "E107", "symbolic links are not followed in curriculum/",
                                "replace the link with the file itself")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(Loc(shown), "E107", f"cannot read file: {exc.strerror or exc}",
                            "check that the file exists and is readable")]
    if len(raw) > MAX_BYTES:
        return None, [error(Loc(shown), "E103",
                            f"file is too large ({len(raw):,} bytes; the limit is {MAX_BYTES:,})",
                            "split the content into several modules or pages")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [error(Loc(shown), "E105", "file starts with a UTF-8 byte order mark (BOM)",
                            "save the file as UTF-8 without BOM")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error(Loc(shown, line, col), "E104",
                            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                            "save the file with UTF-8 encoding")]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [error(Loc(shown, line, 1), "E104", "file contains NUL bytes (binary data?)",
                            "curriculum files must be UTF-8 text")]
    return text, []


_TAB_HINT = "YAML does not allow tabs for indentation; indent with spaces"


def parse_yaml(text: str, shown: str) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse one YAML document with the safe loader, keeping every node's location."""
    if not text.strip():
        return None, [error(Loc(shown), "E106", "file is empty",
                            "add the required keys; `cda new module` scaffolds a valid module")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        hint = _TAB_HINT if "\\t" in problem or "tab" in problem else (
            "check indentation, colons and quotes; quote strings that contain ': ' or start with a special character")
        return None, [error(Loc(shown, line, col), "E100", f"invalid YAML: {problem}", hint)]
    except yaml.YAMLError as exc:
        return None, [error(Loc(shown), "E100", f"invalid YAML: {exc}", "fix the YAML syntax")]
    if node is None:
        return None, [error(Loc(shown), "E106", "file holds no YAML data", "add the required keys")]
    doc = YamlDoc(shown, None)
    diags: list[Diagnostic] = []
    builder = _Builder(doc, diags)
    try:
        doc.data = builder.build(node, ())
    except _TooBig:
        return None, [error(Loc(shown), "E103", f"YAML has more than {MAX_NODES:,} nodes",
                            "split the file")]
    if any(d.code == "E102" for d in diags):
        return None, diags
    return doc, diags


class _TooBig(Exception):
    pass


class _Builder:
    """Turn a composed node tree into plain data, recording locations."""

    def __init__(self, doc: YamlDoc, diags: list[Diagnostic]) -> None:
        self.doc = doc
        self.diags = diags
        self.seen: set[int] = set()
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: YPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        loc = Loc(self.doc.path, node.start_mark.line + 1, node.start_mark.column + 1)
        self.doc.locs[path] = loc
        if id(node) in self.seen and not isinstance(node, yaml.ScalarNode):
            self.diags.append(error(loc, "E102", "YAML aliases (*name) are not allowed",
                                    "write the value out in full"))
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.diags.append(error(loc, "E100", f"invalid YAML value: {exc}", "quote the value"))
            return None

    def _mapping(self, node: yaml.MappingNode, path: YPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_loc = Loc(self.doc.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.diags.append(error(key_loc, "E102", "YAML merge keys (<<) are not allowed",
                                        "write the keys out in full"))
                continue
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in out:
                first = self.doc.key_locs[path + (key,)]
                self.diags.append(error(key_loc, "E101", f"duplicate key '{key}' (first at line {first.line})",
                                        "remove one of the two entries"))
                continue
            self.doc.key_locs[path + (key,)] = key_loc
            if id(value_node) in self.seen and not isinstance(value_node, yaml.ScalarNode):
                self.diags.append(error(key_loc, "E102", "YAML aliases (*name) are not allowed",
                                        "write the value out in full"))
                continue
            out[key] = self.build(value_node, path + (key,))
        return out


_FRONT = re.compile(r"\A---\n(.*?\n)?---\n", re.S)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split ``---`` front matter from a Markdown page: (yaml, body, body's first line)."""
    match = _FRONT.match(text)
    if not match:
        return "", text, 1
    front = match.group(1) or ""
    return front, text[match.end():], front.count("\n") + 3
