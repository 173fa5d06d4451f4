"""The terminology check (G300): the glossary's required translation where the English uses a
term, in any regular inflection, except where the glossary says the word has its everyday sense."""

from __future__ import annotations

import pytest

from build_tools.base.diagnostics import Loc
from build_tools.i18n.qa import check_terms
from build_tools.source.model import Term

# Terms built by hand (no source file): doc and ypath are only used to locate errors.

LOC = Loc("x.po", 1, 1)
PLAN = Term(None, (), id="evaluation-plan", term="plan", definition="d", translations=(("es", "plan"), ("pt", "plano")))
ACTION = Term(None, (), id="action", term="action", definition="d", translations=(("es", "acción"), ("pt", "ação")))
MATCHING = Term(None, (), id="matching", term="matching", definition="d", translations=(("es", "emparejamiento"), ("pt", "pareamento")),
                ordinary_sense=("matching assignment rules",))


def codes(src: str, dst: str, lang: str, term: Term) -> list[str]:
    return [d.code for d in check_terms(src, dst, lang, (term,), LOC)]


@pytest.mark.parametrize("lang, dst", [
    ("es", "Cada dependencia publica sus planes."),   # plan → planes
    ("pt", "Cada secretaria publica seus planos."),   # plano → planos
])
def test_short_terms_are_found_in_their_plural(lang: str, dst: str) -> None:
    assert codes("Each agency publishes its plans.", dst, lang, PLAN) == []


def test_portuguese_plurals_of_words_in_ao() -> None:
    assert codes("Three actions follow.", "Seguem três ações.", "pt", ACTION) == []
    assert codes("Three actions follow.", "Seguem três medidas.", "pt", ACTION) == ["G300"]


def test_a_missing_term_is_still_reported() -> None:
    assert codes("Each agency publishes its plans.", "Cada dependencia publica su agenda.", "es", PLAN) == ["G300"]


def test_everyday_sense_listed_in_the_glossary_is_not_reported() -> None:
    src = "Coaches teams on matching assignment rules to designs."
    assert codes(src, "Orienta a los equipos para hacer corresponder reglas y diseños.", "es", MATCHING) == []
    # the same word elsewhere in the message is still the glossary's term
    src2 = "Coaches teams on matching assignment rules to designs, then explains matching."
    assert codes(src2, "Orienta a los equipos y luego explica otra técnica.", "es", MATCHING) == ["G300"]
    assert codes(src2, "Orienta a los equipos y luego explica el emparejamiento.", "es", MATCHING) == []


def test_snake_case_names_are_code_not_terms() -> None:
    steward = Term(None, (), id="data-steward", term="data steward", definition="d", translations=(("es", "custodio de datos"), ("pt", "curador")))
    assert codes("data_steward", "data_steward", "es", steward) == []
    assert codes("The data steward signs.", "El responsable firma.", "es", steward) == ["G300"]


def test_a_term_never_matches_across_punctuation() -> None:
    quality = Term(None, (), id="data-quality", term="data quality", definition="d",
                   translations=(("es", "calidad de los datos"), ("pt", "qualidade dos dados")))
    src = "Sheets for four dimensions (use of data, quality of questions)."
    assert codes(src, "Fichas para cuatro dimensiones (uso de los datos, calidad de las preguntas).", "es", quality) == []
    assert codes("Check data quality.", "Revise los datos.", "es", quality) == ["G300"]
