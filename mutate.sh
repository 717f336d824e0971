#!/usr/bin/env bash
# Mutation testing of Cognito.Core with Stryker.NET (config: stryker-config.json, survivors explained
# in tests/MUTANTS.md, HTML and JSON reports in StrykerOutput/<time>/reports/).
#   ./mutate.sh                  every mutant (78 min in the last full run on 2 cores; see tests/MUTANTS.md)
#   ./mutate.sh --since:$(cat tests/mutation-baseline)   only files of Cognito.Core changed since (CI)
#   ./mutate.sh --mutate "**/JsonShape.cs"   only the mutants of one file (used for the partial re-run)
#   STRYKER_CONFIG=stryker-blazor.json ./mutate.sh                 Cognito.Blazor (bUnit and provider tests, no browser)
#   STRYKER_CONFIG=stryker-blazor.json ./mutate.sh --project Cognito.Blazor.Server.csproj   its server half
# Other Stryker options pass through as well.
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore >/dev/null

# The FsCheck properties run 100 cases from one fixed seed here (SpecPropertyAttribute): Stryker runs
# them once per mutant, and a fixed seed gives every mutant the same cases, so the score is repeatable.
export COGNITO_PROPERTY_TESTS="${COGNITO_PROPERTY_TESTS:-100}"
export COGNITO_PROPERTY_REPLAY="${COGNITO_PROPERTY_REPLAY:-20261127,7}"

# A mutant that makes a loop endless is marked Timeout after ~30 s, but Stryker's VsTest runner leaves
# its test host spinning; on 2 cores a hundred of them starved a full run. Reap this tree's test hosts
# once they are older than any test run can be.
tests_dir="$PWD/tests/"
(
  while sleep 30; do
    ps -eo pid=,etimes=,args= | awk -v dir="$tests_dir" '$2 > 180 && index($0, "testhost") && index($0, dir) { print $1 }' \
      | xargs -r kill -9 2>/dev/null || true
  done
) &
reaper=$!
trap 'kill "$reaper" 2>/dev/null || true' EXIT

dotnet stryker --config-file "${STRYKER_CONFIG:-stryker-config.json}" "$@"
