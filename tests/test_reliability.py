"""Reliability: no translation is ever lost, writes are atomic, hostile translations stopped.

The state machine runs a few examples by default; run thousands with
``HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_reliability.py``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from build_tools.check.project import Project, load_valid
from build_tools.i18n.catalogs import render
from build_tools.i18n.translation import apply_update, build_templates, plan_update, write_templates
from build_tools.text.po import parse_po

settings.register_profile("default", max_examples=8, stateful_step_count=8, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, stateful_step_count=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PARAS = [f"Paragraph number {i} explains how a city team uses data for decision {i}." for i in range(6)]
ITEMS = [f"List item {i} about a measure." for i in range(4)]
CELLS = ["Owner", "Deadline", "Budget line"]
OBJECTIVES = ["Name three priorities.", "Draft a commitment.", "Publish a dashboard."]


class NoTranslationLost(RuleBasedStateMachine):
    """Random source edits with extract+update between them; every translation survives."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.tmp = Path(tempfile.mkdtemp(prefix="cda-sm-"))
        self.root = self.tmp / "p"
        shutil.copytree(FIXTURES / "minimal", self.root)
        self.mid = "core-01-leading-with-data"
        self.paras = list(PARAS)
        self.removed: list[str] = []
        self.items = list(ITEMS)
        self.cells = list(CELLS)
        self.objectives = list(OBJECTIVES)
        self.made: set[str] = set()
        self.write_sources()
        self.cycle()

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- sources --------------------------------------------------------------------
    def module_files(self) -> tuple[Path, Path]:
        base = self.root / "curriculum/modules/core" / self.mid
        return base.with_suffix(".yaml"), base.with_suffix(".md")

    def write_sources(self) -> None:
        yml, md = self.module_files()
        body = "## Reading\n\n" + "\n\n".join(self.paras) + "\n\n" + "\n".join(f"- {i}" for i in self.items)
        body += "\n\n| " + " | ".join(self.cells) + " |\n|" + " --- |" * len(self.cells) + "\n| a | b | c |\n"
        md.write_text(body, "utf-8")
        text = yml.read_text("utf-8")
        head, _, rest = text.partition("objectives:\n")
        _, _, tail = rest.partition("key_terms:")
        yml.write_text(head + "objectives:\n" + "".join(f"  - {o}\n" for o in self.objectives) + "key_terms:" + tail,
                       "utf-8")

    def cycle(self) -> None:
        project = Project(self.root)
        cur, _ = load_valid(self.root)
        pots = build_templates(cur)
        write_templates(project, pots)
        writes, deletions, _, diags = plan_update(project, pots, ["es"])
        assert not diags
        apply_update(project, writes, deletions)
        self.translate_everything()

    def catalogs(self) -> list[tuple[Path, object]]:
        out = []
        for path in sorted((self.root / "curriculum/locales/es/LC_MESSAGES").glob("*.po")):
            po, diags = parse_po(path.read_text("utf-8"), str(path))
            assert po is not None, diags
            out.append((path, po))
        return out

    def translate_everything(self) -> None:
        for path, po in self.catalogs():
            changed = False
            for e in po.active():
                if not e.msgstr or e.fuzzy:
                    e.msgstr = f"ES[{len(self.made)}] {e.msgid}"
                    e.set_fuzzy(False)
                    self.made.add(e.msgstr)
                    changed = True
            if changed:
                path.write_text(render(po), "utf-8")  # a translator's editor saves it

    # -- rules ----------------------------------------------------------------------
    @rule(i=st.integers(0, 20), word=st.sampled_from(["quickly", "publicly", "monthly"]))
    def change_paragraph(self, i: int, word: str) -> None:
        if self.paras:
            k = i % len(self.paras)
            self.paras[k] = self.paras[k].replace(" uses ", f" {word} uses ", 1)
            self.write_sources()
            self.cycle()

    @rule(seed=st.integers(0, 1000))
    def reorder(self, seed: int) -> None:
        random.Random(seed).shuffle(self.paras)
        random.Random(seed).shuffle(self.items)
        random.Random(seed).shuffle(self.objectives)
        self.write_sources()
        self.cycle()

    @rule(i=st.integers(0, 20))
    def delete_paragraph(self, i: int) -> None:
        if len(self.paras) > 1:
            self.removed.append(self.paras.pop(i % len(self.paras)))
            self.write_sources()
            self.cycle()

    @rule()
    def restore_paragraph(self) -> None:
        if self.removed:
            self.paras.append(self.removed.pop())
            self.write_sources()
            self.cycle()

    @rule(i=st.integers(0, 20), text=st.sampled_from(["Owner team", "Due date", "Funding"]))
    def change_cell_or_item(self, i: int, text: str) -> None:
        self.cells[i % len(self.cells)] = text
        self.items[i % len(self.items)] = f"{text} is tracked."
        self.write_sources()
        self.cycle()

    @rule(i=st.integers(0, 20))
    def change_objective(self, i: int) -> None:
        k = i % len(self.objectives)
        self.objectives[k] = self.objectives[k].rstrip(".") + " this month."
        self.write_sources()
        self.cycle()

    @rule()
    def rename_module(self) -> None:
        new = self.mid + "-x" if not self.mid.endswith("-x") else self.mid[:-2]
        cur = self.root / "curriculum"
        for path in [p for p in cur.rglob("*") if p.is_file() and "locales" not in p.parts]:
            if path.suffix in (".yaml", ".md"):
                path.write_text(path.read_text("utf-8").replace(self.mid, new), "utf-8")
            if self.mid in path.name:
                path.rename(path.with_name(path.name.replace(self.mid, new)))
        self.mid = new
        self.cycle()

    @invariant()
    def every_translation_is_still_there(self) -> None:
        found = {e.msgstr for _, po in self.catalogs() for e in po.entries}
        lost = self.made - found
        assert not lost, f"translations lost: {sorted(lost)[:3]}"
        for _, po in self.catalogs():
            for e in po.active():
                if e.fuzzy:
                    assert e.previous_msgid, e.msgid


TestNoTranslationLost = NoTranslationLost.TestCase


# -- atomic writes under SIGKILL ----------------------------------------------------------

def _tree(path: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file() and not p.name.endswith(".gz") and p.name != "sitemap.xml":
            digest.update(str(p.relative_to(path)).encode() + b"\0" + p.read_bytes())
    return digest.hexdigest()


def _cda(root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "build_tools", *args, "--root", str(root)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _run(root: Path, *args: str) -> None:
    assert _cda(root, *args).wait() == 0, args


def test_sigkill_never_leaves_a_mixed_site_docs_or_catalog(make_project) -> None:
    root = make_project()
    md = root / "curriculum/modules/core/core-01-leading-with-data.md"
    original = md.read_text("utf-8")
    _run(root, "extract")
    _run(root, "update")
    _run(root, "build")
    old_site, old_docs = _tree(root / "site"), _tree(root / "docs")
    po = root / "curriculum/locales/es/LC_MESSAGES/module-core-01-leading-with-data.po"
    old_po = po.read_bytes()
    md.write_text(original.replace("regular decisions", "weekly decisions"), "utf-8")
    _run(root, "build")
    new_site, new_docs = _tree(root / "site"), _tree(root / "docs")
    _run(root, "extract")
    _run(root, "update")
    new_po = po.read_bytes()
    assert old_site != new_site and old_docs != new_docs and old_po != new_po
    rng = random.Random(7)
    kills = 0
    for run in range(50):
        # Start from the old state, then kill the command at a random moment.
        md.write_text(original, "utf-8")
        _run(root, "build")
        po.write_bytes(old_po)
        _run(root, "extract")
        md.write_text(original.replace("regular decisions", "weekly decisions"), "utf-8")
        if run % 5 == 4:
            _run(root, "extract")
            proc = _cda(root, "update")
        else:
            proc = _cda(root, "build")
        time.sleep(rng.uniform(0.0, 1.6))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        assert _tree(root / "site") in (old_site, new_site), f"mixed site after run {run}"
        assert _tree(root / "docs") in (old_docs, new_docs), f"mixed docs after run {run}"
        assert po.read_bytes() in (old_po, new_po), f"mixed catalog after run {run}"
    assert kills >= 25


def test_concurrent_update_is_refused_with_a_clear_message(make_project, cda) -> None:
    root = make_project()
    assert cda("extract", "--root", root)[0] == 0
    with open(root / ".cda.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        code, _, err = cda("update", "--root", root)
    assert code == 1 and "another cda command is already writing this project" in err
    assert not (root / "curriculum/locales/es").exists()


# -- hostile translations -------------------------------------------------------------------

PAYLOADS = [
    "<script>alert('{m}')</script>",
    '<img src=x onerror="alert(\'{m}\')">',
    "<iframe src=\"https://evil.example/{m}\"></iframe>",
    "<object data=\"https://evil.example/{m}\"></object>",
    "<embed src=\"https://evil.example/{m}\">",
    '<span style="background:url(https://evil.example/{m})">x</span>',
    "<style>body{{display:none}} /* {m} */</style>",
    "[clic](javascript:alert('{m}'))",
    "[clic](JaVaScRiPt:alert('{m}'))",
    "[clic](vbscript:msgbox('{m}'))",
    "[clic](data:text/html;base64,{m})",
    "![img](javascript:alert('{m}'))",
    "<javascript:alert('{m}')>",
    "texto {{: onclick=\"alert('{m}')\" }}",
    "texto {{: .x #{m} }}",
    "&lt;script&gt;alert('{m}')&lt;/script&gt;",
    "&#60;script&#62;alert('{m}')&#60;/script&#62;",
    "[clic](&#106;avascript:alert('{m}'))",
    "[clic](https://evil.example/{m})",
    "texto\n\n[ref]: javascript:alert('{m}')",
    "<a href=\"https://evil.example/{m}\">x</a>",
    "<svg onload=\"alert('{m}')\"></svg>",
    "<form action=\"https://evil.example/{m}\"><input></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/{m}\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/{m}.css\">",
    "<base href=\"https://evil.example/{m}/\">",
    "<div onmouseover=\"alert('{m}')\">x</div>",
]


def test_hostile_translations_never_reach_the_site(make_project, cda) -> None:
    root = make_project()
    assert cda("extract", "--root", root)[0] == 0
    assert cda("update", "--root", root)[0] == 0
    markers = []
    for lang in ("es", "pt"):
        path = root / f"curriculum/locales/{lang}/LC_MESSAGES/module-core-01-leading-with-data.po"
        po, _ = parse_po(path.read_text("utf-8"), str(path))
        entries = [e for e in po.active() if "\n" not in e.msgid]
        for i, payload in enumerate(PAYLOADS):
            marker = f"cdaPWN{lang}{i}x"
            markers.append(marker)
            e = entries[i % len(entries)]
            e.msgstr = (e.msgstr + " " if e.msgstr else "") + payload.format(m=marker)
        path.write_text(render(po), "utf-8")  # a translator's editor saves it
    code, out, _ = cda("check", "--root", root)
    assert code == 1
    assert out.count("error[T2") >= len(PAYLOADS)
    code, out, err = cda("build", "--root", root)
    assert code == 0, out + err
    site = "".join(p.read_text("utf-8", errors="replace") for p in (root / "site").rglob("*")
                   if p.is_file() and p.suffix in (".html", ".json", ".xml", ".js"))
    found = [m for m in markers if m in site]
    assert not found, f"payloads reached the site: {found}"
    assert len(markers) >= 50
