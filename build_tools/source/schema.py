"""Structural validation of YAML documents against the JSON Schemas in ``schema/``.

jsonschema finds the problems; this module turns each into a located diagnostic with a
hint, including "did you mean" for unknown keys and misspelt values.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from build_tools.base.diagnostics import Diagnostic, error
from build_tools.source.sources import YamlDoc

KINDS = ("program", "track", "module", "workshop", "glossary", "page", "cohort", "case", "handout")


@cache
def load_schema(kind: str) -> dict[str, Any]:
    text = resources.files("build_tools").joinpath(f"schema/{kind}.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def one_line(value: Any, limit: int = 80) -> str:
    """A value as it can appear inside a one-line diagnostic: line breaks shown as \\n, long text cut."""
    text = str(value).replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _name(path: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for p in path:
        if isinstance(p, int):
            parts.append(f"[{p + 1}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts) or "document"


_TYPES = {"string": "text", "integer": "a whole number", "number": "a number", "array": "a list",
          "object": "a mapping (key: value)", "boolean": "true or false"}


def _describe(value: Any) -> str:
    for t, name in ((bool, "true/false"), (str, "text"), (int, "a number"), (float, "a decimal number"),
                    (list, "a list"), (dict, "a mapping"), (type(None), "empty")):
        if isinstance(value, t):
            return name
    return type(value).__name__


def _entries(n: int) -> str:
    return f"{n} {'entry' if n == 1 else 'entries'}"


def _upto(sch: dict[str, Any]) -> str:
    most = sch.get("maxItems")
    return f" (at most {most} in all)" if isinstance(most, int) else ""


def validate_doc(doc: YamlDoc, kind: str) -> list[Diagnostic]:
    """Check one parsed document against its schema; one diagnostic per problem."""
    schema = load_schema(kind)
    validator = jsonschema.Draft202012Validator(schema)
    out: list[Diagnostic] = []
    for err in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        out.extend(_convert(doc, kind, err))
    return out


def _convert(doc: YamlDoc, kind: str, err: jsonschema.ValidationError) -> list[Diagnostic]:
    path = tuple(err.absolute_path)
    loc = doc.loc(path)
    name = _name(path)
    v, inst = err.validator, err.instance
    sch: dict[str, Any] = dict(err.schema) if isinstance(err.schema, dict) else {}
    val: Any = err.validator_value
    if v == "additionalProperties" and isinstance(inst, dict):
        known = list(sch.get("properties", {}))
        out = []
        for key in sorted(set(inst) - set(known)):
            hint = did_you_mean(key, known) or f"allowed keys: {', '.join(known)}"
            where = f" in {name}" if path else ""
            out.append(error(doc.key_loc(path + (key,)), "E201", f"unknown key '{key}'{where}", hint))
        return out
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else str(val)
        where = f"{name} " if path else f"{kind} "
        extra = sch.get("properties", {}).get(missing, {}).get("x-hint", "")  # a schema's own advice
        return [error(loc, "E202", f"{where}is missing the required key '{missing}'",
                      f"add '{missing}:'{' ' + extra if extra else ''}; see AUTHORING.md for the {kind} format")]
    if v == "type":
        kinds = val if isinstance(val, list) else [val]
        want = " or ".join(_TYPES.get(str(k), str(k)) for k in kinds)
        return [error(loc, "E203", f"'{name}' must be {want}, not {_describe(inst)}",
                      "fix the value's type (quote text, remove quotes from numbers)")]
    if v == "enum":
        choices = [str(c) for c in val]
        hint = did_you_mean(str(inst), choices) or f"use one of: {', '.join(choices)}"
        return [error(loc, "E204", f"'{name}' has the unknown value '{one_line(inst)}'", hint)]
    if v == "pattern":
        if "a-z0-9" in str(val):
            return [error(loc, "E205", f"'{name}' is not a valid id: '{one_line(inst)}'",
                          "use a slug: lower-case letters, digits and single hyphens (e.g. 'core-01-leading-with-data')")]
        if str(val).startswith("^https?://"):
            return [error(loc, "E205", f"'{name}' is not a full web address: '{one_line(inst)}'",
                          "write the whole URL, starting with https://")]
        return [error(loc, "E205", f"'{name}' has an invalid format: '{one_line(inst)}'",
                      f"the value must match {val}")]
    if v == "minItems" and isinstance(inst, list) and inst and int(val) > 1:
        least = int(val)
        return [error(loc, "E206", f"'{name}' has {_entries(len(inst))}; it needs at least {least}",
                      f"add {_entries(least - len(inst))}" + _upto(sch))]
    if v in ("minItems", "minLength"):
        return [error(loc, "E206", f"'{name}' must not be empty", "add at least one entry")]
    if v == "maxItems" and isinstance(inst, list):
        most = int(val)
        return [error(loc, "E207", f"'{name}' has {_entries(len(inst))}; it may have at most {most}",
                      f"keep the {most} that matter most, or merge some of them")]
    if v in ("minimum", "maximum", "maxLength"):
        return [error(loc, "E207", f"'{name}' is out of range: {inst!r} ({err.message})",
                      "use a value within the allowed range")]
    if v == "uniqueItems":
        return [error(loc, "E208", f"'{name}' lists the same value twice", "remove the duplicate")]
    return [error(loc, "E200", f"'{name}': {err.message}", "see AUTHORING.md for the format")]
