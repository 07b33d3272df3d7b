#!/usr/bin/env bash
# Installs the Python tools of the deploy proof (test/e2e) and the template gates (test/gates) into venvs inside the
# repository (ignored by git through `.venv*/`), from hash-locked files (docs/testing.md):
#   .venv-moto/    moto server (the emulated AWS account of the e2e test) and cfn-lint   test/requirements/moto.txt
#   .venv-checkov/ checkov (its own venv: its pins conflict with moto's)                test/requirements/checkov.txt
# Each lock holds the full transitive set at exact versions with hashes; pip installs exactly that
# (--require-hashes --no-deps, wheels only) and `pip check` proves the set complete.
# `npm test` runs it first, so a fresh clone needs nothing else. Idempotent and cached: a venv is kept (about 1 s)
# while the sha256 of its lock file and the Python that made it are those recorded in the venv (.lock-sha256) and its
# tool answers `--version`; otherwise it is made anew. A first run downloads from PyPI (pip's cache makes later ones
# faster). Usage: bash scripts/e2e/setup.sh   (from any directory; PYTHON=python3.x to choose the interpreter)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
REQ="$ROOT/test/requirements"

make_venv() { # dir probe lock
  local dir="$1" probe="$2" lock="$3"
  local stamp
  stamp="$(sha256sum "$lock" | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.version.split()[0])')"
  if [ -x "$dir/bin/$probe" ] && [ "$(cat "$dir/.lock-sha256" 2>/dev/null)" = "$stamp" ] \
    && "$dir/bin/$probe" --version >/dev/null 2>&1; then
    echo "setup: $dir already has $probe ($("$dir/bin/$probe" --version 2>&1 | head -n1)) from ${lock#"$ROOT/"}"
    return 0
  fi
  if [ -d "$dir" ]; then
    echo "setup: ${lock#"$ROOT/"} (or the Python) changed since $dir was made: making it anew"
  fi
  echo "setup: creating $dir from ${lock#"$ROOT/"} (first run only; takes a minute or two)"
  rm -rf "$dir"
  if ! "$PYTHON" -m venv "$dir"; then
    echo "setup: FAILED: '$PYTHON -m venv' did not work. Install Python 3.10+ with its venv module" \
      "(Debian/Ubuntu: apt-get install python3-venv), or set PYTHON to one that has it." >&2
    rm -rf "$dir"; exit 1
  fi
  if ! "$dir/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps --only-binary :all: \
    -r "$lock"; then
    rm -rf "$dir"
    echo "setup: FAILED to install ${lock#"$ROOT/"} from PyPI (see pip's message above)." >&2
    echo "setup: the deploy proof (test/e2e) and the template gates (test/gates) need these tools." >&2
    echo "setup: check that PyPI is reachable, or point pip at a mirror of it (PIP_INDEX_URL=...)," >&2
    echo "setup: then run npm test again. Nothing was left half-installed." >&2
    exit 1
  fi
  local broken
  if ! broken="$("$dir/bin/pip" check 2>&1)"; then
    rm -rf "$dir"
    echo "setup: FAILED: ${lock#"$ROOT/"} is not a complete set for Python $("$PYTHON" -V 2>&1): $broken" >&2
    echo "setup: re-resolve it with npx projen lock:test-tools (docs/testing.md)." >&2
    exit 1
  fi
  echo "$stamp" > "$dir/.lock-sha256"
}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup: FAILED: $PYTHON not found. The deploy proof and the template gates need Python 3.10+ (set PYTHON=...)." >&2
  exit 1
fi

start=$(date +%s)
make_venv "$ROOT/.venv-moto" cfn-lint "$REQ/moto.txt"
test -x "$ROOT/.venv-moto/bin/moto_server" || { echo "setup: moto_server missing in .venv-moto" >&2; exit 1; }
make_venv "$ROOT/.venv-checkov" checkov "$REQ/checkov.txt"

echo "setup: moto $("$ROOT/.venv-moto/bin/python" -c 'import moto; print(moto.__version__)'),"\
  "$("$ROOT/.venv-moto/bin/cfn-lint" --version 2>&1 | head -n1),"\
  "checkov $("$ROOT/.venv-checkov/bin/checkov" --version 2>&1 | tail -n1)"
echo "setup: done in $(( $(date +%s) - start ))s"
