"""Real-browser measurements (headless Debian Chromium through Playwright).

* :func:`first_search`: a reader opens a language's home page and searches; every response
  until the first results is recorded, with its size as sent gzip-compressed (``http.server``
  does not compress, so the size a compressing server would send is computed: gzip level 6,
  the default of nginx and Apache's mod_deflate);
* :func:`Reload`: a page open in the browser while ``cda serve`` runs: time from a save to the
  change shown by the page itself (MkDocs' live reload), not by polling the server.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def available() -> str | None:
    """Why the browser measurements cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (bash scripts/install-system-deps.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    return None


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def first_search(site: Path, lang: str, query: str, timeout_ms: int = 60_000) -> dict[str, Any]:
    """Open ``/<lang>/``, search for ``query``; bytes fetched (raw and gzip) until the first results,
    in all and by the search itself (``index_*``: Material's index and the Pagefind bundle's files)."""
    responses: list[tuple[str, int, int]] = []

    def record(response: Any) -> None:
        with contextlib.suppress(Exception):
            body = response.body()
            # as a gzip server sends it; Pagefind's index files are gzip-compressed already
            responses.append((response.url, len(body), min(len(body), len(gzip.compress(body, 6)))))

    prefix = "" if lang == "en" else f"{lang}/"
    with served(site) as base, chromium() as browser:
        context = browser.new_context(service_workers="block")
        context.on("response", record)
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        start = time.perf_counter()
        page.goto(base + prefix, wait_until="load")
        loaded = time.perf_counter() - start
        box = page.locator("input.md-search__input")
        box.click()
        typed = time.perf_counter()
        box.press_sequentially(query, delay=20)
        # the word is on a page: wait for its results, not for the count of a query still being typed
        # (under load a keystroke can come after the worker's settle time; "lánoig" may match nothing)
        page.wait_for_function("q => document.querySelector('input.md-search__input').value === q"
                               " && document.querySelectorAll('.md-search-result__list a').length > 0", arg=query)
        found = time.perf_counter()
        first = len(responses)  # what came after the first results (the rest of the list) is not counted
        results = page.eval_on_selector_all(".md-search-result__list a", "els => els.length")
        context.close()
    responses = responses[:first]
    index = [r for r in responses if "search_index" in r[0] or "/pagefind/" in r[0]]
    return {"lang": lang, "query": query, "results": results, "requests": len(responses),
            "bytes": sum(r[1] for r in responses), "gzip_bytes": sum(r[2] for r in responses),
            "index_bytes": sum(r[1] for r in index), "index_gzip_bytes": sum(r[2] for r in index),
            "page_load_s": round(loaded, 2), "typed_to_results_s": round(found - typed, 2),
            "open_to_results_s": round(found - start, 2)}


class Reload:
    """A page open in Chromium: :meth:`wait_for` times how long until it shows a text."""

    def __init__(self, url: str, timeout_ms: int = 240_000) -> None:
        self._stack = contextlib.ExitStack()
        browser = self._stack.enter_context(chromium())
        self.page = browser.new_page()
        self.page.set_default_timeout(timeout_ms)
        self.page.goto(url, wait_until="load")

    def wait_for(self, text: str) -> None:
        self.page.wait_for_function("t => document.body && document.body.innerText.includes(t)", arg=text)

    def close(self) -> None:
        self._stack.close()
