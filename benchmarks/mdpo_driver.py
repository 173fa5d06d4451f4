"""mdpo's API on the module readings: ``python benchmarks/mdpo_driver.py LIST WORK OUT``.

Runs in the virtual environment that holds mdpo (see :func:`benchmarks.run.mdpo_python`), so
it imports nothing from the project but :mod:`benchmarks.pseudo`. Times the same two steps as
the ``ours-md`` driver: extraction (``markdown_to_pofile``, not saved) and application
(``pofile_to_markdown`` from a catalog file on disk), plus the identity round trip (every
msgstr = msgid: is the page reproduced byte for byte?).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pseudo import is_translated, pseudo_translate  # noqa: E402


def main(listing: str, work: str, out: str) -> int:
    from mdpo.md2po import markdown_to_pofile
    from mdpo.po2md import pofile_to_markdown

    files = [Path(p) for p in Path(listing).read_text("utf-8").split("\n") if p]
    extract_s = apply_s = 0.0
    messages = identical = translated_pages = 0
    for i, path in enumerate(files):
        text = path.read_text("utf-8")
        start = time.perf_counter()
        po = markdown_to_pofile(text)
        extract_s += time.perf_counter() - start
        messages += len(po)
        for entry in po:
            entry.msgstr = pseudo_translate(entry.msgid, "es") if is_translated("es", None, entry.msgid) else ""
        po_path = Path(work) / f"mdpo-{i}.po"
        po.save(str(po_path))
        start = time.perf_counter()
        result = pofile_to_markdown(text, [str(po_path)])
        apply_s += time.perf_counter() - start
        translated_pages += result != text
        for entry in po:
            entry.msgstr = entry.msgid
        same_path = Path(work) / f"mdpo-{i}-identity.po"
        po.save(str(same_path))
        identical += pofile_to_markdown(text, [str(same_path)]) == text
    Path(out).write_text(json.dumps({
        "files": len(files), "messages": messages, "extract_seconds": extract_s, "apply_seconds": apply_s,
        "roundtrip_identical": identical, "translated_pages": translated_pages}, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
