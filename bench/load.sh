#!/usr/bin/env bash
# Middleware under load: one Kestrel app on 127.0.0.1 (app.UseCognitoCookies(), as an app calls it) with five endpoints — no authentication (with
# and without the scenario's Cookie header, the fair baseline), UseCognitoCookies with the Amplify
# cookies, AddCognitoBearer and AddJwtBearer with the same access token as a bearer header, and the
# framework's floor (a handler that verifies nothing behind the same authorization policy, sent the
# bearer header, and again the Cookie header) — driven in turn by wrk (Debian's package). Prints requests/s and p99 side by side and
# writes bench/load-results.md. Settings: DURATION (s per run, default 5), ROUNDS (interleaved rounds,
# default 3), CONNECTIONS (default 32), THREADS (default 1), PORT (default 5099). Traffic goes to 127.0.0.1 only and stops by itself.
set -euo pipefail
cd "$(dirname "$0")"

DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
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

# ROUNDS interleaved rounds (every endpoint once per round, in turn), so that a slow minute of this
# shared machine falls on every endpoint alike; each row is the mean of its rounds, p99 the worst.
rounds=$(for round in $(seq 1 "$ROUNDS"); do
  run none ""; run none "Cookie: $cookie" none+cookie; run floor "Authorization: Bearer $bearer"; run floor "Cookie: $cookie" floor+cookie
  run cognito "Cookie: $cookie"; run bearer "Authorization: Bearer $bearer"; run jwt "Authorization: Bearer $bearer"
done)
results=$(awk '{ n[$1]++; rps[$1] += $2; non[$1] += $4; p = $3; ms = p ~ /us$/ ? p / 1000 : p ~ /ms$/ ? p + 0 : p * 1000; if (ms > worst[$1]) worst[$1] = ms; if (!($1 in order)) { order[$1] = ++k; name[k] = $1 } }
  END { for (i = 1; i <= k; i++) { e = name[i]; printf "%s %.0f %.2fms %d\n", e, rps[e] / n[e], worst[e], non[e] } }' <<<"$rounds")
none_rps=$(awk '$1 == "none" {print $2}' <<<"$results")
fair_rps=$(awk '$1 == "none+cookie" {print $2}' <<<"$results")
cognito_rps=$(awk '$1 == "cognito" {print $2}' <<<"$results")
bearer_rps=$(awk '$1 == "bearer" {print $2}' <<<"$results")
jwt_rps=$(awk '$1 == "jwt" {print $2}' <<<"$results")
floor_rps=$(awk '$1 == "floor" {print $2}' <<<"$results")
floor_cookie_rps=$(awk '$1 == "floor+cookie" {print $2}' <<<"$results")

{
  echo "| endpoint | requests/s | p99 latency | non-2xx |"
  echo "| --- | ---: | ---: | ---: |"
  awk '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' <<<"$results"
  echo
  awk -v n="$none_rps" -v f="$fair_rps" -v c="$cognito_rps" -v b="$bearer_rps" -v j="$jwt_rps" -v fl="$floor_rps" -v flc="$floor_cookie_rps" 'BEGIN {
    printf "Fair baseline (no authentication, the same Cookie header): %.0f requests/s.\n", f
    printf "UseCognitoCookies serves %.0f %% of the fair baseline'"'"'s requests/s (%.0f %% of a bare request) and %.2f x AddJwtBearer'"'"'s.\n", 100 * c / f, 100 * c / n, c / j
    printf "AddCognitoBearer serves %.2f x AddJwtBearer'"'"'s requests/s on the same access token.\n", b / j
    printf "Framework floor (a handler that verifies nothing, same policy): %.0f %% of a bare request with the bearer header, %.0f %% of the fair baseline with the Cookie header; UseCognitoCookies reaches %.0f %% of its floor, AddCognitoBearer %.0f %%, AddJwtBearer %.0f %%.\n", 100 * fl / n, 100 * flc / f, 100 * c / flc, 100 * b / fl, 100 * j / fl
    printf "Ceiling of the AddJwtBearer ratio on this machine (the floor, which verifies nothing, / AddJwtBearer): %.2f x.\n", fl / j }'
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per run, $ROUNDS interleaved rounds (mean requests/s, worst p99), on 127.0.0.1, $(nproc) cores shared by wrk and the server, $(date -u +%Y-%m-%d)."
} | tee load-results.md
