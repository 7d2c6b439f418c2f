#!/usr/bin/env bash
# Entry point of the stack tool: installs the Node dependencies when they are missing or stale, then runs
# tools/stack/cli.ts (up [--demo] [component...] | down [component...] | status).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing Node dependencies (npm install, from package-lock.json)..."
  npm install --no-audit --no-fund >/dev/null
fi
export NX_DAEMON=false NX_NO_CLOUD=true
exec node_modules/.bin/tsx tools/stack/cli.ts "$@"
