"""``python -m benchmarks``: generate synthetic curricula, measure every stage, compare, report.

For each size N (``--modules 40,200,800``), in a fresh temporary project:

1. set-up (not timed): :func:`benchmarks.synth.generate`, then es/pt catalogs made with cda's
   own extract/update and filled by :func:`benchmarks.pseudo.pseudo_translate`; then one word
   is changed in 10% of the readings' paragraphs;
2. the stages, each a fresh ``python -m build_tools ...`` process (see :mod:`benchmarks.measure`):
   ``validate`` (load+validate), ``extract``, ``update`` (after the 10% change), ``check``,
   ``generate`` (cold: docs/ removed first), ``build`` (``cda build``, with the time before
   MkDocs split out by :func:`benchmarks.drivers.build`);
3. the comparisons, side by side: GNU ``msgmerge --previous`` and Babel's ``Catalog.update``
   on copies of the same catalogs and templates; mdpo's API vs our segment/apply on the same
   readings; a default mkdocs-material + mkdocs-static-i18n build of the same docs/;
   incremental regeneration after editing one module; ``cda serve`` latency; page weight and
   per-language search indexes of the built site.

Prints a Markdown table per size and a budgets table; writes ``OUT/results.json`` and
``OUT/results.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from benchmarks import browser, measure, report, synth

REPO = measure.REPO
STAGES = ("validate", "extract", "update", "check", "generate", "build")
COMPARISONS = ("default_mkdocs", "msgmerge", "babel", "babel_single", "ours_md", "mdpo", "incremental",
               "serve", "serve_lang", "page_weight", "search_index", "rebuild", "first_search")
RATIOS = ("site_build_vs_default_mkdocs", "site_build_vs_default_mkdocs_cpu", "pre_mkdocs_share",
          "pre_mkdocs_share_cpu", "update_vs_msgmerge", "update_vs_msgmerge_cpu", "babel_vs_update",
          "babel_single_vs_update", "extract_apply_vs_mdpo", "incremental_files_rewritten",
          "incremental_files_changed", "serve_latency_s", "serve_lang_latency_s", "module_page_kb",
          "search_index_own_language", "build_peak_rss_mb", "build_tree_peak_mb")
MDPO_VERSION = "2.1.4"


def log(msg: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


# -- stages ------------------------------------------------------------------------------------

def measured(name: str, cmd: list[str], repeat: int, prepare: Callable[[], None] | None = None,
             timeout: float | None = None, cwd: Path | None = None) -> tuple[dict[str, Any], measure.Result]:
    """Run ``cmd`` ``repeat`` times (``prepare`` before each) and keep the median run by wall time."""
    runs = []
    for _ in range(max(1, repeat)):
        if prepare:
            prepare()
        runs.append(measure.run(cmd, cwd=cwd, timeout=timeout))
        if runs[-1].returncode != 0:
            break
    failed = runs[-1] if runs[-1].returncode != 0 else None
    runs.sort(key=lambda r: r.wall)
    best = failed or runs[len(runs) // 2]
    data = best.as_dict()
    data["samples_wall"] = [round(r.wall, 3) for r in runs]
    log(f"  {name}: {best.wall:.2f} s wall, {best.cpu:.2f} s CPU, {best.peak_rss_mb:.0f} MB"
        + ("" if best.returncode == 0 else f"  FAILED rc={best.returncode}: {best.stderr.strip()[-400:]}"))
    return data, best


def _rm(path: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(path, ignore_errors=True)


def _copytree(src: Path, dst: Path) -> None:
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)


def snapshot_code(tmp: Path, rev: str | None = None) -> dict[str, Any]:
    """Copy ``build_tools/`` and ``mkdocs.yml`` (from the working tree, or from commit ``rev`` with
    ``git archive``) so that every stage of every size measures the same code, even if the
    working tree changes while the benchmark runs."""
    code = tmp / "code"

    def git(*args: str) -> str:
        proc = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False)
        return proc.stdout.strip() if proc.returncode == 0 else ""
    if rev:
        code.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "build_tools", "mkdocs.yml"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    else:
        shutil.copytree(REPO / "build_tools", code / "build_tools", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy2(REPO / "mkdocs.yml", code / "mkdocs.yml")
    measure.CODE = code
    sys.path.insert(0, str(code))
    dirty = "" if rev else git("status", "--porcelain", "--", "build_tools", "mkdocs.yml")
    digest = hashlib.sha1()
    for path in sorted((code / "build_tools").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(code)).encode() + path.read_bytes())
    return {"commit": git("rev-parse", "--short", rev or "HEAD") or None, "uncommitted_changes": dirty.splitlines(),
            "sha1": digest.hexdigest()[:12], "snapshot": str(code)}


def write_mkdocs_config(root: Path) -> None:
    """The project's mkdocs.yml with absolute hook and theme paths (``cda serve`` reads it)."""
    code = measure.CODE
    cfg = yaml.safe_load((code / "mkdocs.yml").read_text("utf-8"))
    site = code / "build_tools" / "site"
    if site.is_dir():
        cfg["theme"]["custom_dir"], cfg["hooks"] = str(site / "theme"), [str(site / "hook.py")]
    else:  # a commit from before the layer packages (``--rev``)
        cfg["theme"]["custom_dir"] = str(code / "build_tools" / "site_theme")
        cfg["hooks"] = [str(code / "build_tools" / "mkdocs_hook.py")]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), "utf-8")


def write_default_config(root: Path) -> Path:
    """What a team would write without cda's build: one mkdocs.yml, static-i18n building every
    language in one process, default navigation (no ``navigation.prune``), merged search."""
    cfg = yaml.safe_load((measure.CODE / "mkdocs.yml").read_text("utf-8"))
    theme = cfg["theme"]
    theme.pop("custom_dir", None)
    theme["features"] = [f for f in theme.get("features", []) if f != "navigation.prune"]
    cfg.pop("hooks", None)
    cfg.pop("watch", None)
    cfg.pop("extra_css", None)
    cfg.pop("nav", None)
    cfg["strict"] = False
    cfg["site_dir"] = "site-default"
    plugins = []
    for plugin in cfg["plugins"]:
        name, options = next(iter(plugin.items())) if isinstance(plugin, dict) else (plugin, {})
        options = dict(options or {})
        if name == "search":
            options = {"lang": ["en", "es", "pt"]}
        if name == "i18n":
            options["reconfigure_search"] = True
            options.pop("build_only_locale", None)
            # mkdocs.yml lists only the source language (cda adds the others from program.yaml);
            # a team without cda lists them all here.
            program = yaml.safe_load((root / "curriculum" / "program.yaml").read_text("utf-8"))
            options["languages"] = [{"locale": x["code"], "name": x["name"], "build": True,
                                     **({"default": True} if i == 0 else {}),
                                     **({"site_name": x["site_name"]} if x.get("site_name") else {})}
                                    for i, x in enumerate(program["languages"])]
        plugins.append({name: options})
    cfg["plugins"] = plugins
    path = root / "mkdocs.default.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), "utf-8")
    return path


# -- site inspection ---------------------------------------------------------------------------

def _lang_dirs(site: Path) -> dict[str, Path]:
    return {"en": site, "es": site / "es", "pt": site / "pt"}


def _own_pages(base: Path, lang: str) -> list[Path]:
    skip = {"es", "pt", "assets", "search", "pagefind"} if lang == "en" else {"assets", "search", "pagefind"}
    out = []
    for path in base.rglob("index.html"):
        rel = path.relative_to(base)
        if rel.parts and rel.parts[0] in skip:
            continue
        out.append(path)
    return out


def page_weight(site: Path) -> dict[str, Any]:
    """Median and maximum bytes of the module pages' HTML, per language."""
    out: dict[str, Any] = {}
    for lang, base in _lang_dirs(site).items():
        sizes = [p.stat().st_size for p in (base / "modules").glob("*/index.html")]
        out[lang] = {"pages": len(sizes), "median_kb": round(statistics.median(sizes) / 1024, 1) if sizes else None,
                     "max_kb": round(max(sizes) / 1024, 1) if sizes else None}
    return out


def search_indexes(site: Path) -> dict[str, Any]:
    """For each language's index: pages in it, pages of that language, entries of other languages
    (Material's lunr index, and the language's Pagefind bundle where the build wrote one)."""
    out: dict[str, Any] = {}
    own = True
    for lang, base in _lang_dirs(site).items():
        path = base / "search" / "search_index.json"
        pages = len(_own_pages(base, lang))
        entry = base / "pagefind" / "pagefind-entry.json"
        pagefind = None
        if entry.exists():
            langs = json.loads(entry.read_text("utf-8")).get("languages", {})
            pagefind = {"languages": {k: v.get("page_count") for k, v in langs.items()},
                        "bytes": sum(p.stat().st_size for p in (base / "pagefind").rglob("*") if p.is_file())}
            own = own and set(langs) == {lang} and all(v.get("page_count", 0) <= pages + 1 for v in langs.values())
        if not path.exists():
            out[lang] = {"exists": False, "language_pages": pages}
            own = False
            continue
        data = json.loads(path.read_text("utf-8"))
        locations = {d["location"].split("#")[0] for d in data.get("docs", [])}
        others = [x for x in ("en", "es", "pt") if x != lang]
        foreign = sum(1 for loc in locations if loc.split("/")[0] in others or loc.startswith("../"))
        out[lang] = {"exists": True, "bytes": path.stat().st_size, "indexed_pages": len(locations),
                     "language_pages": pages, "foreign_pages": foreign,
                     "lang_config": data.get("config", {}).get("lang"), "pagefind": pagefind}
        own = own and foreign == 0 and len(locations) <= pages + 1
    out["own_language_only"] = own
    return out


def search_word(docs: Path, sy: synth.Synth) -> str:
    """A word readers of ``docs`` would search for: the longest of a module's title there."""
    _, mid = sy.modules[len(sy.modules) // 3]
    title = next((line[2:] for line in (docs / "modules" / f"{mid}.md").read_text("utf-8").splitlines()
                  if line.startswith("# ")), "")
    words = [w.strip(".,:;!?¿¡()") for w in title.replace("<", " <").split() if not w.startswith("<")]
    return max(words, key=len) if words else "data"


def hidden_terms_bytes(site: Path, lang: str) -> int | None:
    """Bytes of the index's hidden ``terms`` field (inflection lists standing in for stemming)."""
    path = _lang_dirs(site)[lang] / "search" / "search_index.json"
    if not path.exists():
        return None
    docs = json.loads(path.read_text("utf-8")).get("docs", [])
    return sum(len(json.dumps(d["terms"], ensure_ascii=False)) for d in docs if d.get("terms"))


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


# -- comparisons -------------------------------------------------------------------------------

def mdpo_python(venv: Path) -> tuple[str | None, str]:
    """An interpreter that can import mdpo: this one, or a side venv installed from the registry."""
    probe = subprocess.run([sys.executable, "-c", "import mdpo.md2po"], capture_output=True, check=False)
    if probe.returncode == 0:
        return sys.executable, "mdpo from the project venv"
    py = venv / "bin" / "python"
    if py.exists() and subprocess.run([str(py), "-c", "import mdpo.md2po"], capture_output=True).returncode == 0:
        return str(py), f"mdpo {MDPO_VERSION} from {venv}"
    log(f"installing mdpo {MDPO_VERSION} into {venv} (pip, package registry)")
    shutil.rmtree(venv, ignore_errors=True)
    steps = [[sys.executable, "-m", "venv", str(venv)],
             [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"mdpo=={MDPO_VERSION}"]]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, check=False, timeout=600)
        if proc.returncode != 0:
            return None, f"mdpo not installable: {(proc.stderr or proc.stdout).strip()[-300:]}"
    return str(py), f"mdpo {MDPO_VERSION} installed into {venv}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8", "replace")
    except Exception:
        return None


def serve_supports_lang() -> bool:
    proc = measure.run(measure.cda("serve", Path("."), "--help"))
    return "--lang" in proc.stdout


def serve_latency(root: Path, sy: synth.Synth, timeout: float, lang: str | None = None) -> dict[str, Any]:
    """Start ``cda serve`` (``--lang LANG`` if given), edit one module's reading, time until the
    English page shows the edit: in Chromium, the page open before the edit reloading itself
    (MkDocs' live reload), when Chromium is here; else polling the server."""
    port = free_port()
    logf = root / f"serve{'-' + lang if lang else ''}.log"
    track, mid = sy.modules[len(sy.modules) // 2]
    url = f"http://127.0.0.1:{port}/modules/{mid}/"
    extra = ["--lang", lang] if lang else []
    with logf.open("wb") as fh:
        proc = subprocess.Popen(measure.cda("serve", root, "-a", f"127.0.0.1:{port}", *extra), cwd=root,
                                env=measure.child_env(), stdout=fh, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    out: dict[str, Any] = {"url_path": f"/modules/{mid}/", "lang": lang or "all"}
    try:
        start = time.perf_counter()
        while _get(url) is None:
            if proc.poll() is not None or time.perf_counter() - start > timeout:
                out["error"] = "server did not come up: " + logf.read_text("utf-8", "replace")[-400:]
                return out
            time.sleep(0.2)
        out["first_build_s"] = round(time.perf_counter() - start, 2)
        tab = None if browser.available() else browser.Reload(url, int(timeout * 1000))
        time.sleep(2.0)
        marker = "servemarker" + "".join(chr(97 + int(c)) for c in str(int(time.time()))[-6:])
        synth.edit_one_module(sy, marker)
        edited = time.perf_counter()
        if tab is not None:
            out["observed"] = "in Chromium (live reload)"
            try:
                tab.wait_for(marker)
                out["latency_s"] = round(time.perf_counter() - edited, 2)
            except Exception as exc:  # Playwright's timeout: report it as a failed measurement
                out["error"] = f"edit not shown in the browser: {str(exc)[:200]}"
            finally:
                tab.close()
            return out
        out["observed"] = "polling the server"
        while True:
            body = _get(url)
            if body and marker in body:
                out["latency_s"] = round(time.perf_counter() - edited, 2)
                break
            if proc.poll() is not None or time.perf_counter() - edited > timeout:
                out["error"] = "edit not shown before the time limit"
                break
            time.sleep(0.1)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return out


# -- one size ----------------------------------------------------------------------------------

def bench_size(n: int, args: argparse.Namespace, tmp: Path, mdpo: tuple[str | None, str], smallest: bool
               ) -> dict[str, Any]:
    root = tmp / f"n{n}"
    work = tmp / f"work{n}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    root.mkdir(parents=True)
    work.mkdir(parents=True)
    result: dict[str, Any] = {"modules": n, "stages": {}, "comparisons": {}, "ratios": {}}
    st, cmp_ = result["stages"], result["comparisons"]
    t0 = time.perf_counter()
    log(f"{n} modules: generating synthetic curriculum in {root}")
    sy = synth.generate(root, n, args.seed)
    write_mkdocs_config(root)
    counts = synth.translate_catalogs(root)
    change = synth.change_paragraphs(sy, 0.10)
    result["setup"] = {"seconds": round(time.perf_counter() - t0, 1), "reading_words": sy.words,
                       "words_per_reading": round(sy.words / n), "catalogs": counts["catalogs"],
                       "messages": counts["messages"], "translated": counts["translated"],
                       "paragraph_change": change}
    log(f"  set-up {result['setup']['seconds']} s: {counts['catalogs']} catalogs, {counts['messages']} messages; "
        f"changed {change['changed']} of {change['paragraphs']} paragraphs")
    rep, to = args.repeat, args.stage_timeout
    locales = root / "curriculum" / "locales"

    st["validate"], _ = measured("validate", measure.cda("validate", root), rep, timeout=to)
    st["extract"], _ = measured("extract", measure.cda("extract", root), rep, timeout=to)
    snap, pots = work / "snap", work / "pots"
    for lang in ("es", "pt"):
        _copytree(locales / lang, snap / lang)
    _copytree(locales / "templates", pots)

    def restore() -> None:
        for lang in ("es", "pt"):
            _copytree(snap / lang, locales / lang)

    st["update"], _ = measured("update", measure.cda("update", root), rep, restore, timeout=to)
    changed_catalogs = sum(1 for lang in ("es", "pt") for p in (locales / lang / "LC_MESSAGES").glob("*.po")
                           if p.read_bytes() != (snap / lang / "LC_MESSAGES" / p.name).read_bytes())
    st["update"]["catalogs_rewritten"] = changed_catalogs
    st["check"], _ = measured("check", measure.cda("check", root), rep, timeout=to)
    st["generate"], _ = measured("generate", measure.cda("generate", root), rep, _rm(root / "docs"), timeout=to)
    build_json = work / "build.json"
    st["build"], build = measured("build", measure.python("-m", "benchmarks.drivers", "build", str(root),
                                                          str(build_json)), rep, _rm(root / "site"), timeout=to)
    inside = json.loads(build_json.read_text("utf-8")) if build_json.exists() else {}
    st["build"]["steps"] = {k: round(v, 3) for k, v in inside.get("steps", {}).items()}
    if inside:
        st["build"]["before_mkdocs"] = round(build.wall - inside["from_mkdocs_to_end"], 3)
        st["build"]["mkdocs_and_after"] = round(inside["from_mkdocs_to_end"], 3)
        if inside.get("cpu_before_mkdocs") is not None:
            st["build"]["cpu_before_mkdocs"] = round(inside["cpu_before_mkdocs"], 3)
    site = root / "site"
    result["site"] = {"pages_per_language": len(_own_pages(site, "en")) if site.exists() else 0}

    # the same build again, nothing changed: what is left before MkDocs is what the caches do not save
    again_json = work / "rebuild.json"
    cmp_["rebuild"], again = measured("build again, nothing changed", measure.python(
        "-m", "benchmarks.drivers", "build", str(root), str(again_json)), 1, timeout=to)
    if again_json.exists():
        inside = json.loads(again_json.read_text("utf-8"))
        cmp_["rebuild"]["before_mkdocs"] = round(again.wall - inside["from_mkdocs_to_end"], 3)
        cmp_["rebuild"]["steps"] = {k: round(v, 3) for k, v in inside.get("steps", {}).items()}

    # a reader's first search on /es/, in Chromium
    why = browser.available()
    query = search_word(root / "docs" / "es", sy)
    if why or not site.exists():
        cmp_["first_search"] = {"skipped": why or "no site"}
    else:
        try:
            cmp_["first_search"] = browser.first_search(site, "es", query)
        except Exception as exc:  # a failed measurement is reported, not fatal
            cmp_["first_search"] = {"error": str(exc)[:300], "query": query}
        log(f"  first search on /es/: {cmp_['first_search']}")

    # catalog update comparisons
    mm_json = work / "msgmerge.json"
    if shutil.which("msgmerge"):
        cmp_["msgmerge"], _ = measured("msgmerge --previous (one per catalog)", measure.python(
            "-m", "benchmarks.drivers", "msgmerge", str(snap), str(pots), str(work / "mm"), str(mm_json)), 1,
            timeout=to)
        cmp_["msgmerge"].update(json.loads(mm_json.read_text("utf-8")) if mm_json.exists() else {})
    else:
        cmp_["msgmerge"] = {"skipped": "GNU msgmerge not installed"}
    for key, single in (("babel", False), ("babel_single", True)):
        if args.skip_babel:
            cmp_[key] = {"skipped": "--skip-babel"}
        elif not smallest and not args.babel_all:
            cmp_[key] = {"skipped": "smallest size only (--babel-all runs it at every size)"}
        else:
            out = work / f"{key}.json"
            cmd = measure.python("-m", "benchmarks.drivers", "babel", str(snap), str(pots), str(out),
                                 *(["--single"] if single else []))
            what = "one catalog per language" if single else "per catalog"
            cmp_[key], res = measured(f"Babel Catalog.update ({what})", cmd, 1, timeout=args.babel_timeout)
            if res.timed_out:
                cmp_[key]["timed_out_after"] = args.babel_timeout
            cmp_[key].update(json.loads(out.read_text("utf-8")) if out.exists() else {})

    # extraction + application vs mdpo
    listing = work / "readings.txt"
    listing.write_text("\n".join(str(p) for p in sy.readings()), "utf-8")
    (work / "md").mkdir()
    ours_json = work / "ours_md.json"
    cmp_["ours_md"], _ = measured("ours: segment + apply", measure.python(
        "-m", "benchmarks.drivers", "ours-md", str(listing), str(work / "md"), str(ours_json)), 1, timeout=to)
    cmp_["ours_md"].update(json.loads(ours_json.read_text("utf-8")) if ours_json.exists() else {})
    if mdpo[0] is None:
        cmp_["mdpo"] = {"skipped": mdpo[1]}
    else:
        mdpo_json = work / "mdpo.json"
        cmp_["mdpo"], _ = measured("mdpo API", [mdpo[0], str(REPO / "benchmarks" / "mdpo_driver.py"), str(listing),
                                                str(work / "md"), str(mdpo_json)], 1, timeout=to)
        cmp_["mdpo"].update(json.loads(mdpo_json.read_text("utf-8")) if mdpo_json.exists() else {})
        cmp_["mdpo"]["source"] = mdpo[1]

    # page weight and search indexes of our site
    if site.exists():
        cmp_["page_weight"] = {"cda": page_weight(site)}
        cmp_["search_index"] = {"cda": search_indexes(site)}
        cmp_["search_index"]["cda"]["es_terms_bytes"] = hidden_terms_bytes(site, "es")

    # default mkdocs-material + static-i18n build of the same docs/
    if args.skip_default_mkdocs:
        cmp_["default_mkdocs"] = {"skipped": "--skip-default-mkdocs"}
    else:
        cfg = write_default_config(root)
        cmp_["default_mkdocs"], _ = measured("default mkdocs-material + static-i18n build", measure.python(
            "-m", "mkdocs", "build", "-q", "-f", str(cfg)), 1, _rm(root / "site-default"), timeout=to, cwd=root)
        default_site = root / "site-default"
        if default_site.exists():
            cmp_.setdefault("page_weight", {})["default_mkdocs"] = page_weight(default_site)
            cmp_.setdefault("search_index", {})["default_mkdocs"] = search_indexes(default_site)
            # the same first search with Material's own search (lunr, the whole index) side by side
            try:
                cmp_["first_search_default"] = {"skipped": why} if why else browser.first_search(
                    default_site, "es", query)
            except Exception as exc:  # a failed measurement is reported, not fatal
                cmp_["first_search_default"] = {"error": str(exc)[:300], "query": query}
            log(f"  first search on /es/ of the default build: {cmp_['first_search_default']}")
            cmp_["default_mkdocs"]["site_mb"] = round(sum(p.stat().st_size for p in default_site.rglob("*")
                                                          if p.is_file()) / 2**20, 1)
            shutil.rmtree(default_site, ignore_errors=True)
    if site.exists():
        st["build"]["site_mb"] = round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20, 1)

    # incremental: edit one module, regenerate
    before = tree_hashes(root / "docs")
    mid, _ = synth.edit_one_module(sy, "benchmarkedit")
    inc, inc_run = measured("incremental generate after one edit", measure.cda("generate", root), 1, timeout=to)
    after = tree_hashes(root / "docs")
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    written = None
    line = next((ln for ln in inc_run.stdout.splitlines() if "file(s) written" in ln), "")
    if line:
        written = int(line.split(":")[1].split()[0])
    inc.update({"edited_module": mid, "files_rewritten": written, "files_changed": len(changed),
                "changed": changed[:20], "docs_files": len(after)})
    cmp_["incremental"] = inc

    # cda serve latency
    for key, lang in (("serve", None), ("serve_lang", "en")):
        if args.skip_serve:
            cmp_[key] = {"skipped": "--skip-serve"}
        elif n > args.serve_max:
            cmp_[key] = {"skipped": f"only up to {args.serve_max} modules (--serve-max)"}
        elif lang and not serve_supports_lang():
            cmp_[key] = {"skipped": "cda serve has no --lang"}
        else:
            log(f"  cda serve{' --lang ' + lang if lang else ''}: waiting for the first build, then editing one module")
            cmp_[key] = serve_latency(root, sy, args.stage_timeout, lang)
            log(f"  cda serve: {cmp_[key]}")

    result["ratios"] = compute_ratios(result)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return result


def _wall(d: dict[str, Any] | None) -> float | None:
    if not d or d.get("skipped") or d.get("returncode", 0) != 0 or d.get("timed_out"):
        return None
    return d.get("wall")


def _cpu(d: dict[str, Any] | None) -> float | None:
    return d.get("cpu") if _wall(d) is not None else None  # type: ignore[union-attr]


def _div(a: float | None, b: float | None, digits: int = 3) -> float | None:
    return round(a / b, digits) if a is not None and b not in (None, 0) else None


def compute_ratios(r: dict[str, Any]) -> dict[str, Any]:
    st, cmp_ = r["stages"], r["comparisons"]
    ratios: dict[str, Any] = dict.fromkeys(RATIOS)
    build = _wall(st.get("build"))
    ratios["site_build_vs_default_mkdocs"] = _div(build, _wall(cmp_.get("default_mkdocs")))
    ratios["site_build_vs_default_mkdocs_cpu"] = _div(_cpu(st.get("build")), _cpu(cmp_.get("default_mkdocs")))
    for suffix, get, pre_key in (("", _wall, "before_mkdocs"), ("_cpu", _cpu, "cpu_before_mkdocs")):
        parts = [get(st.get(k)) for k in ("extract", "update", "check")]
        pre_build = st.get("build", {}).get(pre_key)
        total_build = get(st.get("build"))
        if total_build is not None and pre_build is not None and None not in parts:
            pre = sum(parts) + pre_build  # type: ignore[arg-type]
            ratios["pre_mkdocs_share" + suffix] = round(pre / (sum(parts) + total_build), 4)  # type: ignore[arg-type]
    update = _wall(st.get("update"))
    ratios["update_vs_msgmerge"] = _div(update, _wall(cmp_.get("msgmerge")))
    ratios["update_vs_msgmerge_cpu"] = _div(_cpu(st.get("update")), _cpu(cmp_.get("msgmerge")))
    babel = cmp_.get("babel", {})
    ratios["babel_vs_update"] = _div(babel.get("timed_out_after") or _wall(babel), update, 2)
    single = cmp_.get("babel_single", {})
    ratios["babel_single_vs_update"] = _div(single.get("timed_out_after") or
                                            (single.get("update_seconds") if _wall(single) else None), update, 2)
    ours, theirs = cmp_.get("ours_md", {}), cmp_.get("mdpo", {})
    if "extract_seconds" in ours and "extract_seconds" in theirs:
        ratios["extract_apply_vs_mdpo"] = _div(ours["extract_seconds"] + ours["apply_seconds"],
                                               theirs["extract_seconds"] + theirs["apply_seconds"])
    inc = cmp_.get("incremental", {})
    ratios["incremental_files_rewritten"] = inc.get("files_rewritten")
    ratios["incremental_files_changed"] = inc.get("files_changed")
    ratios["serve_latency_s"] = cmp_.get("serve", {}).get("latency_s")
    ratios["serve_lang_latency_s"] = cmp_.get("serve_lang", {}).get("latency_s")
    weight = cmp_.get("page_weight", {}).get("cda", {})
    ratios["module_page_kb"] = weight.get("en", {}).get("median_kb")
    ratios["search_index_own_language"] = cmp_.get("search_index", {}).get("cda", {}).get("own_language_only")
    if st.get("build", {}).get("returncode") == 0:
        ratios["build_peak_rss_mb"] = st["build"]["peak_rss_mb"]
        ratios["build_tree_peak_mb"] = st["build"]["tree_peak_mb"]
    return ratios


# -- main --------------------------------------------------------------------------------------

def environment() -> dict[str, Any]:
    from importlib import metadata

    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None
    msgmerge = shutil.which("msgmerge")
    mm_version = subprocess.run([msgmerge, "--version"], capture_output=True, text=True).stdout.split("\n")[0] \
        if msgmerge else None
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=False).stdout.strip()
    return {"date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "commit": head or None,
            "versions": {n: version(n) for n in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "babel",
                                                 "markdown-it-py", "RapidFuzz")} | {"msgmerge": mm_version}}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--modules", default="40,200", help="comma-separated course sizes (default 40,200)")
    p.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out",
                   help="folder for results.json and results.md (default benchmarks/out, git-ignored)")
    p.add_argument("--repeat", type=int, default=1, help="runs per stage; the median is kept (default 1)")
    p.add_argument("--skip-babel", action="store_true", help="do not run Babel's Catalog.update")
    p.add_argument("--skip-default-mkdocs", action="store_true",
                   help="do not run the default mkdocs-material + static-i18n build")
    p.add_argument("--skip-mdpo", action="store_true", help="do not run (or install) mdpo")
    p.add_argument("--skip-serve", action="store_true", help="do not measure cda serve")
    p.add_argument("--serve-max", type=int, default=200, help="largest size at which cda serve is measured")
    p.add_argument("--babel-timeout", type=float, default=300.0,
                   help="stop Babel after this many seconds; the ratio is then a lower bound")
    p.add_argument("--babel-all", action="store_true", help="run Babel at every size, not only the smallest")
    p.add_argument("--stage-timeout", type=float, default=3600.0, help="stop any stage after this many seconds")
    p.add_argument("--mdpo-venv", type=Path, default=REPO / "benchmarks" / "out" / ".mdpo-venv",
                   help="where mdpo is installed if the project venv lacks it")
    p.add_argument("--workdir", type=Path, default=None, help="where the temporary projects go")
    p.add_argument("--keep", action="store_true", help="keep the temporary projects")
    p.add_argument("--seed", default="cda-benchmarks", help="seed of the synthetic curricula")
    p.add_argument("--code-rev", default=None, metavar="REV",
                   help="measure build_tools/ as committed at REV (default: the working tree as it is at start)")
    p.add_argument("--from-json", type=Path, default=None, metavar="RESULTS",
                   help="print the tables of an earlier results.json and exit")
    args = p.parse_args(argv)
    try:
        args.sizes = sorted({int(x) for x in args.modules.split(",") if x.strip()})
    except ValueError:
        p.error("--modules takes comma-separated integers, e.g. 40,200,800")
    if not args.sizes or min(args.sizes) < 1:
        p.error("--modules needs sizes of at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        results = json.loads(args.from_json.read_text("utf-8"))
        for size in results["sizes"].values():
            size["ratios"] = compute_ratios(size)
        results["budgets"] = report.budgets(results)
        results["speed_budgets"] = report.speed_budgets(results)
        sys.stdout.write(report.markdown(results))
        return 0
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        sys.stderr.write("error: run with the project's venv (.venv/bin/python -m benchmarks)\n")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="cda-bench-", dir=args.workdir))
    started = time.perf_counter()
    code = snapshot_code(tmp, args.code_rev)
    log(f"measuring build_tools at {code['commit']} (sha1 {code['sha1']}"
        + (f", with uncommitted changes: {', '.join(code['uncommitted_changes'])}" if code["uncommitted_changes"]
           else "") + ")")
    results: dict[str, Any] = {"environment": environment() | {"code": code}, "arguments": {
        "modules": args.sizes, "repeat": args.repeat, "skip_babel": args.skip_babel,
        "skip_default_mkdocs": args.skip_default_mkdocs, "skip_mdpo": args.skip_mdpo, "skip_serve": args.skip_serve,
        "seed": args.seed}, "sizes": {}}
    mdpo = (None, "--skip-mdpo") if args.skip_mdpo else mdpo_python(args.mdpo_venv)
    try:
        for n in args.sizes:
            results["sizes"][str(n)] = bench_size(n, args, tmp, mdpo, n == args.sizes[0])
            _save(args.out, results)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    results["budgets"] = report.budgets(results)
    results["speed_budgets"] = report.speed_budgets(results)
    results["seconds"] = round(time.perf_counter() - started, 1)
    text = report.markdown(results)
    _save(args.out, results, text)
    sys.stdout.write(text)
    log(f"wrote {args.out / 'results.json'} and {args.out / 'results.md'}")
    return 0


def _save(out: Path, results: dict[str, Any], text: str | None = None) -> None:
    (out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    if text is not None:
        (out / "results.md").write_text(text, "utf-8")
