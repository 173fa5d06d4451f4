"""MkDocs hook: plain ``mkdocs build``/``mkdocs serve`` regenerate ``docs/`` from ``curriculum/``.

``cda build`` generates first and sets ``CDA_GENERATED=1``, so the hook only sets the
navigation. The navigation of each language comes from ``docs/<lang>/.nav.json``, written
by the generator with titles in that language.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs_static_i18n.config import I18nPluginLanguage

from build_tools.base.cache import close_cache, open_cache, save_cache
from build_tools.base.errors import CdaError, DiagnosticsError, LockError
from build_tools.base.languages import read_languages
from build_tools.check.project import Project
from build_tools.site.build import alternates, generate_docs, i18n_languages
from build_tools.site.memo import code_version
from build_tools.site.search import augment_site, index_site

log = logging.getLogger("mkdocs.hooks.cda")


def _root(config: MkDocsConfig) -> Path:
    """The project root: CDA_ROOT if set (generated configs), else the config file's folder."""
    if os.environ.get("CDA_ROOT"):
        return Path(os.environ["CDA_ROOT"]).resolve()
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = _root(config)
    i18n = config.plugins.get("i18n")
    # mkdocs-static-i18n builds the other languages from its on_post_build, running on_config
    # again for each: docs/ was regenerated at the start of this build already.
    alternate = bool(getattr(i18n, "building", False))
    docs = Path(config.docs_dir)
    if os.environ.get("CDA_GENERATED") != "1" and not alternate:
        before = _layout(docs)
        # the first build of `cda serve` generates even when the memo says nothing changed: its
        # process keeps what it parsed and rendered, and the edits that follow reuse it
        first = _SERVE["dirty"] and not _SERVE["warm"]
        if first:  # and it reads what earlier commands parsed and checked (.cache/cda/)
            open_cache(Project(root).cache, code_version())
        try:
            changed = generate_docs(root, memo=not first)
            _SERVE["warm"] = True
        except DiagnosticsError as exc:
            raise PluginError("curriculum/ does not validate:\n" + exc.report.format()) from None
        except LockError as exc:  # another cda command is writing: this rebuild waits for the next save
            raise PluginError(str(exc)) from None
        finally:
            if first:
                save_cache()
                close_cache()
        log.info("cda: regenerated docs/ (%d file(s) changed)", changed)
        if _SERVE["dirty"]:
            _mark_relaid(docs, before, _layout(docs))
    if _SERVE["dirty"]:
        _list_theme_once(config)
    config.nav = _nav(docs / "en")
    if i18n is not None:
        _add_languages(root, config, i18n.config)
        for language in i18n.config.languages:
            if language.locale != "en":
                language.nav = _nav(docs / language.locale)
    return config


_SERVE: dict[str, Any] = {"dirty": False, "warm": False}
"""``cda serve`` (``mkdocs serve --dirty``): MkDocs rebuilds only the pages whose file in docs/ is
newer than its page in the site (the generator leaves unchanged files as they were); the search
index is written in the background so the reload does not wait for it."""


def on_startup(command: str, dirty: bool) -> None:
    _SERVE["dirty"] = command == "serve" and dirty


_THEME_FILES: dict[tuple[str, ...], list[str]] = {}


def _list_theme_once(config: MkDocsConfig) -> None:
    """``cda serve``: the theme's static files are listed once per process. MkDocs lists them on
    every build of every language, walking and filtering Material's thousands of icons (a tenth
    of a rebuild); the preview does not watch the theme, so the list cannot change."""
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        listed = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            # the same filter each build (MkDocs' closure, by its code) over the same folders
            code = getattr(filter_func, "__code__", filter_func)
            key = (*theme.dirs, "\0", *sorted(theme.static_templates), "\0", *map(str, extensions or ()),
                   "\0", f"{id(code)}")
            if key not in _THEME_FILES:
                _THEME_FILES[key] = listed(extensions, filter_func)
            return list(_THEME_FILES[key])

        env.list_templates = list_templates  # type: ignore[method-assign]
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


class _Compiled(jinja2.BytecodeCache):
    """The theme's templates compiled once per ``cda serve`` process: MkDocs makes a new Jinja
    environment for every build, which would compile Material's templates again on each edit."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Any) -> jinja2.Environment:
    if _SERVE["dirty"]:
        env.bytecode_cache = _COMPILED
    return env


@event_priority(-150)  # after mkdocs-static-i18n's (-100), which sets each language's navigation
def on_nav(nav: Any, config: MkDocsConfig, files: Any) -> Any:
    """A dirty build renders only the changed pages, but their menus name every page: the others
    are read (front matter and Markdown, not rendered) so the menu has their titles."""
    if _SERVE["dirty"]:
        for file in files.documentation_pages():
            if file.page is not None and file.page.markdown is None and not file.is_modified():
                file.page.read_source(config)
    return nav


Layout = dict[str, tuple[bytes, frozenset[tuple[str, bytes]]]]


def _layout(docs: Path) -> Layout:
    """Per language folder: its navigation file, and its pages with their titles (the menus show them)."""
    out = {}
    for folder in (p for p in docs.iterdir() if p.is_dir()) if docs.is_dir() else ():
        nav = folder / ".nav.json"
        pages = frozenset((str(p.relative_to(folder)), _title_line(p)) for p in folder.rglob("*.md"))
        out[folder.name] = (nav.read_bytes() if nav.is_file() else b"", pages)
    return out


def _title_line(page: Path) -> bytes:
    """The generator writes ``title:`` as the front matter's first line."""
    with page.open("rb") as fh:
        head = fh.read(1024).split(b"\n")
    return head[1] if len(head) > 1 and head[0] == b"---" else b""


def _mark_relaid(docs: Path, before: Layout, after: Layout) -> None:
    """A language whose navigation, set of pages or page titles changed: every page shows the
    menu, so all its pages are marked changed (MkDocs' dirty build then rebuilds them all)."""
    for lang, layout in after.items():
        if before.get(lang) != layout:
            for page, _ in layout[1]:
                os.utime(docs / lang / page)
            if lang in before:
                log.info("cda: %s: navigation or pages changed, rebuilding all %d pages", lang, len(layout[1]))


def _add_languages(root: Path, config: MkDocsConfig, i18n: Any) -> None:
    """Plain ``mkdocs build``: the languages mkdocs.yml leaves out come from program.yaml.

    Runs before mkdocs-static-i18n's own ``on_config`` (priority -100), so the plugin builds them.
    """
    langs = read_languages(root)
    if i18n.build_only_locale:  # `cda build`'s generated configuration has them all already
        return
    have = {language.locale for language in i18n.languages}
    for entry in i18n_languages(langs):
        if entry["locale"] not in have:
            language = I18nPluginLanguage()
            language.load_dict(entry)
            failed, _ = language.validate()
            if failed:
                raise PluginError(f"program.yaml language {entry['locale']}: {failed}")
            i18n.languages.append(language)
    config.extra.setdefault("alternate", alternates(langs))


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
    """``mkdocs serve`` watches docs/, which this hook writes from curriculum/ (watched through
    ``watch:``): left watched, each edit would rebuild every page a second time, after the hook's
    own write, and the browser would wait for both."""
    if os.environ.get("CDA_GENERATED") != "1":
        server.unwatch(config.docs_dir)
    return server


def on_pre_build(config: MkDocsConfig) -> None:
    """The site and the preview search with Pagefind (see :func:`on_post_build`): Material's index
    keeps only its configuration there, so its search plugin does not parse each page's HTML into
    entries (a sixth of a language's build, and under ``cda serve`` mkdocs-static-i18n kept them
    from one rebuild to the next). An offline bundle searches Material's index: it keeps them."""
    if config.extra.get("offline_bundle"):
        return
    for name in ("search", "material/search"):
        if (index := getattr(config.plugins.get(name), "search_index", None)) is not None:
            index.add_entry_from_context = _no_entry


def _no_entry(page: Any) -> None:
    return None


@event_priority(-200)  # after mkdocs-static-i18n (-100), which builds the other languages and rewrites the search index
def on_post_build(config: MkDocsConfig) -> None:
    """The search: lunr with word forms in an offline bundle, a Pagefind bundle per language on the site."""
    langs = read_languages(_root(config))
    site = Path(config.site_dir)
    if config.extra.get("offline_bundle"):
        augment_site(site, {x.code: x.search or "en" for x in langs})
        return
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):
        return  # one of the languages mkdocs-static-i18n builds: indexed with the others at the end
    root_lang = _root_language(config, i18n) or langs[0].code
    others = [x.code for x in langs if x.code != root_lang]
    if _SERVE["dirty"]:
        _INDEXER.request(site, root_lang, others)
        return
    try:
        counts = index_site(site, root_lang, others)
    except CdaError as exc:
        raise PluginError(str(exc)) from None
    log.info("cda: search index (Pagefind): %s", ", ".join(f"{k} {v} pages" for k, v in counts.items()))


class _Indexer:
    """``cda serve``'s search index, written in the background after each build: the page reloads
    without waiting for it. One Pagefind run at a time; an edit during a run asks for one more."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: tuple[Path, str, list[str]] | None = None
        self._running = False

    def request(self, site: Path, root_lang: str, others: list[str]) -> None:
        with self._lock:
            self._next = (site, root_lang, others)
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, name="cda-search-index", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._next = self._next, None
                if job is None:
                    self._running = False
                    return
            try:
                counts = index_site(*job)
            except CdaError as exc:  # the preview goes on with the previous index
                log.warning("cda: search index not updated: %s", exc)
                continue
            log.info("cda: search index (Pagefind): %s", ", ".join(f"{k} {v} pages" for k, v in counts.items()))


_INDEXER = _Indexer()


def _root_language(config: MkDocsConfig, i18n: Any) -> str | None:
    """The language at the site's root: the one a ``cda build`` process builds alone, else
    static-i18n's default (after its builds, ``theme.language`` is the last one it built)."""
    if i18n is None:
        return config.theme.get("language")
    if i18n.config.build_only_locale:
        return str(i18n.config.build_only_locale)
    return next((str(x.locale) for x in i18n.config.languages if x.default), None)


def _nav(folder: Path) -> Any:
    try:
        return _prefix(json.loads((folder / ".nav.json").read_text("utf-8")), folder.name)
    except OSError:
        return None


def _prefix(item: Any, lang: str) -> Any:
    if isinstance(item, str):
        return f"{lang}/{item}"
    if isinstance(item, list):
        return [_prefix(i, lang) for i in item]
    if isinstance(item, dict):
        return {k: _prefix(v, lang) for k, v in item.items()}
    return item
