#!/usr/bin/env bash
# Resolves the Python tools the tests install into hash-locked files (docs/testing.md):
#   test/requirements/<name>.in   what we ask for (ranges; a comment says why a version is excluded)
#   test/requirements/<name>.txt  the full transitive set at exact versions with the hashes of every file on PyPI,
#                                 for every supported Python and platform (uv's universal resolution)
# Usage:
#   bash scripts/test-tools/lock.sh            re-resolve, keeping every locked version that still satisfies its .in
#                                              (after editing an .in file; npx projen lock:test-tools)
#   bash scripts/test-tools/lock.sh --upgrade  move every lock to the newest releases the .in files allow
#                                              (npx projen upgrade:test-tools; the scheduled workflow runs it)
#   bash scripts/test-tools/lock.sh --check    fail if a lock does not match its .in file (nothing is written)
# Writing a lock also sets the README's "Tested with" versions of moto, cfn-lint and checkov to the locked ones.
# The resolver (uv) is itself installed from test/requirements/uv.txt with --require-hashes, into .venv-uv/.
# PIP_INDEX_URL, when set, is the index uv resolves against too (as it is for pip in scripts/e2e/setup.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REQ="$ROOT/test/requirements"
PYTHON="${PYTHON:-python3}"
# The oldest Python the locks must install on (cfn-lint 1.58 needs 3.10); uv resolves for it and every later one.
MIN_PYTHON=3.10
LOCKS=(moto checkov bindings)

mode=sync
case "${1:-}" in
  '') ;;
  --upgrade) mode=upgrade ;;
  --check) mode=check ;;
  *) echo "usage: $0 [--upgrade|--check]" >&2; exit 2 ;;
esac

# The resolver, pinned like everything else.
UV_VENV="$ROOT/.venv-uv"
stamp="$(sha256sum "$REQ/uv.txt" | cut -d' ' -f1)"
if [ "$(cat "$UV_VENV/.lock-sha256" 2>/dev/null)" != "$stamp" ] || ! "$UV_VENV/bin/uv" --version >/dev/null 2>&1; then
  rm -rf "$UV_VENV"
  "$PYTHON" -m venv "$UV_VENV"
  "$UV_VENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps --only-binary :all: \
    -r "$REQ/uv.txt"
  echo "$stamp" > "$UV_VENV/.lock-sha256"
fi
UV="$UV_VENV/bin/uv"
if [ -n "${PIP_INDEX_URL:-}" ]; then export UV_DEFAULT_INDEX="$PIP_INDEX_URL"; fi

compile() { # name out [extra uv args]
  local name="$1" out="$2"; shift 2
  (cd "$REQ" && "$UV" pip compile --quiet --universal --python-version "$MIN_PYTHON" --generate-hashes \
    --custom-compile-command 'npx projen lock:test-tools' "$@" "$name.in" -o "$out")
}

status=0
for name in "${LOCKS[@]}" uv; do
  case $mode in
    sync) compile "$name" "$name.txt" ;;
    upgrade) compile "$name" "$name.txt" --upgrade ;;
    check)
      tmp="$(mktemp -d)"
      cp "$REQ/$name.txt" "$tmp/$name.txt"
      compile "$name" "$tmp/$name.txt"
      if ! diff -u "$REQ/$name.txt" "$tmp/$name.txt"; then
        echo "lock: test/requirements/$name.txt does not match $name.in; run npx projen lock:test-tools" >&2
        status=1
      fi
      rm -rf "$tmp"
      ;;
  esac
done
# The README's "Tested with" line names the locked versions (test/requirements/tested-with.test.ts checks it).
if [ $mode != check ]; then
  locked() { grep -oE "^$2(\[[^]]*\])?==[^ ]+" "$REQ/$1" | head -n1 | sed 's/.*==//'; }
  sed -i -E "/^Tested with: /{s/(moto )[^,]+/\1$(locked moto.txt moto)/;s/(cfn-lint )[^,]+/\1$(locked moto.txt cfn-lint)/;s/(checkov )[^,]+/\1$(locked checkov.txt checkov)/}" \
    "$ROOT/README.md"
fi
[ $mode = check ] || echo "lock: $(for n in "${LOCKS[@]}" uv; do printf '%s.txt ' "$n"; done)written ($mode)"
exit $status
