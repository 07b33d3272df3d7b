#!/usr/bin/env bash
# npx projen test:artifacts
#
# Tests what ships, not the workspace: packs the library's and the CLI's npm tarballs as they are published
# (npx projen package:js, package:cli) and has test/artifacts/user-steps.ts install them in fresh folders under the
# system's temporary directory and run a user's steps (every CLI command's --help, replay and hunt on the fixtures,
# check on a freshly synthesized cdk.out, audit against moto, the CLI installed without its optional DuckDB). The
# wheel, the jar and the Go module are installed from their packed artifacts by test/bindings/run.sh (npm run
# test:bindings).
#
# Needs network access to the npm registry (the CLI's dependencies, aws-cdk-lib, constructs) and moto
# (bash scripts/e2e/setup.sh). Environment: ARTIFACTS_SKIP_COMPILE=1 packs the current build (CI compiles just
# before); ARTIFACTS_KEEP=1 keeps the temporary folders.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
T0=$(date +%s)
# bundle: the construct's Lambda code (assets/), which the library's tarball ships (esbuild, under a second).
npx projen bundle
[ "${ARTIFACTS_SKIP_COMPILE:-}" = 1 ] || npx projen compile
npx projen package:js
npx projen package:cli
T1=$(date +%s)
npx ts-node --transpile-only --project test/tsconfig.json test/artifacts/user-steps.ts
echo "artifacts: timings (s): build and pack $((T1 - T0)), install and run $(($(date +%s) - T1))"
