#!/usr/bin/env bash
# Lints the REST document, built from the router without a server, with Redocly (recommended) and Spectral (spectral:oas).
# Non-zero on any error; warnings are printed (the README lists the ones that stay, and why).
set -euo pipefail
cd "$(dirname "$0")/.."
document=$(mktemp --suffix=.json)
trap 'rm -f "$document"' EXIT
npx tsx openapi/write-openapi-document.ts "$document"
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint --extends recommended --format stylish "$document"
npx spectral lint --fail-severity error -r openapi/.spectral.yaml "$document"
