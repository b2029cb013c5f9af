#!/usr/bin/env bash
# Set up and start SalesDesk on a throwaway demo database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/salesdesk --demo "$@"
