#!/usr/bin/env bash
# Coverage-guided fuzzing of FromCookieHeader, single-token verification and the pems/JWKS loaders:
# SharpFuzz instruments Cognito.Core.dll, AFL++ (Debian's afl++) drives the harness.
# Usage: fuzz/run.sh [SECONDS, default 120]. Findings land in fuzz/findings/ (crashes/ = invariant
# violations or exceptions; each one becomes a regression test).
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_TO_RUN=${1:-120}

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++) >/dev/null
  else
    echo "afl-fuzz is missing: sudo apt-get install afl++" >&2
    exit 2
  fi
fi

dotnet tool restore >/dev/null
dotnet build -c Release -o out -v quiet -nologo >/dev/null
# The seed corpus first: instrumented code only runs under afl-fuzz (it writes AFL's shared memory).
rm -rf corpus && dotnet out/Cognito.Fuzz.dll --corpus corpus
dotnet tool run sharpfuzz out/Cognito.Core.dll >/dev/null

export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 AFL_AUTORESUME=1
afl-fuzz -i corpus -o findings -t 10000 -m none -V "$SECONDS_TO_RUN" -- dotnet out/Cognito.Fuzz.dll >afl.log 2>&1 || true

stats=findings/default/fuzzer_stats
if [ -f "$stats" ]; then
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg|edges_found)' "$stats"
fi
crashes=$(find findings/default/crashes -type f ! -name README.txt 2>/dev/null | wc -l)
echo "crashes: $crashes"
if [ "$crashes" -gt 0 ]; then
  # What each crash was, for the log: the target byte, the size and what the harness throws on a replay
  # outside AFL (a crash that does not replay depended on an earlier input of the same process). The
  # inputs are kept in $TMPDIR/cognito-fuzz-crashes (the clone's findings/ goes with the clone).
  keep="${TMPDIR:-/tmp}/cognito-fuzz-crashes/$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$keep"
  find findings/default/crashes -type f ! -name README.txt | while read -r input; do
    cp "$input" "$keep/"
    echo "crash input: target $(head -c1 "$input" | od -An -tu1 | tr -d ' ') (mod 5), $(wc -c <"$input") bytes, kept in $keep"
    dotnet out/Cognito.Fuzz.dll <"$input" 2>&1 | grep -E 'Exception|   at ' | head -8 || echo "  (does not replay on its own)"
  done
fi
[ "$crashes" -eq 0 ]
