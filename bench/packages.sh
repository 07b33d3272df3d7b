#!/usr/bin/env bash
# What each language's users download and load: the npm tarball (packed and unpacked), the Python wheel, the Maven
# jar, the Go module, and the time of `import cdk_cis_log_monitoring` in Python (median of 7 fresh processes; the
# jsii runtime unpacks the embedded npm tarball on import). Also the CLI package's tarball when packages/cli exists.
# Usage: bash bench/packages.sh   (after npm ci; builds with jsii + jsii-pacmak into dist/). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
rm -rf dist
npx jsii --silence-warnings=reserved-word >&2
npx jsii-pacmak --target js --target python --target java --target go >&2

kb() { echo "$(( ($1 + 512) / 1024 )) KB"; }
size() { stat -c %s "$1"; }
tgz=$(ls dist/js/*.jsii.tgz 2>/dev/null || ls dist/js/*.tgz | head -1)
unpacked=$(tar xzf "$tgz" -O | wc -c)
wheel=$(ls dist/python/*.whl)
jar=$(ls dist/java/io/github/cdkcis/cdk-cis-log-monitoring/*/cdk-cis-log-monitoring-*.jar | grep -v -- '-sources\|-javadoc' | head -1)
gomod=$(du -sb dist/go | cut -f1)

venv=bench/out/py-import-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  CDK=$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")
  CONSTRUCTS=$(node -p "require('./package.json').devDependencies['constructs']")
  "$venv/bin/pip" install --quiet --disable-pip-version-check "aws-cdk-lib==$CDK" "constructs==$CONSTRUCTS" >&2
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel" >&2
times=()
for _ in 1 2 3 4 5 6 7; do
  times+=("$("$venv/bin/python" -c 'import time; t = time.perf_counter(); import cdk_cis_log_monitoring; print(round((time.perf_counter() - t) * 1000))')")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 4p)

echo "| artifact | size |"
echo "|---|---|"
echo "| npm tarball (packed) | $(kb "$(size "$tgz")") |"
echo "| npm tarball (unpacked) | $(kb "$unpacked") |"
echo "| Python wheel | $(kb "$(size "$wheel")") |"
echo "| Maven jar | $(kb "$(size "$jar")") |"
echo "| Go module (dist/go, bytes on disk) | $(kb "$gomod") |"
echo "| \`import cdk_cis_log_monitoring\` (Python, median of 7; runs: ${times[*]} ms) | ${median} ms |"
if [ -d packages/cli ]; then
  npx tsc -p packages/cli/tsconfig.build.json >&2
  npx ts-node --project scripts/tsconfig.json scripts/package/pack-cli.ts >&2
  cli=$(ls dist/js/cdk-cis-log-monitoring-cli-*.tgz)
  echo "| CLI npm tarball (packed; installs its own AWS SDK clients) | $(kb "$(size "$cli")") |"
fi
