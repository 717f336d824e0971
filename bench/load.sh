#!/usr/bin/env bash
# Middleware under load: one Kestrel app on 127.0.0.1 with four endpoints — no authentication (with
# and without the scenario's Cookie header, the fair baseline), UseCognitoCookies with the Amplify
# cookies, AddCognitoBearer and AddJwtBearer with the same access token as a bearer header, and the
# framework's floor (a handler that verifies nothing behind the same authorization policy, sent the
# same bearer header) — driven in turn by wrk (Debian's package). Prints requests/s and p99 side by side and
# writes bench/load-results.md. Settings: DURATION (s, default 15), CONNECTIONS (default 32),
# THREADS (default 1), PORT (default 5099). Traffic goes to 127.0.0.1 only and stops by itself.
set -euo pipefail
cd "$(dirname "$0")"

DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
PORT=${PORT:-5099}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
  else
    echo "wrk is missing: sudo apt-get install wrk" >&2
    exit 2
  fi
fi

dotnet build -c Release -v quiet -nologo >/dev/null
dotnet bin/Release/net10.0/Cognito.Bench.dll serve --port "$PORT" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/none" >/dev/null 2>&1 && break
  sleep 0.2
done

cookie=$(curl -fs "http://127.0.0.1:$PORT/scenario/cookie")
bearer=$(curl -fs "http://127.0.0.1:$PORT/scenario/bearer")
[ "$(curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$PORT/cognito")" = "jane.doe@example.com" ] || { echo "the cognito endpoint refuses the scenario" >&2; exit 1; }
[ "$(curl -fs -H "Authorization: Bearer $bearer" "http://127.0.0.1:$PORT/jwt")" = "jane.doe@example.com" ] || { echo "the jwt endpoint refuses the scenario" >&2; exit 1; }
[ "$(curl -fs -H "Authorization: Bearer $bearer" "http://127.0.0.1:$PORT/bearer")" = "jane.doe@example.com" ] || { echo "the bearer endpoint refuses the scenario" >&2; exit 1; }

run() { # name, extra header[, label]
  local out
  if [ -n "$2" ]; then
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$2" "http://127.0.0.1:$PORT/$1")
  else
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/$1")
  fi
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "${3:-$1} $rps $p99 ${non2xx:-0}"
}

# Warm-up (JIT, caches), then the measured runs.
DURATION=3 run none "" >/dev/null
DURATION=3 run cognito "Cookie: $cookie" >/dev/null
DURATION=3 run jwt "Authorization: Bearer $bearer" >/dev/null
DURATION=3 run bearer "Authorization: Bearer $bearer" >/dev/null

results=$(run none ""; run none "Cookie: $cookie" none+cookie; run floor "Authorization: Bearer $bearer"; run cognito "Cookie: $cookie"; run bearer "Authorization: Bearer $bearer"; run jwt "Authorization: Bearer $bearer")
none_rps=$(awk '$1 == "none" {print $2}' <<<"$results")
fair_rps=$(awk '$1 == "none+cookie" {print $2}' <<<"$results")
cognito_rps=$(awk '$1 == "cognito" {print $2}' <<<"$results")
bearer_rps=$(awk '$1 == "bearer" {print $2}' <<<"$results")
jwt_rps=$(awk '$1 == "jwt" {print $2}' <<<"$results")
floor_rps=$(awk '$1 == "floor" {print $2}' <<<"$results")

{
  echo "| endpoint | requests/s | p99 latency | non-2xx |"
  echo "| --- | ---: | ---: | ---: |"
  awk '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' <<<"$results"
  echo
  awk -v n="$none_rps" -v f="$fair_rps" -v c="$cognito_rps" -v b="$bearer_rps" -v j="$jwt_rps" -v fl="$floor_rps" 'BEGIN {
    printf "UseCognitoCookies serves %.0f %% of the no-authentication endpoint'"'"'s requests/s with the same Cookie header (%.0f %% of a bare request) and %.2f x AddJwtBearer'"'"'s.\n", 100 * c / f, 100 * c / n, c / j
    printf "AddCognitoBearer serves %.2f x AddJwtBearer'"'"'s requests/s on the same access token.\n", b / j
    printf "Framework floor (a handler that verifies nothing, same policy): %.0f %% of a bare request; UseCognitoCookies reaches %.0f %% of it, AddCognitoBearer %.0f %%, AddJwtBearer %.0f %%.\n", 100 * fl / n, 100 * c / fl, 100 * b / fl, 100 * j / fl }'
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on 127.0.0.1, $(nproc) cores shared by wrk and the server, $(date -u +%Y-%m-%d)."
} | tee load-results.md
