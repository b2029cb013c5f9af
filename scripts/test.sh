#!/usr/bin/env bash
# Set up and run the whole test suite: venv, the project with its test extra, lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
.venv/bin/ruff check salesdesk tests
.venv/bin/mypy salesdesk/domain salesdesk/store
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
