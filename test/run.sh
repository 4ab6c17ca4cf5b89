#!/usr/bin/env bash
# The project's test command: type-check once, lint, run every mocha suite under c8 coverage, end with `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
# The AWS SDK's notice that its Node 20 support ends in 2027 says nothing about this code.
export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=NodeVersionSupportWarning"
failed_typecheck=0
echo "== typecheck (tsc --noEmit)"
if ! npx tsc --noEmit; then failed_typecheck=1; echo "typecheck failed"; fi
# Guard rails: ESLint, the import boundaries (dependency-cruiser), Prettier and dead exports (knip).
failed_lint=0
echo "== lint (npm run lint)"
if ! npm run -s lint; then failed_lint=1; echo "lint failed"; fi
echo "== mocha"
if [ "$#" -eq 0 ]; then
  # The whole suite runs under c8: coverage of the product folders (.c8rc.json), child processes included,
  # and a threshold it must keep; a run of chosen files does not measure it.
  npm run -s test:coverage 2>&1 | tee "$log"
else
  npx mocha "$@" 2>&1 | tee "$log"
fi
status=${PIPESTATUS[0]}
passed=$(grep -Eo '^ *[0-9]+ passing' "$log" | grep -Eo '[0-9]+' | tail -1)
failed=$(grep -Eo '^ *[0-9]+ failing' "$log" | grep -Eo '[0-9]+' | tail -1)
pending=$(grep -Eo '^ *[0-9]+ pending' "$log" | grep -Eo '[0-9]+' | tail -1)
if grep -q "does not meet global threshold" "$log"; then echo "coverage below the threshold of .c8rc.json"; fi
rm -f "$log"
passed=${passed:-0}; failed=$(( ${failed:-0} + failed_typecheck + failed_lint ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed${pending:+, ${pending} skipped}"
[ "$failed" -eq 0 ]
