#!/usr/bin/env bash
# Install the system tools the build and the tests need, on Debian, as root.
#
#   - chromium  (Debian's package: /usr/bin/chromium, used by the browser tests through Playwright)
#   - gettext   (msgfmt, msgcat, msgmerge: used by the translation workflow and its tests)
#   - axe-core  (from the npm registry, into node_modules/, used by the accessibility tests)
#   - iframe-worker (npm, pinned; tests/test_offline.py checks our vendored copy of its shim against it)
#   - poppler-utils (pdftotext, pdfinfo: the PDF tests read the course PDFs back)
#   - Pango (WeasyPrint, which writes `cda pdf`'s PDFs, draws text with it) and DejaVu fonts
#
# Idempotent: installs only what is missing, so running it again is quick and changes nothing.
# Usage: bash scripts/install-system-deps.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APT_UPDATED=0

say() { printf 'install-system-deps: %s\n' "$*"; }
die() { printf 'install-system-deps: error: %s\n' "$*" >&2; exit 1; }

have_pkg() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

apt_install() {
    # apt_install PACKAGE...: install the packages not installed yet.
    local missing=()
    local pkg
    for pkg in "$@"; do
        if have_pkg "$pkg"; then
            say "$pkg: already installed"
        else
            missing+=("$pkg")
        fi
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install ${missing[*]} by hand (this script supports Debian)"
    if [ "$(id -u)" -ne 0 ]; then
        die "installing ${missing[*]} needs root: run this script as root (or with sudo)"
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        apt-get update -q || die "apt-get update failed (is the Debian package registry reachable?)"
        APT_UPDATED=1
    fi
    say "apt-get install ${missing[*]}"
    apt-get install -y -q --no-install-recommends "${missing[@]}" \
        || die "apt-get install ${missing[*]} failed"
}

# 1. Debian packages.
apt_install chromium gettext poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
for tool in msgfmt msgcat msgmerge; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found after installing gettext"
done
command -v pdftotext >/dev/null 2>&1 || die "pdftotext not found after installing poppler-utils"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found after installing chromium"
say "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'installed')"

# 2. Node.js and npm (usually already on the machine; Debian's packages otherwise).
if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi
command -v node >/dev/null 2>&1 || die "node not found: install Node.js (Debian package nodejs)"
command -v npm >/dev/null 2>&1 || die "npm not found: install npm (Debian package npm)"

# 3. axe-core from the npm registry, pinned by package-lock.json.
cd "$ROOT"
if [ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/iframe-worker/shim/index.js ]; then
    say "axe-core: already in node_modules/ ($(node -p "require('./node_modules/axe-core/package.json').version"))"
else
    if [ -f package-lock.json ]; then
        say "npm ci (axe-core, iframe-worker)"
        npm ci --no-audit --no-fund || die "npm ci failed (is the npm registry reachable?)"
    else
        say "npm install (axe-core)"
        npm install --no-audit --no-fund || die "npm install failed (is the npm registry reachable?)"
    fi
    [ -f node_modules/axe-core/axe.min.js ] || die "node_modules/axe-core/axe.min.js missing after npm install"
    say "axe-core: installed ($(node -p "require('./node_modules/axe-core/package.json').version"))"
fi

say "done"
