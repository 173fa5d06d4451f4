"""MkDocs hook: plain ``mkdocs build``/``mkdocs serve`` regenerate ``docs/`` from ``curriculum/``.

``cda build`` generates first and sets ``CDA_GENERATED=1``, so the hook only sets the
navigation. The navigation of each language comes from ``docs/<lang>/.nav.json``, written
by the generator with titles in that language.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs_static_i18n.config import I18nPluginLanguage

from build_tools.base.errors import CdaError, DiagnosticsError, LockError
from build_tools.base.languages import read_languages
from build_tools.site.build import alternates, generate_docs, i18n_languages
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
    if os.environ.get("CDA_GENERATED") != "1" and not alternate:
        try:
            changed = generate_docs(root)
        except DiagnosticsError as exc:
            raise PluginError("curriculum/ does not validate:\n" + exc.report.format()) from None
        except LockError as exc:  # another cda command is writing: this rebuild waits for the next save
            raise PluginError(str(exc)) from None
        log.info("cda: regenerated docs/ (%d file(s) changed)", changed)
    docs = Path(config.docs_dir)
    config.nav = _nav(docs / "en")
    if i18n is not None:
        _add_languages(root, config, i18n.config)
        for language in i18n.config.languages:
            if language.locale != "en":
                language.nav = _nav(docs / language.locale)
    return config


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
    try:
        counts = index_site(site, root_lang, [x.code for x in langs if x.code != root_lang])
    except CdaError as exc:
        raise PluginError(str(exc)) from None
    log.info("cda: search index (Pagefind): %s", ", ".join(f"{k} {v} pages" for k, v in counts.items()))


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
