"""The memo of ``docs/``: what the last build wrote there, under the digest of its inputs.

A build whose inputs are unchanged (every file under ``curriculum/``, ``mkdocs.yml``, the code
of ``build_tools`` and the versions of the libraries it renders with, ``--strict`` and
``--offline``) and whose ``docs/`` is still what it wrote skips validation and generation: it
repeats the diagnostics it printed then and goes straight to MkDocs. Any change, or a ``docs/``
someone touched, runs everything again. The memo lives in ``.cache/cda/`` (safe to delete).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata
from pathlib import Path

from build_tools.base.diagnostics import Diagnostic, Loc, Report, Severity
from build_tools.base.fsutil import atomic_write
from build_tools.check.project import Project
from build_tools.text.safety import rules_version

PACKAGE = Path(__file__).resolve().parents[1]
"""``build_tools/``: its modules, schemas and theme make part of every digest."""
LIBRARIES = ("PyYAML", "babel", "jsonschema")
"""What loading, validation and dates use besides the renderers (``rules_version`` names those)."""
NAME = "docs-memo.json"


@cache
def code_version() -> str:
    """Changes with any file of ``build_tools`` (not its caches) or a library version (the
    renderers' through the safety guard's ``rules_version``)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(rules_version().encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in LIBRARIES:
        h.update(f"{dist}={metadata.version(dist)};".encode())
    return h.hexdigest()


def inputs_digest(project: Project, strict: bool, offline: bool) -> str:
    """One digest of everything that decides what ``docs/`` holds and what the build reports."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{code_version()};strict={strict};offline={offline};".encode())
    files = [project.root / "mkdocs.yml", *sorted(project.curriculum.rglob("*"))]
    for path in files:
        if path.is_file():
            h.update(path.relative_to(project.root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def docs_digests(docs: Path) -> dict[str, str]:
    """Every file of ``docs/`` and the digest of its bytes."""
    return {p.relative_to(docs).as_posix(): _file_digest(p.read_bytes())
            for p in sorted(docs.rglob("*")) if p.is_file()}


def recall(project: Project, key: str) -> Report | None:
    """The report of the build that wrote ``docs/`` from these inputs, if ``docs/`` is as it left
    it; ``None`` otherwise (the build then runs in full)."""
    try:
        memo = json.loads((project.cache / NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(memo, dict) or memo.get("inputs") != key or not project.docs.is_dir():
        return None
    if docs_digests(project.docs) != memo.get("docs"):
        return None
    return Report([Diagnostic(Loc(d["path"], d["line"], d["column"]), d["code"], d["message"], d["hint"],
                              Severity(d["severity"])) for d in memo.get("report", [])])


def remember(project: Project, key: str, report: Report) -> None:
    """Keep the digest of these inputs, what ``docs/`` now holds, and the report (atomically)."""
    memo = {"inputs": key, "docs": docs_digests(project.docs), "report": [d.as_json() for d in report.items]}
    project.cache.mkdir(parents=True, exist_ok=True)
    atomic_write(project.cache / NAME, json.dumps(memo, ensure_ascii=False, sort_keys=True) + "\n")
