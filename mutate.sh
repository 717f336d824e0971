#!/usr/bin/env bash
# Mutation testing of Cognito.Core with Stryker.NET (config: stryker-config.json, survivors: tests/MUTANTS.md).
#   ./mutate.sh                  every mutant (see README "Hardening" for how long that takes here)
#   ./mutate.sh --since:main     only mutants in files changed since main (what CI runs)
# Any other Stryker option passes through. The FsCheck properties run 200 cases from a fixed seed
# here (SpecPropertyAttribute): Stryker runs them once per mutant, and a fixed seed keeps the score
# the same from run to run.
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore >/dev/null
export COGNITO_PROPERTY_TESTS="${COGNITO_PROPERTY_TESTS:-200}"
export COGNITO_PROPERTY_REPLAY="${COGNITO_PROPERTY_REPLAY:-20261127,7}"
exec dotnet stryker --config-file stryker-config.json "$@"
