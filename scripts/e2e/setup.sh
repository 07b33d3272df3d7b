#!/usr/bin/env bash
# Installs the Python tools of the deploy proof (ISSUE 5) into venvs inside the repository
# (ignored by git through `.venv*/`):
#   .venv-moto/    moto server (the emulated AWS account of the e2e test) and cfn-lint
#   .venv-checkov/ checkov (its own venv: its pins conflict with moto's)
# Idempotent: an existing venv whose tools answer `--version` is kept.
# Usage: bash scripts/e2e/setup.sh        (from any directory)
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
  echo "setup: creating $dir with: $*"
  rm -rf "$dir"
  "$PYTHON" -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
}

start=$(date +%s)
make_venv "$ROOT/.venv-moto" cfn-lint "$MOTO_SPEC" "$CFN_LINT_SPEC"
test -x "$ROOT/.venv-moto/bin/moto_server" || { echo "setup: moto_server missing in .venv-moto" >&2; exit 1; }
make_venv "$ROOT/.venv-checkov" checkov "$CHECKOV_SPEC"

echo "setup: moto $("$ROOT/.venv-moto/bin/python" -c 'import moto; print(moto.__version__)'),"\
  "$("$ROOT/.venv-moto/bin/cfn-lint" --version 2>&1 | head -n1),"\
  "checkov $("$ROOT/.venv-checkov/bin/checkov" --version 2>&1 | tail -n1)"
echo "setup: done in $(( $(date +%s) - start ))s"
