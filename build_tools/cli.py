"""The ``cda`` command line: parse arguments, call one library function, map to an exit code."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from build_tools import __version__
from build_tools.diagnostics import Report
from build_tools.errors import CdaError, DiagnosticsError

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None] = lambda p: None
            ) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = (help_text, configure, fn)
        return fn
    return register


def out(text: str) -> None:
    sys.stdout.write(text + ("\n" if not text.endswith("\n") else ""))


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
    from build_tools.project import check_curriculum

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
    from build_tools.export import export_json
    from build_tools.fsutil import atomic_write
    from build_tools.project import load_valid

    cur, _ = load_valid(args.root, args.strict)
    text = export_json(cur)
    if args.output:
        atomic_write(args.output, text)
    else:
        out(text)
    return 0


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=("module",), help="what to create")
    p.add_argument("--track", required=True, help="track id, e.g. evaluation")
    p.add_argument("--id", required=True, dest="new_id", help="module id (a slug)")
    p.add_argument("--month", type=int, default=1, help="month within the track (default 1)")
    p.add_argument("--title", default="", help="module title")


@command("new", "scaffold a valid module with its reading and workshop", _new_args)
def cmd_new(args: argparse.Namespace) -> int:
    import re

    from build_tools.scaffold import new_module

    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", args.new_id):
        raise CdaError(f"'{args.new_id}' is not a valid id: use lower-case letters, digits and hyphens")
    for path in new_module(args.root, args.track, args.new_id, args.month, args.title):
        out(f"wrote {path}")
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
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr, force=True)
    try:
        return int(args.handler(args))
    except DiagnosticsError as exc:
        print_report(exc.report, "json" if getattr(args, "format", "") == "json" else "text")
        sys.stderr.write(f"Aborted: {exc.report.summary()}\n")
        return 1
    except CdaError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
