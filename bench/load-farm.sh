#!/usr/bin/env bash
# The web farm under load: samples/Farm (N instances behind the round-robin YARP proxy, keys in Redis)
# signed in through the development pool with curl, then wrk on /api/me with the session's cookies —
# through the proxy with 1 and with 3 instances, and one instance directly (no proxy) for reference.
# Settings: DURATION (s, default 10), CONNECTIONS (default 32), THREADS (default 1). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 2; }
dotnet build samples/Farm -c Release -v quiet -nologo >/dev/null

sign_in() { # base url -> Cookie header value
  local jar loc query cb
  jar=$(mktemp)
  loc=$(curl -fs -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' "$1/auth/login?returnUrl=/")
  query=${loc#*\?}
  cb=$(curl -fs -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' --data "$query&username=load.user&groups=admin" "$1/_cognito-dev/oauth2/authorize")
  curl -fs -c "$jar" -b "$jar" -o /dev/null "$cb"
  sed 's/^#HttpOnly_//' "$jar" | awk -F'\t' '!/^#/ && NF >= 7 && $6 ~ /^CognitoIdentityServiceProvider/ {printf "%s%s=%s", sep, $6, $7; sep="; "}'
  rm -f "$jar"
}

measure() { # label, url, cookie
  DURATION_WARM=3
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION_WARM}s" -H "Cookie: $3" "$2/api/me" >/dev/null
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $3" "$2/api/me")
  printf '| %s | %s | %s | %s |\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}

farm() { # instances, port -> runs the farm in the background; prints its pid
  dotnet samples/Farm/bin/Release/net10.0/Cognito.Farm.dll --urls "http://127.0.0.1:$2" --instances "$1" >/tmp/cognito-farm-load.log 2>&1 &
  local pid=$!
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$2/health" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "$pid"
}

echo "| through | requests/s | p99 | non-2xx |"
echo "| --- | --- | --- | --- |"
for n in 1 3; do
  port=$((5290 + n))
  pid=$(farm "$n" "$port")
  cookie=$(sign_in "http://127.0.0.1:$port")
  [ -n "$cookie" ] || { echo "sign-in through the farm failed" >&2; kill "$pid"; exit 1; }
  measure "proxy, $n instance(s)" "http://127.0.0.1:$port" "$cookie"
  if [ "$n" = 1 ]; then
    direct=$(grep -o 'instance-1 on http://127.0.0.1:[0-9]*' /tmp/cognito-farm-load.log | awk '{print $3}')
    measure "instance-1 directly (no proxy)" "$direct" "$cookie"
  fi
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
done
