"""Languages are data: a fourth language needs program.yaml and the glossary, and nothing else."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from build_tools.base.languages import Language, languages_from, read_languages

FRENCH = {"code": "fr", "name": "Français", "locale": "fr_CA", "tag": "fr-CA",
          "team": "French (Canada)", "site_name": "Programme de leadership en données pour les villes"}
FRENCH_TERMS = {"baseline": "situation de référence", "target": "cible"}


def add_french(root: Path) -> None:
    """The only edits a course team makes: one entry in program.yaml, one key per glossary term."""
    program = root / "curriculum/program.yaml"
    data = yaml.safe_load(program.read_text("utf-8"))
    data["languages"].append(FRENCH)
    program.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    for path in sorted((root / "curriculum/glossary").glob("*.yaml")):
        gloss = yaml.safe_load(path.read_text("utf-8"))
        for term in gloss["terms"]:
            term["fr"] = FRENCH_TERMS.get(term["id"], f"{term['term']} (fr)")
        path.write_text(yaml.safe_dump(gloss, allow_unicode=True, sort_keys=False), "utf-8")


def test_the_course_languages_come_from_program_yaml() -> None:
    root = Path(__file__).resolve().parent.parent
    langs = read_languages(root)
    assert [x.code for x in langs] == ["en", "es", "pt"]
    assert langs[1] == Language("es", "Español", "es_419", "es-419", "Spanish (Latin America)",
                                "Programa de Liderazgo en Datos para Ciudades", "es", "es")
    assert langs[1].formatting == "es" and langs[2].formatting == "pt_BR"
    assert languages_from(None) == languages_from([{"code": "xx"}]) == (Language("en", "English", "en", "en"),)


def test_a_fourth_language_needs_only_program_yaml_and_the_glossary(make_project, cda) -> None:
    root = make_project()
    add_french(root)
    code, out, err = cda("validate", "--root", root, "--strict")
    assert code == 0, out + err
    assert cda("extract", "--root", root)[0] == 0
    code, out, err = cda("update", "--root", root)
    assert code == 0, out + err
    header = (root / "curriculum/locales/fr/LC_MESSAGES/glossary.po").read_text("utf-8")
    assert '"Language: fr_CA\\n"' in header and '"Language-Team: French (Canada)\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header  # French: 0 and 1 are singular
    code, out, _ = cda("stats", "--root", root, "--lang", "fr", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows and {r["language"] for r in rows} == {"fr"}
    assert all(r["translated"] == 0 and r["untranslated"] == r["messages"] for r in rows)
    code, out, err = cda("check", "--root", root, "--strict", "--lang", "fr")
    assert code == 0, out + err
    code, out, err = cda("build", "--root", root)
    assert code == 0, out + err
    site = root / "site"
    page = (site / "fr/index.html").read_text("utf-8")
    assert re.search(r'<html lang="fr"', page)
    assert "Programme de leadership en données pour les villes" in page
    assert json.loads((site / "fr/search/search_index.json").read_text("utf-8"))["config"]["lang"] == ["fr"]
    entry = json.loads((site / "fr/pagefind/pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["fr"]  # French pages, stemmed as French
    # every language's switcher lists French, and French's lists the others, on the same page
    assert 'hreflang="fr"' in (site / "index.html").read_text("utf-8")
    assert 'href="./../es/"' in page or 'href="../es/"' in page or 'hreflang="es"' in page
    glossary = (site / "fr/glossary/index.html").read_text("utf-8")
    assert "situation de référence" in glossary and "Français" in glossary
    code, out, err = cda("playbook", "--root", root, "core-01-mayors-session", "--lang", "fr", "-o", root / "p.html")
    assert code == 0, out + err
    assert (root / "p.html").read_text("utf-8").startswith('<!DOCTYPE html>\n<html lang="fr-CA">')


def test_a_language_not_in_program_yaml_is_refused_with_the_list(make_project, cda) -> None:
    root = make_project()
    code, _, err = cda("stats", "--root", root, "--lang", "fr")
    assert code == 1
    assert err == ("error: unknown language 'fr': this course's translation languages are es, pt "
                   "(program.yaml, languages:)\n")


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: d["languages"].insert(0, d["languages"].pop(1)),
     "error[E310]: the first language is 'es', but the curriculum is written in English"),
    (lambda d: d["languages"].append(dict(FRENCH, locale="fr_XX")),
     "error[E311]: 'fr_XX' is not a locale Babel knows"),
    (lambda d: d["languages"].append(FRENCH),
     "error[E312]: glossary term 'baseline' has no Français (fr) translation"),
])
def test_language_mistakes_are_reported(make_project, cda, edit, expected) -> None:  # type: ignore[no-untyped-def]
    root = make_project()
    program = root / "curriculum/program.yaml"
    data = yaml.safe_load(program.read_text("utf-8"))
    edit(data)
    program.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    code, out, _ = cda("validate", "--root", root)
    assert code == 1 and expected in out, out


def test_a_glossary_key_that_is_not_a_course_language_is_an_error(make_project, cda) -> None:
    root = make_project()
    path = root / "curriculum/glossary/core.yaml"
    path.write_text(path.read_text("utf-8").replace("    pt: meta\n", "    pt: meta\n    pr: meta\n", 1), "utf-8")
    code, out, _ = cda("validate", "--root", root)
    assert code == 1
    assert "error[E313]: glossary term 'target' has a translation for 'pr', which is not one of the course's " \
           "languages" in out and "hint: program.yaml's languages are: en, es, pt" in out, out
