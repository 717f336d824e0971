#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need (Chromium from
# Debian's packages when root), restores packages, builds, runs the test projects, and ends with one
# line "N passed, N failed" (summed over the test assemblies).
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The browser tests drive Debian's Chromium (never a downloaded browser); the web-farm tests and
# samples/Farm start Debian's redis-server (the farm's shared Data Protection key ring).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's ${missing[*]} for the browser and web-farm tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 \
      || echo "warning: could not install ${missing[*]}; the tests that need them will fail"
  else
    echo "warning: ${missing[*]} missing and this is not root: run 'sudo apt-get install ${missing[*]}' for the browser and web-farm tests"
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

SECONDS=0
dotnet restore Cognito.slnx >"$log" 2>&1 || { cat "$log"; echo "0 passed, 1 failed"; exit 1; }
dotnet build Cognito.slnx --no-restore -c Release >"$log" 2>&1 || { grep -E "error|Error" "$log" | sort -u | head -50; echo "0 passed, 1 failed"; exit 1; }

echo "restored and built in ${SECONDS} s"
started=$SECONDS
dotnet test Cognito.slnx --no-build -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
echo "test assemblies ran in $((SECONDS - started)) s"

# dotnet test prints one summary per assembly: "Passed!  - Failed: 0, Passed: 238, Skipped: 0, ..."
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    gsub(",", "");
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1);
      if ($i == "Passed:") p += $(i + 1);
      if ($i == "Skipped:") s += $(i + 1);
    }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")

# A check beyond the test assemblies counts as one test: "check NAME SUMMARY-COMMAND -- COMMAND...".
check() {
  local name=$1 summary=$2
  shift 3
  local started=$SECONDS
  if "$@" >"$log" 2>&1; then
    echo "Passed!  $name ($((SECONDS - started)) s): $(eval "$summary")"
    passed=$((passed + 1))
  else
    tail -30 "$log"
    echo "Failed!  $name ($((SECONDS - started)) s)"
    failed=$((failed + 1))
    status=1
  fi
}

# The benchmarks must keep building and running: one pass of each in BenchmarkDotNet's dry mode
# (in-process, a few seconds), and the interleaved-ratio harness once with --dry. The full runs are
# `dotnet run -c Release --project bench` and `... -- interleaved --launches 3` (bench/README.md).
check "bench dry run" 'echo "$(grep -c "^| " "$log") table rows, $(grep -c " µs" "$log") interleaved rows"' -- \
  bash -c "dotnet run -c Release --no-build --project bench -- --job dry --inProcess --filter '*' && dotnet run -c Release --no-build --project bench -- interleaved --dry"

# The packages as a consumer meets them: pack into a folder feed, `dotnet new web`, add Cognito.AspNet,
# the README's lines, the sign-in page on 127.0.0.1; and the cognito tool installed from the feed.
# Then the quick start published with Native AOT (sign-in, session, bearer on the native binary; start-up
# and working set against the JIT) and the cognito tool as a native executable.
check "consumer install" 'tail -2 "$log" | paste -sd " "' -- ./tests/Consumer/run.sh

# Coverage-guided fuzzing smoke run (SharpFuzz + AFL++ from Debian, installed when root): one minute
# of FromCookieHeader, single tokens and the key loaders under the invariants of fuzz/Program.cs.
if [ -n "${SKIP_FUZZ:-}" ]; then
  echo "fuzz smoke run skipped (SKIP_FUZZ set)"
else
  check "fuzz smoke run" 'tr "\n" " " <"$log" | tr -s " "' -- ./fuzz/run.sh "${FUZZ_SECONDS:-60}"
fi

# Mutation testing, incrementally (a full run takes well over the CI budget on 2 cores): Stryker.NET
# over the code of Cognito.Core, and the tests, changed since the commit of the last full run
# (tests/mutation-baseline; see tests/MUTANTS.md). Nothing changed: it builds, runs the tests once, finds no mutant and
# passes. SKIP_MUTATION=1 leaves it out.
baseline="$(cat tests/mutation-baseline 2>/dev/null || true)"
if [ -n "${SKIP_MUTATION:-}" ]; then
  echo "mutation testing skipped (SKIP_MUTATION set)"
elif [ -z "$baseline" ] || ! git cat-file -e "${baseline}^{commit}" 2>/dev/null; then
  echo "mutation testing skipped: no git history with the baseline commit ${baseline:-?} (a full run is ./mutate.sh)"
elif [ -z "$(git diff --name-only "$baseline" HEAD -- src/Cognito.Core Directory.Build.props 2>/dev/null)" ]; then
  # What Stryker's --since would find (it ignores every other path, stryker-config.json), without its
  # six minutes of building the solution and running the tests once more to mutate nothing.
  echo "mutation testing since ${baseline:0:7}: no file of Cognito.Core changed, no mutant to test"
else
  check "mutation testing since ${baseline:0:7}" 'grep -E "files changed|final mutation score|unable to calculate" "$log" | tail -1 | sed "s/^.*INF\] //"' -- \
    ./mutate.sh --since:"$baseline"
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # a crash or build error that no summary line counted
fi
echo "all in ${SECONDS} s"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
