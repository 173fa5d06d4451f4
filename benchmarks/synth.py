"""Deterministic synthetic curricula: N modules of ~1,000-word readings, workshops, glossary, catalogs.

All text is filler built here from a word list by a seeded random generator: no copyrighted
text, and the same ``(n, seed)`` always gives byte-identical files. Readings use every
construct AUTHORING.md allows (headings, lists, nested lists, tables, admonitions with quoted
titles, ``module:``/``glossary:``/``track:`` and ``https`` links, code fences, translator notes).

Catalogs are "translated" by :func:`pseudo_translate`, a transformation of the msgid that
keeps every piece of Markdown (code spans, link targets, emphasis markers, placeholders, HTML)
byte-identical and changes only words, so ``cda check`` accepts it; a fixed fraction of
messages (by a hash of the message) is left untranslated so the English fallback path runs.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from benchmarks.pseudo import is_translated, pseudo_translate

WORDS = ["city", "team", "data", "budget", "service", "resident", "street", "program", "office", "report", "measure", "target", "goal", "priority", "council", "review", "plan", "meeting", "leader", "mayor", "department", "staff", "result", "outcome", "change", "week", "month", "year", "quarter", "record", "permit", "request", "water", "transit", "housing", "school", "health", "park", "road", "waste", "safety", "response", "time", "cost", "value", "contract", "vendor", "payment", "market", "partner", "survey", "community", "neighborhood", "district", "block", "map", "layer", "table", "column", "source", "owner", "steward", "policy", "standard", "rule", "process", "step", "routine", "habit", "practice", "method", "design", "test", "trial", "pilot", "sample", "group", "control", "baseline", "trend", "rate", "share", "count", "total", "average", "median", "range", "signal", "pattern", "question", "answer", "decision", "choice", "option", "risk", "issue", "problem", "cause", "effect", "impact", "evidence", "finding", "lesson", "note", "summary", "draft", "version", "copy", "page", "section", "chapter", "list", "item", "entry", "field", "value", "label", "name", "title", "number", "amount", "figure", "chart", "graph", "dashboard", "portal", "platform", "system", "tool", "model", "script", "query", "file", "folder", "archive", "store", "warehouse", "pipeline", "feed", "stream", "update", "release", "launch", "rollout", "support", "training", "coach", "session", "workshop", "lab", "sprint", "cohort", "peer", "network", "alliance", "region", "state", "nation", "public", "private", "local", "regional", "central", "shared", "open", "clear", "simple", "direct", "strong", "weak", "early", "late", "small", "large", "short", "long", "new", "old", "first", "last", "next", "careful", "honest", "useful", "practical", "steady", "regular", "formal", "informal", "visible", "quiet", "urgent", "common", "local", "senior", "junior", "frontline", "daily", "weekly", "monthly", "yearly", "annual", "joint", "single", "collect", "clean", "check", "share", "publish", "compare", "explain", "measure", "track", "review", "agree", "assign", "support", "improve", "reduce", "increase", "protect", "respect", "invite", "listen", "decide", "build", "test", "learn", "adapt", "repeat", "record", "report", "fund", "hire", "buy", "pay", "manage", "lead", "run", "plan", "set", "keep", "hold", "meet", "ask", "answer", "write", "read", "sign", "send", "receive", "open", "close", "start", "finish", "fix", "move", "change", "use", "because", "while", "when", "where", "after", "before", "during", "until", "unless", "although", "since", "whether", "and", "but", "or", "so", "yet", "also", "often", "rarely", "always", "never", "usually", "sometimes", "only", "even", "still", "already", "the", "a", "an", "this", "that", "these", "those", "each", "every", "some", "many", "few", "most", "more", "less", "other", "such", "with", "for", "from", "into", "onto", "over", "under", "about", "across", "between", "through", "without", "within", "along"]
COINED = ["vel", "mor", "qua", "stin", "dra", "pel", "zu", "ron", "kai", "tesh", "bri", "lo",
          "fen", "gar", "vo", "lix", "nu", "tram", "sok", "eph"]
TRACKS = [
    ("core", "Core program", "acceleration", "core"),
    ("performance-management", "Performance management", "technical-assistance", "pm"),
    ("evaluation", "Evaluation", "technical-assistance", "ev"),
    ("results-driven-contracting", "Results-driven contracting", "technical-assistance", "rdc"),
    ("data-as-a-service", "Data as a service", "technical-assistance", "daas"),
]
ROLES = ["mayor", "chief-data-officer", "data-alliance-lead", "senior-leader", "coach"]
ADMONITIONS = ["note", "tip", "warning", "example", "info", "quote"]
METHODS = ["Plenary", "1-2-4-All", "Troika Consulting", "Case clinic", "Gallery walk", "Small groups"]
IDENTS = ["record", "target", "baseline", "score", "weight", "row", "total", "rate", "permit", "ticket"]
PARAGRAPH = re.compile(r"^[A-Z][a-z]*[ ,]")


@dataclass
class Synth:
    """What the generator made, for the benchmark's later steps."""

    root: Path
    n: int
    modules: list[tuple[str, str]] = field(default_factory=list)      # (track, module id)
    words: int = 0                                                    # words in all readings

    def reading(self, track: str, mid: str) -> Path:
        return self.root / "curriculum" / "modules" / track / f"{mid}.md"

    def readings(self) -> list[Path]:
        return [self.reading(t, m) for t, m in self.modules]


class Writer:
    """Filler text from a seeded generator."""

    def __init__(self, rng: random.Random, modules: list[str], terms: list[str], tracks: list[str]) -> None:
        self.rng = rng
        self.modules = modules
        self.terms = terms
        self.tracks = tracks

    def words(self, lo: int, hi: int) -> list[str]:
        return [self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi))]

    def phrase(self, lo: int = 2, hi: int = 4) -> str:
        return " ".join(self.words(lo, hi))

    def title(self, lo: int = 3, hi: int = 6) -> str:
        return self.phrase(lo, hi).capitalize()

    def sentence(self, lo: int = 8, hi: int = 18, extras: bool = False) -> str:
        words = self.words(lo, hi)
        if len(words) > 6 and self.rng.random() < 0.3:
            words[self.rng.randrange(2, len(words) - 2)] += ","
        if extras:
            for _ in range(self.rng.choice((0, 1, 1, 2))):
                i = self.rng.randrange(1, len(words) - 1)
                if words[i][:1].isalpha():  # not twice: a link inside a link's text is no link
                    words[i] = self.inline(words[i])
        text = " ".join(words)
        return text[0].upper() + text[1:] + ("?" if self.rng.random() < 0.08 else ".")

    def inline(self, word: str) -> str:
        kind = self.rng.randrange(7)
        w = word.rstrip(",")
        if kind == 0:
            return f"**{w} {self.rng.choice(WORDS)}**"
        if kind == 1:
            return f"*{w}*"
        if kind == 2:
            return f"`{self.rng.choice(IDENTS)}_{self.rng.choice(IDENTS)}`"
        if kind == 3 and self.modules:
            return f"[{w} {self.rng.choice(WORDS)}](module:{self.rng.choice(self.modules)})"
        if kind == 4 and self.terms:
            return f"[{w}](glossary:{self.rng.choice(self.terms)})"
        if kind == 5 and self.tracks:
            return f"[{w} track](track:{self.rng.choice(self.tracks)})"
        second = self.rng.choice(WORDS)
        url = f"https://example.org/{self.rng.choice(WORDS)}/{self.rng.randint(1, 999)}"
        return f"[{w} {second}]({url})"

    def paragraph(self, lo: int = 45, hi: int = 95) -> str:
        target = self.rng.randint(lo, hi)
        out: list[str] = []
        count = 0
        while count < target:
            s = self.sentence(extras=True)
            out.append(s)
            count += len(s.split())
        return " ".join(out)

    def item(self) -> str:
        return self.sentence(5, 14, extras=self.rng.random() < 0.3)

    def reading(self, target_words: int = 1000) -> str:
        rng = self.rng
        blocks: list[str] = []
        count = 0
        while count < target_words:
            section = [f"## {self.title()}"]
            section.append(self.paragraph())
            if rng.random() < 0.1:
                section.append(f"<!-- i18n: {self.sentence(5, 9)} -->\n{self.paragraph(30, 60)}")
            else:
                section.append(self.paragraph(30, 70))
            if rng.random() < 0.5:
                section.append(f"### {self.title()}")
                section.append(self.paragraph(30, 60))
            items = [f"- {self.item()}" for _ in range(rng.randint(3, 5))]
            if rng.random() < 0.25:
                items.insert(1, f"    - {self.item()}")
            section.append("\n".join(items))
            if rng.random() < 0.35:
                cols = rng.randint(2, 4)
                rows = [f"| {' | '.join(self.title(1, 3) for _ in range(cols))} |",
                        "| " + " | ".join("---" for _ in range(cols)) + " |"]
                rows += [f"| {' | '.join(self.phrase(1, 5) for _ in range(cols))} |" for _ in range(rng.randint(2, 4))]
                section.append("\n".join(rows))
            if rng.random() < 0.35:
                kind = rng.choice(ADMONITIONS)
                marker = "???" if rng.random() < 0.2 else "!!!"
                body = [f"    {self.paragraph(20, 40)}"]
                if rng.random() < 0.5:
                    body.append("\n".join(f"    - {self.item()}" for _ in range(rng.randint(2, 3))))
                section.append(f'{marker} {kind} "{self.title(2, 5)}"\n\n' + "\n\n".join(body))
            if rng.random() < 0.2:
                a, b, c = rng.sample(IDENTS, 3)
                code = (f"```python\nfor {a} in {b}s:\n    {c} = {a}.value * {rng.randint(2, 9)}\n"
                        f"    print({c})\n```")
                section.append(code)
            if rng.random() < 0.05:
                section.append(f"<!-- i18n:skip -->\n{self.paragraph(10, 20)}")
            text = "\n\n".join(section)
            count += len(text.split())
            blocks.append(text)
        return "\n\n".join(blocks) + "\n"


def _dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _coined(rng: random.Random) -> str:
    return "".join(rng.sample(COINED, 2))


def generate(root: Path, n: int, seed: str = "cda-benchmarks") -> Synth:
    """Write ``root/curriculum`` with ``n`` modules (one workshop each) spread over the tracks."""
    rng = random.Random(f"{seed}:{n}")
    cur = root / "curriculum"
    synth = Synth(root, n)
    tracks = TRACKS[: max(1, min(len(TRACKS), n))]
    per_track: dict[str, list[str]] = {t[0]: [] for t in tracks}
    for i in range(n):
        tid, _, _, prefix = tracks[i % len(tracks)]
        k = len(per_track[tid]) + 1
        slug = "-".join(rng.sample(WORDS[:120], 2))
        mid = f"{prefix}-{k:03d}-{slug}"
        per_track[tid].append(mid)
        synth.modules.append((tid, mid))
    module_ids = [m for _, m in synth.modules]
    terms: list[dict[str, str]] = []
    seen: set[str] = set()
    while len(terms) < 20 + n // 10:
        a, b = _coined(rng), _coined(rng)
        tid = f"{a}-{b}"
        if tid in seen:
            continue
        seen.add(tid)
        terms.append({"id": tid, "term": f"{a} {b}", "definition": "", "es": f"{a}o {b}a", "pt": f"{a}ão {b}a"})
    w = Writer(rng, module_ids, [t["id"] for t in terms], [t[0] for t in tracks])
    for term in terms:
        term["definition"] = w.sentence(12, 24)
    _write(cur / "glossary" / "terms.yaml", _dump({"terms": terms}))

    program = {
        "title": "Synthetic City Data Course",
        "summary": w.paragraph(40, 70),
        "languages": [{"code": "en", "name": "English", "locale": "en", "tag": "en"},
                      {"code": "es", "name": "Español", "locale": "es_419", "tag": "es-419", "formats": "es",
                       "search": "es"},
                      {"code": "pt", "name": "Português", "locale": "pt_BR", "tag": "pt-BR", "search": "pt"}],
        "phases": [
            {"id": "acceleration", "title": w.title(), "months": 6, "summary": w.paragraph(30, 50)},
            {"id": "technical-assistance", "title": w.title(), "months": 12, "summary": w.paragraph(30, 50)},
        ],
        "roles": [{"id": r, "title": r.replace("-", " ").capitalize(), "hours_per_month": 5 + i,
                   "description": w.paragraph(25, 45)} for i, r in enumerate(ROLES)],
        "commitments": [w.sentence(10, 20) for _ in range(6)],
    }
    _write(cur / "program.yaml", _dump(program))
    for tid, title, phase, _ in tracks:
        _write(cur / "tracks" / f"{tid}.yaml", _dump({
            "id": tid, "title": title, "phase": phase, "summary": w.paragraph(40, 80),
            "who_should_choose": w.paragraph(30, 60), "outcomes": [w.sentence(10, 22) for _ in range(4)],
            "modules": per_track[tid]}))
    _write(cur / "pages" / "home.md", f"---\ntitle: Synthetic City Data Course\norder: 1\n---\n\n"
           f"## {w.title()}\n\n{w.paragraph()}\n\n{w.paragraph()}\n\n## {w.title()}\n\n"
           + "\n".join(f"- {w.item()}" for _ in range(4)) + "\n")
    _write(cur / "pages" / "course-guide.md", f"---\ntitle: {w.title()}\norder: 2\n---\n\n{w.reading(400)}")

    for idx, (tid, mid) in enumerate(synth.modules):
        k = per_track[tid].index(mid)
        months = 6 if tid == "core" else 12
        ws_id = f"{mid}-workshop"
        earlier = per_track[tid][:k]
        module = {
            "id": mid, "track": tid, "month": k % months + 1, "title": w.title(4, 8),
            "summary": w.sentence(15, 30), "audience": rng.sample(ROLES[:4], rng.randint(2, 4)),
            "hours": rng.randint(3, 8), "objectives": [w.sentence(8, 16) for _ in range(rng.randint(3, 5))],
            "key_terms": rng.sample([t["id"] for t in terms], 2),
            "prerequisites": earlier[-1:],
            "exercises": [{"id": f"exercise-{j + 1}", "title": w.title(), "instructions": w.paragraph(30, 60),
                           "deliverable": w.sentence(8, 16),
                           "acceptance": [w.sentence(8, 14) for _ in range(rng.randint(2, 4))]}
                          for j in range(rng.randint(2, 3))],
            "resources": [{"title": w.title(), "publisher": w.title(2, 4), "year": rng.randint(2012, 2025),
                           "url": f"https://example.org/{rng.choice(WORDS)}/{idx}-{j}"} for j in range(3)],
            "workshops": [ws_id],
        }
        _write(cur / "modules" / tid / f"{mid}.yaml", _dump(module))
        text = w.reading()
        synth.words += len(text.split())
        _write(synth.reading(tid, mid), text)
        _write(cur / "workshops" / tid / f"{ws_id}.yaml", _dump(_workshop(w, rng, ws_id, mid)))
    return synth


def _workshop(w: Writer, rng: random.Random, ws_id: str, mid: str) -> dict[str, object]:
    def block(minutes: int) -> dict[str, object]:
        return {"title": w.title(2, 5), "minutes": minutes, "method": rng.choice(METHODS), "kind": "activity",
                "instructions": w.sentence(10, 24), "facilitator_notes": w.sentence(10, 24),
                **({"if_late": w.sentence(6, 12)} if rng.random() < 0.5 else {})}
    first, second = rng.choice((30, 45, 60)), rng.choice((30, 45, 60))
    agenda = [block(15), block(first), {"title": "Break", "minutes": 15, "kind": "break"}, block(second), block(15)]
    return {
        "id": ws_id, "module": mid, "title": w.title(3, 6), "purpose": w.paragraph(25, 50),
        "outcomes": [w.sentence(8, 16) for _ in range(3)],
        "audience": rng.sample(ROLES[:4], 2), "format": rng.choice(("in-person", "virtual", "hybrid")),
        "duration": sum(int(b["minutes"]) for b in agenda), "group_size": {"min": 6, "max": 24},
        "facilitation_roles": [{"role": "lead-facilitator", "responsibilities": w.sentence(6, 12)},
                               {"role": "note-taker", "responsibilities": w.sentence(6, 12)}],
        "prework": [w.sentence(8, 14) for _ in range(2)], "materials": [w.sentence(5, 10) for _ in range(2)],
        "setup": w.sentence(10, 20), "agenda": agenda,
        "debrief": [w.sentence(6, 12) for _ in range(3)],
        "after_action_review": [w.sentence(6, 12) for _ in range(2)],
        "follow_up": [w.sentence(8, 14) for _ in range(2)],
    }


# -- translations ---------------------------------------------------------------------------

def translate_catalogs(root: Path) -> dict[str, int]:
    """Create the es/pt catalogs with ``cda``'s own extract/update, then fill them in."""
    from build_tools.base.fsutil import atomic_write
    from build_tools.check.project import Project, load_valid
    from build_tools.i18n.catalogs import render
    from build_tools.i18n.translation import (
        apply_update,
        build_templates,
        plan_update,
        write_templates,
    )
    from build_tools.text.po import parse_po

    project = Project(root)
    cur, _ = load_valid(root)
    pots = build_templates(cur)
    write_templates(project, pots)
    writes, deletions, _, _ = plan_update(project, pots)
    apply_update(project, writes, deletions)
    counts = {"catalogs": 0, "messages": 0, "translated": 0}
    for lang in project.target_codes:
        for path in sorted(project.catalog_dir(lang).glob("*.po")):
            po, _ = parse_po(path.read_text("utf-8"), str(path))
            assert po is not None
            counts["catalogs"] += 1
            for e in po.active():
                counts["messages"] += 1
                if is_translated(lang, e.msgctxt, e.msgid):
                    e.msgstr = pseudo_translate(e.msgid, lang)
                    counts["translated"] += 1
            atomic_write(path, render(po))
    return counts


# -- edits ----------------------------------------------------------------------------------

def paragraph_lines(text: str) -> list[int]:
    """Line numbers of top-level paragraphs (what an author edits most)."""
    return [i for i, line in enumerate(text.split("\n")) if PARAGRAPH.match(line)]


def _edit_line(line: str, rng: random.Random, new_word: str | None = None) -> str:
    tokens = line.split(" ")
    plain = [i for i in range(1, min(len(tokens), 12)) if tokens[i].isalpha() and tokens[i].islower()]
    i = (plain[0] if plain else 1) if new_word else rng.choice(plain or [1])
    old = tokens[i]
    tokens[i] = new_word or rng.choice([x for x in WORDS if x != old])
    return " ".join(tokens)


def change_paragraphs(synth: Synth, fraction: float = 0.10, seed: str = "cda-edit") -> dict[str, int]:
    """Change one word in ``fraction`` of the readings' top-level paragraphs."""
    rng = random.Random(f"{seed}:{synth.n}")
    texts = {p: p.read_text("utf-8") for p in synth.readings()}
    spots = [(p, i) for p, t in texts.items() for i in paragraph_lines(t)]
    chosen = sorted(rng.sample(spots, max(1, round(len(spots) * fraction))))
    by_file: dict[Path, list[int]] = {}
    for path, i in chosen:
        by_file.setdefault(path, []).append(i)
    for path, rows in by_file.items():
        lines = texts[path].split("\n")
        for i in rows:
            lines[i] = _edit_line(lines[i], rng)
        path.write_text("\n".join(lines), "utf-8")
    return {"paragraphs": len(spots), "changed": len(chosen), "files": len(by_file)}


def edit_one_module(synth: Synth, marker: str) -> tuple[str, Path]:
    """Put ``marker`` (a lower-case word) into the first paragraph of the middle module's reading."""
    track, mid = synth.modules[len(synth.modules) // 2]
    path = synth.reading(track, mid)
    lines = path.read_text("utf-8").split("\n")
    first = paragraph_lines("\n".join(lines))[0]
    lines[first] = _edit_line(lines[first], random.Random(marker), marker)
    path.write_text("\n".join(lines), "utf-8")
    return mid, path
