"""The ``cda`` command line: parse arguments, call one library function, map to an exit code."""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from build_tools import __version__
from build_tools.base.diagnostics import Report
from build_tools.base.errors import CdaError, DiagnosticsError

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None] = lambda p: None
            ) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = (help_text, configure, fn)
        return fn
    return register


log = logging.getLogger(__name__)


def out(text: str) -> None:
    sys.stdout.write(text + ("\n" if not text.endswith("\n") else ""))


def languages(root: Path, asked: list[str] | None, targets: bool = False) -> list[str]:
    """The ``--lang`` values asked for (default: all), checked against program.yaml's languages."""
    from build_tools.base.languages import read_languages

    langs = read_languages(root)
    allowed = [x.code for x in (langs[1:] if targets else langs)]
    for code in asked or []:
        if code not in allowed:
            # A program.yaml that cannot be read lists no languages: report why, not the language.
            from build_tools.check.project import check_curriculum

            _, report = check_curriculum(root)
            if report.errors:
                raise DiagnosticsError(report)
            what = "translation languages" if targets else "languages"
            raise CdaError(f"unknown language '{code}': this course's {what} are {', '.join(allowed)} "
                           "(program.yaml, languages:)")
    return list(asked) if asked else allowed


def print_report(report: Report, fmt: str = "text") -> None:
    if fmt == "json":
        out(report.as_json())
    elif report.items:
        out(report.format())


# -- validate / export / new -----------------------------------------------------------

def _validate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")


@command("validate", "check the curriculum and report every problem at once", _validate_args)
def cmd_validate(args: argparse.Namespace) -> int:
    from build_tools.check.project import check_curriculum

    _, report = check_curriculum(args.root)
    if args.format == "json":
        print_report(report, "json")
    else:
        out(report.format())
    return 1 if report.failed(args.strict) else 0


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("json",), default="json", help="export format")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")


@command("export", "write the validated model as one JSON document", _export_args)
def cmd_export(args: argparse.Namespace) -> int:
    from build_tools.base.fsutil import atomic_write
    from build_tools.check.project import load_valid
    from build_tools.tools.export import export_json

    cur, _ = load_valid(args.root, args.strict)
    text = export_json(cur)
    if args.output:
        atomic_write(args.output, text)
    else:
        out(text)
    return 0


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=("module", "case"), help="what to create: a module, or a city case (a draft)")
    p.add_argument("--track", help="track id, e.g. evaluation (required for a module; a case's first track)")
    p.add_argument("--id", required=True, dest="new_id", help="module or case id (a slug)")
    p.add_argument("--month", type=int, default=1, help="month within the track (default 1)")
    p.add_argument("--title", default="", help="module or case title")
    p.add_argument("--city", help="case: the city's name as the city writes it, e.g. 'Bogotá'")
    p.add_argument("--country", help="case: the country's ISO 3166-1 alpha-2 code, e.g. CO")


@command("new", "scaffold a valid module (with its reading and workshop) or a draft city case", _new_args)
def cmd_new(args: argparse.Namespace) -> int:
    import re

    from build_tools.tools.scaffold import new_case, new_module

    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", args.new_id):
        raise CdaError(f"'{args.new_id}' is not a valid id: use lower-case letters, digits and hyphens")
    if args.kind == "case":
        if not args.city or not args.country:
            raise CdaError("a case needs --city and --country, e.g. cda new case --id lima-water --city Lima "
                           "--country PE")
        for path in new_case(args.root, args.new_id, args.city, args.country, args.track, args.title):
            out(f"wrote {path}")
        out("the case is a draft: write it (see AUTHORING.md), then set status: published and run cda validate")
        return 0
    if not args.track:
        raise CdaError("a module needs --track, e.g. cda new module --track evaluation --id ev-09-costing")
    for path in new_module(args.root, args.track, args.new_id, args.month, args.title):
        out(f"wrote {path}")
    return 0


# -- translation workflow -------------------------------------------------------------

@command("extract", "write message templates (.pot) from the curriculum")
def cmd_extract(args: argparse.Namespace) -> int:
    from build_tools.check.project import Project, load_valid
    from build_tools.i18n.translation import build_templates, write_templates

    cur, _ = load_valid(args.root, args.strict)
    project = Project(args.root)
    changed = write_templates(project, build_templates(cur))
    out(f"{len(changed)} template(s) changed in {project.templates}")
    return 0


def _update_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a catalog is out of date")
    p.add_argument("--lang", action="append", help="only this language, e.g. es (repeatable)")


@command("update", "merge templates into each language's catalogs, keeping every translation", _update_args)
def cmd_update(args: argparse.Namespace) -> int:
    from build_tools.check.project import Project
    from build_tools.i18n.translation import update_catalogs

    result = update_catalogs(Project(args.root), languages(args.root, args.lang, targets=True), check=args.check)
    for old, new in result.adopted:
        out(f"{new}: took the translations of {old} (renamed document)")
    for orphan in result.orphans:
        out(f"warning: {orphan} has no template any more; its translations are kept there")
    for path in result.stale:
        out(f"out of date: {path}")
    if args.check:
        return 1 if result.stale else 0
    out(f"{len(result.changed)} catalog(s) updated")
    return 0


def _stats_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    p.add_argument("--lang", action="append", help="only this language, e.g. es (repeatable)")


@command("stats", "translated, fuzzy and untranslated messages per language and document", _stats_args)
def cmd_stats(args: argparse.Namespace) -> int:
    import json

    from build_tools.check.project import Project
    from build_tools.i18n.catalogs import stats
    from build_tools.i18n.store import CatalogStore

    store = CatalogStore(Project(args.root))
    pots, _ = store.templates()
    rows = []
    for lang in languages(args.root, args.lang, targets=True):
        found, _ = store.catalogs(lang)
        for domain in sorted(pots):
            st = stats(domain, found[domain]) if domain in found else stats(domain, pots[domain])
            rows.append((lang, st))
    if args.format == "json":
        data = [{"language": lang, "document": st.domain, "messages": st.messages, "translated": st.translated,
                 "fuzzy": st.fuzzy, "untranslated": st.untranslated, "words_left": st.words_left,
                 "percent": round(st.percent, 1)} for lang, st in rows]
        out(json.dumps(data, indent=2))
        return 0
    out(f"{'lang':<5}{'document':<58}{'msgs':>6}{'done':>6}{'fuzzy':>6}{'todo':>6}{'words':>7}{'%':>7}")
    totals: dict[str, list[int]] = {}
    for lang, st in rows:
        out(f"{lang:<5}{st.domain:<58}{st.messages:>6}{st.translated:>6}{st.fuzzy:>6}{st.untranslated:>6}"
            f"{st.words_left:>7}{st.percent:>6.1f}%")
        t = totals.setdefault(lang, [0, 0, 0, 0, 0])
        for i, v in enumerate((st.messages, st.translated, st.fuzzy, st.untranslated, st.words_left)):
            t[i] += v
    for lang, t in totals.items():
        pct = 100.0 * t[1] / t[0] if t[0] else 100.0
        out(f"{lang:<5}{'TOTAL':<58}{t[0]:>6}{t[1]:>6}{t[2]:>6}{t[3]:>6}{t[4]:>7}{pct:>6.1f}%")
    return 0


def _check_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("--lang", action="append", help="only this language, e.g. es (repeatable)")
    p.add_argument("files", nargs="*", type=Path, help="only these .po files")


@command("check", "translation QA: gettext, Markdown parity, unsafe markup, glossary terms", _check_args)
def cmd_check(args: argparse.Namespace) -> int:
    from build_tools.check.project import check_curriculum
    from build_tools.i18n.qa_run import run_checks

    cur, _ = check_curriculum(args.root)
    asked = languages(args.root, args.lang, targets=True) if args.lang else None
    report = run_checks(args.root, cur, asked, args.files)
    print_report(report, args.format)
    if args.format == "text" and not report.items:
        out(report.summary())
    return 1 if report.failed(args.strict) else 0


# -- site ---------------------------------------------------------------------------

@command("generate", "write the Markdown pages of docs/<lang>/ for every language")
def cmd_generate(args: argparse.Namespace) -> int:
    from build_tools.site.build import generate_docs

    changed = generate_docs(args.root, args.strict)
    out(f"docs/: {changed} file(s) written")
    return 0


def _build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--offline", action="store_true", help="also write per-language zips for offline reading")
    p.add_argument("--pdf", action="store_true",
                   help="also write each language's participant PDF into site/downloads/ (see `cda pdf`)")


@command("build", "validate, generate and build the site, every language, into site/", _build_args)
def cmd_build(args: argparse.Namespace) -> int:
    from build_tools.site.build import build_site
    from build_tools.tools.pdf import build_pdf

    def pdfs(staged: Path) -> None:
        for lang in languages(args.root, None):
            result = build_pdf(args.root, lang, output=staged / "downloads",
                               progress=functools.partial(_pdf_progress, lang))
            log.info("wrote downloads/%s (%d pages, %.1f MB)", result.path.name, result.pages, result.size / 1e6)

    report = build_site(args.root, args.strict, args.offline, extra=pdfs if args.pdf else None)
    if report.items:
        out(report.format())
    out(f"site built in {args.root / 'site'}")
    return 0


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    p.add_argument("--lang", help="preview one language only (e.g. es): rebuilds in a fraction of the time")


@command("serve", "preview the site with live reload on curriculum and catalog changes", _serve_args)
def cmd_serve(args: argparse.Namespace) -> int:
    import subprocess

    from build_tools.site.build import serve_command

    lang = languages(args.root, [args.lang])[0] if args.lang else None
    command, env = serve_command(args.root, args.dev_addr, lang)
    return subprocess.call(command, cwd=args.root, env=env)


# -- coaches --------------------------------------------------------------------------

def _playbook_args(p: argparse.ArgumentParser) -> None:
    from build_tools.base.arguments import FORMATS, parse_day, parse_start

    p.add_argument("workshop_id", metavar="WORKSHOP_ID", help="workshop id, e.g. core-02-team-lab")
    p.add_argument("--lang", default="en", help="language, e.g. es (default en)")
    p.add_argument("--start", type=parse_start, help="session start, HH:MM in 24-hour form (default 09:00)")
    p.add_argument("--date", type=parse_day, help="session date, YYYY-MM-DD")
    p.add_argument("--format", choices=FORMATS, default="html", help="standalone print page (default) or Markdown")
    p.add_argument("--handout", action="store_true", help="the participants' version: no facilitator-only content")
    p.add_argument("--packet", action="store_true",
                   help="one print-ready file: the guide, then each of its handouts on new pages "
                        "(with --handout: the participants' handouts only)")
    p.add_argument("-o", "--output", type=Path, help="file or folder to write (default: playbooks/ here)")


@command("playbook", "write a print-ready facilitator guide or handout for one workshop delivery", _playbook_args)
def cmd_playbook(args: argparse.Namespace) -> int:
    from build_tools.tools.playbook import write_playbook

    lang = languages(args.root, [args.lang])[0]
    path = write_playbook(args.root, args.workshop_id, lang, args.start, args.date, args.format,
                          args.handout, args.output, args.strict, packet=args.packet)
    out(f"wrote {path}")
    return 0


def _pdf_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", action="append", help="language, e.g. es (repeatable; default: all)")
    p.add_argument("--edition", choices=("participant", "coach"), default="participant",
                   help="participant (default) or coach: adds the playbooks with facilitator notes and the templates")
    p.add_argument("-o", "--output", type=Path, help="file (one language) or folder to write (default: pdf/ here)")


@command("pdf", "write the course as a printable PDF per language (participant or coach edition)", _pdf_args)
def cmd_pdf(args: argparse.Namespace) -> int:
    from build_tools.tools.pdf import build_pdf

    langs = languages(args.root, args.lang)
    if args.output is not None and len(langs) > 1 and args.output.suffix == ".pdf":
        raise CdaError("-o names one file, but more than one language is asked for: give a folder, or one --lang")
    for lang in langs:
        result = build_pdf(args.root, lang, args.edition, args.output, args.strict,
                           progress=functools.partial(_pdf_progress, lang))
        out(f"wrote {result.path} ({result.pages} pages, {result.size / 1_000_000:.1f} MB, {result.chapters} chapters)")
    return 0


def _schedule_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("cohort", type=Path, metavar="COHORT.yaml", help="cohort plan, e.g. curriculum/cohorts/example-cohort.yaml")
    p.add_argument("-o", "--output", type=Path, default=Path("schedules"),
                   help="folder to write into (default: schedules/); the files go to a subfolder named after the cohort")


@command("schedule", "write each city's calendar (page and .ics), the call and convening agendas and the coaches' "
         "overview; warn where a month asks a role for more hours than program.yaml", _schedule_args)
def cmd_schedule(args: argparse.Namespace) -> int:
    from build_tools.render.schedule_pages import write_schedule

    written = write_schedule(args.root, args.cohort, args.output, args.strict)
    if written.report.items:
        out(written.report.format())
    for line in written.lines():
        out(line)
    return 0


# -- entry point ----------------------------------------------------------------------

def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cda", description="City Data Alliance course generator: validate, translate and build the course.")
    parser.add_argument("--version", action="version", version=f"cda {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="project root (default: current folder)")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("-v", "--verbose", action="store_true", help="show progress details")
    common.add_argument("-q", "--quiet", action="store_true", help="show errors only")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (help_text, configure, fn) in COMMANDS.items():
        sub = subs.add_parser(name, help=help_text, description=help_text, parents=[common])
        configure(sub)
        sub.set_defaults(handler=fn)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    args.root = args.root.resolve()
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr, force=True)
    logging.getLogger("build_tools").setLevel(level)
    try:
        with _persisting(args.root) as done:
            code = int(args.handler(args))
            done.append(code == 0)
            return code
    except DiagnosticsError as exc:
        print_report(exc.report, "json" if getattr(args, "format", "") == "json" else "text")
        sys.stderr.write(f"Aborted: {exc.report.summary()}\n")
        return 1
    except CdaError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        sys.stderr.write(f"error: cannot access{where}: {exc.strerror or exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130


@contextlib.contextmanager
def _persisting(root: Path) -> Iterator[list[bool]]:
    """In a project, what parsing and checking unchanged files gave is kept between commands
    (``.cache/cda/``, see :mod:`build_tools.base.cache`); written only when the command succeeds
    (the caller appends True): a failed command leaves the project as it was."""
    done: list[bool] = []
    if not (root / "curriculum").is_dir():
        yield done
        return
    from build_tools.base.cache import close_cache, open_cache, save_cache
    from build_tools.check.project import Project
    from build_tools.site.memo import code_version

    open_cache(Project(root).cache, code_version())
    try:
        yield done
        if done == [True]:
            save_cache()
    finally:
        close_cache()


def _pdf_progress(lang: str, step: str) -> None:
    log.info("pdf [%s]: %s...", lang, step)
