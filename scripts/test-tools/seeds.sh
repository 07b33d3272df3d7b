#!/usr/bin/env bash
# Runs every property-based test suite (each test file that imports test/support/seed.ts) under several seeds, one
# suite at a time, and prints a table: per suite and seed, PASS or FAIL and the seconds it took (docs/testing.md).
# Usage: bash scripts/test-tools/seeds.sh [count=20] [first-seed=1]     seeds are first-seed .. first-seed+count-1
# (each suite's own test files may run fast-check in several tests; all of them take the seed)
# Exit status 1 when any suite failed under any seed; the log of each failing run is kept in $SEEDS_LOG_DIR.
set -uo pipefail
cd "$(dirname "$0")/../.."
COUNT="${1:-20}"
FIRST="${2:-1}"
LOG_DIR="${SEEDS_LOG_DIR:-$(mktemp -d)}"
mkdir -p "$LOG_DIR"

# SEEDS_SUITES (space-separated paths) runs a subset, e.g. to spread the suites over two shells.
if [ -n "${SEEDS_SUITES:-}" ]; then read -r -a SUITES <<< "$SEEDS_SUITES"; else mapfile -t SUITES < <(grep -rlE "^import (\{[^}]*\} from )?'[./]+(test/)?support/seed';$" test packages/cli/test \
  --include='*.test.ts' | grep -v '^test/support/seed.test.ts$' | sort); fi
echo "seeds: ${#SUITES[@]} property suites x $COUNT seeds ($FIRST..$((FIRST + COUNT - 1))); logs of failures in $LOG_DIR"

status=0
start=$(date +%s)
for suite in "${SUITES[@]}"; do
  line="$suite:"
  fails=0
  t_suite=$(date +%s)
  for ((seed = FIRST; seed < FIRST + COUNT; seed++)); do
    t=$(date +%s%N)
    log="$LOG_DIR/$(basename "$suite" .ts).$seed.log"
    if FC_SEED=$seed npx jest "$suite" --coverage=false --ci > "$log" 2>&1; then
      line+=" $seed:PASS($(( ($(date +%s%N) - t) / 1000000000 ))s)"
      rm -f "$log"
    else
      line+=" $seed:FAIL"
      fails=$((fails + 1))
      status=1
    fi
  done
  echo "$line"
  echo "  -> $suite: $((COUNT - fails))/$COUNT seeds passed, $(( $(date +%s) - t_suite ))s"
done
echo "seeds: done in $(( $(date +%s) - start ))s"
exit $status
