"""What runs inside the measured subprocesses: ``python -m benchmarks.drivers KIND ...``.

Each driver writes a small JSON file with the timings it takes from inside (so that the
parent can split a process into its parts); the parent measures the whole process.

* ``build ROOT OUT``: ``cda build`` through the real CLI, with timers around the steps of
  :func:`build_tools.site.build.build_site` (load+validate, generate, write docs, MkDocs, assemble);
* ``msgmerge SNAP POTS WORK OUT``: GNU ``msgmerge --previous``, one run per catalog;
* ``babel SNAP POTS OUT [--single]``: Babel's ``Catalog.update`` with fuzzy matching, per
  catalog, or (``--single``) on one catalog per language holding every document's messages;
* ``ours-md LIST WORK OUT``: extraction (``segment``) and application (``apply`` from a
  catalog read back with ``parse_po``) on the module readings, and the identity round trip.

The mdpo driver is :mod:`benchmarks.mdpo_driver` (it runs in its own virtual environment).
"""

from __future__ import annotations

import functools
import io
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

LANGS = ("es", "pt")
LOCALES = {"es": "es_419", "pt": "pt_BR"}


def _dump(path: str, data: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(data, indent=1), "utf-8")


def build(root: str, out: str) -> int:
    t0 = time.perf_counter()
    from build_tools import cli
    from build_tools.site import build as site

    marks: dict[str, float] = {"imports": time.perf_counter() - t0}
    first: dict[str, float] = {}
    cpu_first: dict[str, float] = {}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            first.setdefault(name, start - t0)
            cpu_first.setdefault(name, time.process_time())
            try:
                return fn(*args, **kwargs)
            finally:
                marks[name] = marks.get(name, 0.0) + time.perf_counter() - start
        return wrapper

    for name in ("load_valid", "generate", "write_docs", "build_languages", "assemble", "swap_dir"):
        if hasattr(site, name):
            setattr(site, name, timed(name, getattr(site, name)))
    code = cli.main(["build", "--root", root, "-q"])
    end = time.perf_counter() - t0
    mkdocs_from = first.get("build_languages", end)
    _dump(out, {"steps": marks, "total_inside": end, "before_mkdocs_inside": mkdocs_from,
                "from_mkdocs_to_end": end - mkdocs_from, "cpu_before_mkdocs": cpu_first.get("build_languages"),
                "returncode": code})
    return code


def _pairs(snap: Path, pots: Path) -> list[tuple[str, Path, Path]]:
    return [(lang, po, pots / f"{po.stem}.pot")
            for lang in LANGS for po in sorted((snap / lang / "LC_MESSAGES").glob("*.po"))
            if (pots / f"{po.stem}.pot").exists()]


def msgmerge(snap: str, pots: str, work: str, out: str) -> int:
    t0 = time.perf_counter()
    failures = 0
    pairs = _pairs(Path(snap), Path(pots))
    for lang, po, pot in pairs:
        target = Path(work) / lang / po.name
        target.parent.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["msgmerge", "--previous", "--quiet", "-o", str(target), str(po), str(pot)],
                              capture_output=True, check=False)
        failures += proc.returncode != 0
    _dump(out, {"catalogs": len(pairs), "failures": failures, "seconds": time.perf_counter() - t0})
    return 1 if failures else 0


def babel(snap: str, pots: str, out: str, single: bool = False) -> int:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    t0 = time.perf_counter()
    pairs = _pairs(Path(snap), Path(pots))
    update_s = 0.0
    changed = 0
    if not single:
        for lang, po, pot in pairs:
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=LOCALES[lang])
            with pot.open("rb") as fh:
                template = read_po(fh)
            start = time.perf_counter()
            catalog.update(template, no_fuzzy_matching=False)
            update_s += time.perf_counter() - start
            changed += sum(1 for m in catalog if m.id and m.fuzzy)
            write_po(io.BytesIO(), catalog)
    else:
        for lang in LANGS:
            catalog, template = Catalog(locale=LOCALES[lang]), Catalog()
            for _, po, pot in (p for p in pairs if p[0] == lang):
                for source, target in ((po, catalog), (pot, template)):
                    with source.open("rb") as fh:
                        part = read_po(fh, locale=LOCALES[lang] if source is po else None)
                    for m in part:
                        if m.id:
                            target.add(m.id, m.string, locations=m.locations, flags=m.flags,
                                       context=f"{po.stem}|{m.context or ''}")
            start = time.perf_counter()
            catalog.update(template, no_fuzzy_matching=False)
            update_s += time.perf_counter() - start
            changed += sum(1 for m in catalog if m.id and m.fuzzy)
            write_po(io.BytesIO(), catalog)
    _dump(out, {"catalogs": len(pairs), "single": single, "update_seconds": update_s, "fuzzy_after": changed,
                "seconds": time.perf_counter() - t0})
    return 0


def ours_md(listing: str, work: str, out: str) -> int:
    from benchmarks.pseudo import is_translated, pseudo_translate
    from build_tools.i18n.translation import lookup_table
    from build_tools.text.po import Entry, PoFile, format_po, parse_po
    from build_tools.text.segment import apply, segment

    files = [Path(p) for p in Path(listing).read_text("utf-8").split("\n") if p]
    texts = [f.read_text("utf-8") for f in files]
    extract_s = apply_s = 0.0
    messages = 0
    identical = translated_ok = 0
    parts = {"parse_po": 0.0, "lookup_table": 0.0, "apply": 0.0}
    for i, text in enumerate(texts):
        start = time.perf_counter()
        seen: dict[str, None] = {}
        for seg in segment(text):
            seen.setdefault(seg.text)
        extract_s += time.perf_counter() - start
        messages += len(seen)
        po = PoFile(header={"Content-Type": "text/plain; charset=UTF-8"})
        po.entries = [Entry(m, pseudo_translate(m, "es") if is_translated("es", None, m) else "") for m in seen]
        po_path = Path(work) / f"ours-{i}.po"
        po_path.write_text(format_po(po), "utf-8")
        start = time.perf_counter()
        parsed, _ = parse_po(po_path.read_text("utf-8"), str(po_path))
        mid1 = time.perf_counter()
        table = lookup_table(parsed)
        mid2 = time.perf_counter()
        result = apply(text, lambda s, t=table: t.get((None, s.text)))
        end = time.perf_counter()
        apply_s += end - start
        parts["parse_po"] += mid1 - start
        parts["lookup_table"] += mid2 - mid1
        parts["apply"] += end - mid2
        translated_ok += result != text
        identical += apply(text, lambda s: s.text) == text
    _dump(out, {"files": len(files), "messages": messages, "extract_seconds": extract_s, "apply_seconds": apply_s,
                "roundtrip_identical": identical, "translated_pages": translated_ok,
                "apply_parts": parts})
    return 0


def main(argv: list[str]) -> int:
    kind, args = argv[0], argv[1:]
    if kind == "build":
        return build(*args)
    if kind == "msgmerge":
        return msgmerge(*args)
    if kind == "babel":
        single = "--single" in args
        return babel(*[a for a in args if a != "--single"], single=single)
    if kind == "ours-md":
        return ours_md(*args)
    raise SystemExit(f"unknown driver {kind}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
