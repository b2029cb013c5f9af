#!/usr/bin/env bash
# The Debian packages SalesDesk needs besides Python: Qt's runtime libraries, poppler-utils
# (PDF checks in the tests) and PostgreSQL (the PostgreSQL half of the tests). Idempotent.
# Installs them as root (or through sudo when it needs no password); otherwise says what is missing.
set -euo pipefail
packages=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
          libxcb-cursor0 poppler-utils postgresql)
command -v dpkg-query >/dev/null 2>&1 || exit 0
need=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
[ "${#need[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    echo "Missing Debian packages (install them as root): ${need[*]}" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
