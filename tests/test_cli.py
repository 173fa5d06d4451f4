"""The command line on the real curriculum and on small projects."""

from __future__ import annotations

import json

from conftest import ROOT


def test_validate_real_curriculum_is_clean(cda) -> None:
    code, out, _ = cda("validate", "--root", ROOT, "--strict")
    assert code == 0, out
    assert out.strip().endswith("0 errors, 0 warnings")


def test_validate_json_format(make_project, cda) -> None:
    root = make_project()
    (root / "curriculum/tracks/core.yaml").write_text("id: core\ntitel: x\n", "utf-8")
    code, out, _ = cda("validate", "--root", root, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["errors"] >= 1
    first = data["diagnostics"][0]
    assert set(first) == {"path", "line", "column", "severity", "code", "message", "hint"}


def test_export_json_has_the_model(cda) -> None:
    code, out, _ = cda("export", "--root", ROOT, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"program", "tracks", "modules", "workshops", "glossary"} <= set(data)
    module = next(m for m in data["modules"] if m["id"] == "core-01-leading-with-data")
    for key in ("id", "track", "title", "objectives", "exercises", "resources", "reading", "workshops"):
        assert module[key], key
    assert module["reading"].startswith("##")
    ws = next(w for w in data["workshops"] if w["id"] == module["workshops"][0])
    assert ws["duration"] == sum(b["minutes"] for b in ws["agenda"])


def test_new_module_scaffold_validates(make_project, cda) -> None:
    root = make_project()
    code, out, _ = cda("new", "module", "--root", root, "--track", "core", "--id", "core-02-measure", "--month", "2")
    assert code == 0, out
    assert (root / "curriculum/modules/core/core-02-measure.yaml").exists()
    assert (root / "curriculum/workshops/core/core-02-measure-workshop.yaml").exists()
    assert "core-02-measure" in (root / "curriculum/tracks/core.yaml").read_text("utf-8")
    code, out, _ = cda("validate", "--root", root, "--strict")
    assert code == 0, out


def test_new_module_refuses_existing_id(make_project, cda) -> None:
    root = make_project()
    code, _, err = cda("new", "module", "--root", root, "--track", "core", "--id", "core-01-leading-with-data")
    assert code == 1 and "already exists" in err


def test_every_command_has_help() -> None:
    from build_tools.cli import COMMANDS, make_parser

    parser = make_parser()
    for name in COMMANDS:
        assert parser._subparsers._group_actions[0].choices[name].format_help().startswith("usage: cda " + name)
