#!/usr/bin/env bash
# Fails when the committed schema or codegen output differs from what the code generates now.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent codegen >/dev/null
if ! git diff --exit-code --stat -- schema tests/generated client/src/generated.ts || [ -n "$(git status --porcelain -- schema tests/generated client/src/generated.ts)" ]; then
  echo "schema/schema.graphql, tests/generated or client/src/generated.ts is stale: run 'npm run codegen' and commit the result." >&2
  exit 1
fi
echo "generated schema and codegen output are current"
