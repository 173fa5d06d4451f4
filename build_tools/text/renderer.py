"""The renderer: the site's own Python-Markdown, configured exactly as ``mkdocs.yml`` configures MkDocs.

What this renders is what readers get. The segmenter reads Markdown with markdown-it-py; every
check that must hold for readers (the safety guard on translations, the differential check of
:mod:`build_tools.text.structure`, heading ids for in-page links, ``cda playbook``) renders here.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import markdown
import yaml

from build_tools.base.errors import CdaError

MKDOCS_YML = Path(__file__).resolve().parents[2] / "mkdocs.yml"
# MkDocs always loads these before the ones mkdocs.yml lists (``markdown_extensions`` builtins).
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")


@dataclass(frozen=True)
class MarkdownConfig:
    """Extension names in load order, and their options as JSON (so that the config is hashable)."""

    extensions: tuple[str, ...]
    options: str = "{}"

    def extension_configs(self) -> dict[str, dict[str, Any]]:
        data = json.loads(self.options)
        assert isinstance(data, dict)
        return data


def parse_config(data: object) -> MarkdownConfig:
    """The Markdown part of a parsed ``mkdocs.yml`` (its ``markdown_extensions`` list)."""
    items = data.get("markdown_extensions", []) if isinstance(data, dict) else []
    names: list[str] = list(MKDOCS_BUILTINS)
    options: dict[str, Any] = {}
    for item in items or []:
        if isinstance(item, str):
            name, opts = item, None
        elif isinstance(item, dict) and len(item) == 1:
            name, opts = next(iter(item.items()))
        else:
            raise CdaError(f"mkdocs.yml: cannot read the markdown extension {item!r}")
        if name not in names:
            names.append(name)
        if opts:
            options[name] = dict(opts)
    return MarkdownConfig(tuple(names), json.dumps(options, sort_keys=True))


@cache
def site_config(path: Path = MKDOCS_YML) -> MarkdownConfig:
    """The site's Markdown configuration, read from ``mkdocs.yml``."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CdaError(f"cannot read the site's Markdown configuration from {path}: {exc}") from None
    return parse_config(data)


@cache
def print_config() -> MarkdownConfig:
    """The site's configuration for paper (``cda playbook``): the same extensions, no permalinks."""
    site = site_config()
    options = site.extension_configs()
    options["toc"] = {**options.get("toc", {}), "permalink": False}
    return MarkdownConfig(site.extensions, json.dumps(options, sort_keys=True))


_local = threading.local()


def _instance(config: MarkdownConfig) -> markdown.Markdown:
    """One Python-Markdown instance per configuration and thread (building one takes ~0.2 s)."""
    cached: dict[MarkdownConfig, markdown.Markdown] = getattr(_local, "instances", None) or {}
    _local.instances = cached
    if config not in cached:
        cached[config] = markdown.Markdown(extensions=list(config.extensions),
                                           extension_configs=config.extension_configs())
    return cached[config]


def render(text: str, config: MarkdownConfig | None = None) -> str:
    """Markdown → HTML, as the site renders it."""
    md = _instance(config or site_config())
    md.reset()
    return str(md.convert(text))


@lru_cache(maxsize=32768)
def render_cached(text: str) -> str:
    """:func:`render` with the site's configuration, for texts rendered again and again (sources:
    each language's check renders the same source messages; an 800-module course has ~16,000 that
    are not one-line prose)."""
    return render(text)
