"""Reading source files safely: size, encoding, YAML with locations, front matter.

Every failure becomes a :class:`Diagnostic`; nothing here raises on bad input.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_tools.base.diagnostics import Diagnostic, Loc, error

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
        # Count characters, not bytes: everything before the bad byte decoded fine.
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8")) + 1
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
    loader = None
    try:
        loader = _AliasCheckingLoader(text, shown)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, shown)]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [error(Loc(shown, line, col), "E104",
                            f"file contains the character U+{exc.character:04X}, which YAML does not allow",
                            "delete it (it is invisible in most editors; it often comes from copy and paste)")]
    except yaml.YAMLError as exc:
        return None, [error(Loc(shown), "E100", f"invalid YAML: {' '.join(str(exc).split())}", "fix the YAML syntax")]
    except RecursionError:
        return None, [_too_deep(shown)]
    finally:
        if loader is not None:
            loader.dispose()
    if loader.alias_diags:
        return None, loader.alias_diags
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
    except RecursionError:
        return None, [_too_deep(shown)]
    if any(d.code == "E102" for d in diags):
        return None, diags
    return doc, diags


def _too_deep(shown: str) -> Diagnostic:
    return error(Loc(shown), "E103", "YAML is nested too deeply", "flatten the lists and mappings")


def _syntax_error(exc: yaml.MarkedYAMLError, shown: str) -> Diagnostic:
    """One located E100 with PyYAML's problem and, where it helps, what it was reading."""
    problem = exc.problem or "invalid YAML"
    mark, start = exc.problem_mark or exc.context_mark, exc.context_mark
    context = exc.context if exc.context and start is not None else ""
    hint = ("check indentation, colons and quotes; quote strings that contain ': ' "
            "or start with a special character")
    if "\\t" in problem or "tab" in problem:
        hint = _TAB_HINT
    if context.startswith("expected"):
        # "expected a single document in the stream" / "but found another document"
        problem = f"{context} {problem}"
        if "another document" in problem:
            hint = "remove the '---' line: a curriculum file holds one YAML document"
    elif context and ("end of stream" in problem or "<stream end>" in problem):
        # The end of the file is no place to look: point at what was never closed.
        problem, mark = f"{problem} {context}", start
        hint = "close the quote or bracket that starts here"
    elif context and start is not None:
        problem = f"{problem} {context} that starts at line {start.line + 1}, column {start.column + 1}"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return error(Loc(shown, line, col), "E100", f"invalid YAML: {problem}", hint)


_ALIAS_HINT = "write the value out in full"


class _AliasCheckingLoader(yaml.SafeLoader):
    """The safe loader, reporting every alias (``*name``) and merge key (``<<``) where it is written.

    Composed nodes no longer know where an alias stood (an alias *is* its anchor's node), so
    aliases are caught while composing; nothing is expanded.
    """

    def __init__(self, text: str, shown: str) -> None:
        super().__init__(text)
        self.shown = shown
        self.alias_diags: list[Diagnostic] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            if isinstance(index, yaml.ScalarNode) and index.tag == "tag:yaml.org,2002:merge":
                mark = index.start_mark
                message, hint = "YAML merge keys (<<) are not allowed", "write the keys out in full"
            else:
                message, hint = "YAML aliases (*name) are not allowed", _ALIAS_HINT
            self.alias_diags.append(error(Loc(self.shown, mark.line + 1, mark.column + 1), "E102", message, hint))
            if self.peek_event().anchor not in self.anchors:  # type: ignore[no-untyped-call]
                self.get_event()  # type: ignore[no-untyped-call]
                return yaml.ScalarNode("tag:yaml.org,2002:null", "", mark, mark)
        return super().compose_node(parent, index)


_STD = "tag:yaml.org,2002:"
_KINDS = {"int": "whole number", "float": "number", "timestamp": "date", "bool": "true/false value",
          "binary": "binary value"}


def _unsupported_tag(loc: Loc, tag: str) -> Diagnostic:
    shown = "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag
    return error(loc, "E100", f"unsupported YAML tag '{shown}'",
                 "remove the tag: curriculum files hold plain text, numbers, lists and mappings")


def _bad_value(loc: Loc, node: yaml.Node, detail: str) -> Diagnostic:
    kind = _KINDS.get(node.tag[len(_STD):], "value") if node.tag.startswith(_STD) else "value"
    hint = "write dates as YYYY-MM-DD" if kind == "date" else "fix the value, or quote it to keep it as text"
    return error(loc, "E100", f"invalid {kind} '{node.value}' ({detail})", hint)


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
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if node.tag not in (_STD + "map", _STD + "seq"):
                self.diags.append(_unsupported_tag(loc, node.tag))
                return None
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            if "could not determine a constructor" in (exc.problem or ""):
                self.diags.append(_unsupported_tag(loc, node.tag))
            else:
                self.diags.append(_bad_value(loc, node, exc.problem or str(exc)))
            return None
        except Exception as exc:  # noqa: BLE001 - int(), float(), date() on a malformed scalar
            self.diags.append(_bad_value(loc, node, str(exc)))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.diags.append(error(loc, "E203", f"'{node.value}' is not a usable number",
                                    "write an ordinary number such as 5 or 1.5"))
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, path: YPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_loc = Loc(self.doc.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.diags.append(error(key_loc, "E102", "YAML merge keys (<<) are not allowed",
                                        "write the keys out in full"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                self.diags.append(error(key_loc, "E203", f"a key must be text, not {kind}",
                                        "write the key as plain text followed by ':'"))
                continue
            key = key_node.value
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


_FRONT = re.compile(r"\A---\n(.*?\n)?---\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split ``---`` front matter from a Markdown page: (yaml, body, body's first line)."""
    match = _FRONT.match(text)
    if not match:
        return "", text, 1
    front = match.group(1) or ""
    return front, text[match.end():], front.count("\n") + 3
