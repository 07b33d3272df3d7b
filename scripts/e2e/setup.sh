#!/usr/bin/env bash
# Installs the Python tools of the deploy proof (test/e2e) and the template gates (test/gates) into venvs inside the
# repository (ignored by git through `.venv*/`):
#   .venv-moto/    moto server (the emulated AWS account of the e2e test) and cfn-lint
#   .venv-checkov/ checkov (its own venv: its pins conflict with moto's)
# `npm test` runs it first, so a fresh clone needs nothing else. Idempotent and cached: an existing venv whose tool
# answers `--version` is kept (about 1 s); a first run downloads from PyPI (pip's cache makes later ones faster).
# Usage: bash scripts/e2e/setup.sh        (from any directory; PYTHON=python3.x to choose the interpreter)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"

MOTO_SPEC='moto[server]>=5.2,<6'
CFN_LINT_SPEC='cfn-lint>=1.51,<2'
CHECKOV_SPEC='checkov>=3.3,<4'

make_venv() { # dir spec... ; probe command
  local dir="$1"; shift
  local probe="$1"; shift
  if [ -x "$dir/bin/$probe" ] && "$dir/bin/$probe" --version >/dev/null 2>&1; then
    echo "setup: $dir already has $probe ($("$dir/bin/$probe" --version 2>&1 | head -n1))"
    return 0
  fi
  echo "setup: creating $dir with: $* (first run only; takes a minute or two)"
  rm -rf "$dir"
  if ! "$PYTHON" -m venv "$dir"; then
    echo "setup: FAILED: '$PYTHON -m venv' did not work. Install Python 3.9+ with its venv module" \
      "(Debian/Ubuntu: apt-get install python3-venv), or set PYTHON to one that has it." >&2
    rm -rf "$dir"; exit 1
  fi
  if ! "$dir/bin/pip" install --quiet --disable-pip-version-check --upgrade pip \
    || ! "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"; then
    rm -rf "$dir"
    echo "setup: FAILED to install $* from PyPI (see pip's message above)." >&2
    echo "setup: the deploy proof (test/e2e) and the template gates (test/gates) need these tools." >&2
    echo "setup: check that https://pypi.org is reachable, or point pip at a mirror (PIP_INDEX_URL=...)," >&2
    echo "setup: then run npm test again. Nothing was left half-installed." >&2
    exit 1
  fi
}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup: FAILED: $PYTHON not found. The deploy proof and the template gates need Python 3.9+ (set PYTHON=...)." >&2
  exit 1
fi

start=$(date +%s)
make_venv "$ROOT/.venv-moto" cfn-lint "$MOTO_SPEC" "$CFN_LINT_SPEC"
test -x "$ROOT/.venv-moto/bin/moto_server" || { echo "setup: moto_server missing in .venv-moto" >&2; exit 1; }
make_venv "$ROOT/.venv-checkov" checkov "$CHECKOV_SPEC"

echo "setup: moto $("$ROOT/.venv-moto/bin/python" -c 'import moto; print(moto.__version__)'),"\
  "$("$ROOT/.venv-moto/bin/cfn-lint" --version 2>&1 | head -n1),"\
  "checkov $("$ROOT/.venv-checkov/bin/checkov" --version 2>&1 | tail -n1)"
echo "setup: done in $(( $(date +%s) - start ))s"
