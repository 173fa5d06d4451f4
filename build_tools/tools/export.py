"""Export the validated model as one JSON document for other tools."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from typing import Any

from build_tools.source import model as m


def _node(obj: m.Node, *skip: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in obj.__dataclass_fields__:
        if name in ("doc", "ypath", *skip):
            continue
        value = getattr(obj, name)
        if isinstance(value, tuple):
            value = [_plain(v) for v in value]
        out[name] = value
    out["source"] = str(obj.loc())
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, m.Node):
        return _node(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)  # e.g. a Language
    return value


def export_model(cur: m.Curriculum) -> dict[str, Any]:
    """The curriculum as plain data: program, tracks, modules, workshops, glossary, pages, cases, handouts."""
    program = _node(cur.program) if cur.program else {}
    modules = []
    for mod in sorted(cur.modules, key=lambda x: x.id):
        data = _node(mod, "reading")
        data["reading"] = mod.reading.text if mod.reading else ""
        modules.append(data)
    workshops = []
    for ws in sorted(cur.workshops, key=lambda x: x.id):
        data = _node(ws, "group_min", "group_max")
        data["group_size"] = {"min": ws.group_min, "max": ws.group_max}
        workshops.append(data)
    pages = []
    for page in sorted(cur.pages, key=lambda x: x.id):
        data = _node(page, "body")
        data["body"] = page.body.text if page.body else ""
        pages.append(data)
    cases = []
    for case in sorted(cur.cases, key=lambda x: x.id):
        data = _node(case, "body", "population", "year_start", "year_end")
        pop = case.population
        data["population"] = ({"value": pop.value, "year": pop.year, "source": pop.source_index}
                              if pop is not None else None)
        data["years"] = {"start": case.year_start, "end": case.year_end or None}
        data["story"] = case.body.text if case.body else ""
        cases.append(data)
    handouts = [_node(h, "body") | {"body": h.body.text if h.body else ""}
                for h in sorted(cur.handouts, key=lambda x: x.id)]
    return {
        "program": program,
        "tracks": [_node(t) for t in cur.ordered_tracks()],
        "modules": modules,
        "workshops": workshops,
        "glossary": [_node(t) for t in sorted(cur.glossary, key=lambda x: x.id)],
        "pages": pages,
        "cases": cases,
        "handouts": handouts,
    }


def export_json(cur: m.Curriculum) -> str:
    return json.dumps(export_model(cur), indent=2, ensure_ascii=False) + "\n"
