#!/usr/bin/env bash
# npm run test:bindings [-- python java go]
#
# Builds the Python wheel, the Maven artifact and the Go module with jsii-pacmak (what
# `npx projen package:python|java|go` run), then runs the user-style programs in
# test/bindings/{python,java,go} against them: pytest, JUnit through Maven, go test.
# Each installs what it needs from its own registry (PyPI, Maven Central, the Go module proxy),
# pinned to the aws-cdk-lib and constructs versions of package.json's devDependencies (Python: the hash-locked
# test/requirements/bindings.txt, resolved from test/requirements/bindings.in).
#
# Works from a clean clone (after `npm ci`). Caches: test/bindings/python/.venv, ~/.m2, the Go
# module and build caches. Environment: BINDINGS_SKIP_BUILD=1 reuses dist/{python,java,go}.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20

LANGS=("$@")
[ ${#LANGS[@]} -gt 0 ] || LANGS=(python java go)
for lang in "${LANGS[@]}"; do
  case $lang in python | java | go) ;; *) echo "unknown language '$lang' (python, java, go)" >&2; exit 2 ;; esac
done

now() { date +%s; }
T0=$(now)
declare -A TIMES
step() { printf '\n=== bindings: %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- versions: the test programs pin exactly what the library is built and tested with ---
dev_version() { node -p "require('./package.json').devDependencies['$1']"; }
CDK_VERSION=$(dev_version aws-cdk-lib)
CONSTRUCTS_VERSION=$(dev_version constructs)
LIB_VERSION=$(node -p "require('./package.json').version")
SCHEMA_VERSION=$(node -p "require('@aws-cdk/cloud-assembly-schema/package.json').version")
SCHEMA_RANGE=$(node -p "require('aws-cdk-lib/package.json').dependencies['@aws-cdk/cloud-assembly-schema']")
SCHEMA_OK=$(node -p "require('semver').satisfies('$SCHEMA_VERSION', '$SCHEMA_RANGE')")
[ "$SCHEMA_OK" = true ] || fail "@aws-cdk/cloud-assembly-schema is $SCHEMA_VERSION in node_modules, but aws-cdk-lib $CDK_VERSION declares $SCHEMA_RANGE; \
pin a version in that range that the Go module proxy serves (the one aws-cdk-go v$CDK_VERSION requires) in .projenrc.ts (addDevDeps) and run npx projen."

# --- the docs show the same code the tests run, and the programs pin package.json's versions ---
step 'docs/bindings/*.md and version pins agree with the test programs'
npx ts-node --project scripts/tsconfig.json scripts/bindings/sync.ts --check

# --- build the bindings ---
if [ "${BINDINGS_SKIP_BUILD:-}" != 1 ]; then
  step 'compile (jsii) and build the bindings (jsii-pacmak)'
  t=$(now)
  npx jsii --silence-warnings=reserved-word
  targets=()
  for lang in "${LANGS[@]}"; do rm -rf "dist/$lang"; targets+=(--target "$lang"); done
  # One pacmak run packs the npm tarball once and builds the targets in parallel.
  npx jsii-pacmak -v "${targets[@]}"
  TIMES[build]=$(($(now) - t))
fi

# --- run the programs ---
run_python() {
  local dir=test/bindings/python venv=test/bindings/python/.venv lock=test/requirements/bindings.txt stamp
  # Exactly the hash-locked set (docs/testing.md); the venv is made anew when the lock or the Python changed.
  stamp="$(sha256sum "$lock" | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
  if [ "$(cat "$venv/.lock-sha256" 2>/dev/null)" != "$stamp" ] || [ ! -x "$venv/bin/python" ]; then
    rm -rf "$venv" && python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
      --only-binary :all: -r "$lock"
    echo "$stamp" > "$venv/.lock-sha256"
  fi
  # The freshly built wheel, over any earlier build of the same version.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/python/*.whl
  "$venv/bin/python" -m pip check
  (cd "$dir" && .venv/bin/python -m pytest -p no:cacheprovider -q)
}

run_java() {
  # Maven keeps release versions forever: drop any earlier local build of this version first.
  local m2repo="$HOME/.m2/repository"
  [[ "${MAVEN_OPTS:-}" =~ -Dmaven\.repo\.local=([^[:space:]]+) ]] && m2repo=${BASH_REMATCH[1]}
  rm -rf "$m2repo/io/github/cdkcis/cdk-cis-log-monitoring/$LIB_VERSION"
  (cd test/bindings/java && mvn --batch-mode --no-transfer-progress -Dcis.version="$LIB_VERSION" test)
}

run_go() {
  (cd test/bindings/go && GOFLAGS=-mod=mod go test -count=1 -v ./...)
}

status=0
for lang in "${LANGS[@]}"; do
  step "$lang"
  t=$(now)
  if "run_$lang"; then TIMES[$lang]=$(($(now) - t)); else TIMES[$lang]="FAILED after $(($(now) - t))"; status=1; fi
done

echo
echo "bindings: timings (s): ${TIMES[build]:+build ${TIMES[build]}, }$(for l in "${LANGS[@]}"; do printf '%s %s, ' "$l" "${TIMES[$l]}"; done)total $(($(now) - T0))"
exit $status
