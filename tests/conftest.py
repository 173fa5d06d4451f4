"""Shared test helpers: temporary projects built from fixture folders."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Copy a fixture project (default: minimal) into a temporary folder and return its root."""

    def make(name: str = "minimal", files: dict[str, str] | None = None) -> Path:
        root = tmp_path / name
        shutil.copytree(FIXTURES / name, root)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        (root / "docs").mkdir(exist_ok=True)
        for rel, text in (files or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        return root

    return make


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process; argparse errors give their exit code (2) instead of raising."""
    from build_tools.cli import main

    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def cda(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the CLI in-process: ``cda("validate", "--root", root)`` → (exit code, stdout, stderr)."""
    return lambda *args: run([str(a) for a in args], capsys)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session (Playwright's sync API allows one driver)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `bash scripts/install-system-deps.sh` (as root) to install it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright (Python) is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
