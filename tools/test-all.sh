#!/usr/bin/env bash
# The whole test suite: lint, type-check and unit tests of every project (through Nx), then the integration and
# end-to-end tests against the real stack (PostgreSQL, Kafka, Camunda), which this script brings up first.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true
started=$(date +%s)

echo "== install"
if [ ! -x node_modules/.bin/nx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi

echo "== lint, type-check, unit tests"
npx nx run-many -t lint typecheck test --outputStyle=stream

echo "== stack"
bash tools/stack.sh up

echo "== integration and end-to-end tests"
npx jest -c jest.integration.config.cjs --runInBand

echo "== all tests passed in $(( $(date +%s) - started ))s"
