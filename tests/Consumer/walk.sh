#!/usr/bin/env bash
# walk.sh BASE JAR: what a user does against an app in Development: sign in at the development pool as
# jane (group admin), then the home page with the cookies, /auth/session, the access token as a bearer
# token, and a tampered session (refused: anonymous). Prints one line per step; exits non-zero when a
# step does not answer as it should. Never prints a token.
set -euo pipefail
base=$1; jar=$2
page=$(curl -fsL -c "$jar" -b "$jar" "$base/auth/login")
action=$(grep -o '<form method="post" action="[^"]*"' <<<"$page" | sed 's/.*action="\([^"]*\)"/\1/')
fields=()
while IFS= read -r field; do fields+=(--data-urlencode "$field"); done < <(
  grep -o '<input type="hidden" name="[^"]*" value="[^"]*">' <<<"$page" | sed 's/<input type="hidden" name="\([^"]*\)" value="\([^"]*\)">/\1=\2/')
[ -n "$action" ] && [ "${#fields[@]}" -gt 0 ] || { echo "no development sign-in form at /auth/login"; exit 1; }
curl -fsL -c "$jar" -b "$jar" -o /dev/null "${fields[@]}" --data-urlencode username=jane --data-urlencode groups=admin "$base$action" >/dev/null

expect() { [ "$2" = "$3" ] || { echo "$1: expected '$3', got '$2'"; exit 1; }; echo "$1: $2"; }
expect "home with the cookies" "$(curl -fs -b "$jar" "$base/")" "Hello jane"
session=$(curl -fs -b "$jar" "$base/auth/session")
grep -q '"signedIn":true,"username":"jane"' <<<"$session" && grep -q '"groups":\["admin"\]' <<<"$session" \
  || { echo "/auth/session: $session"; exit 1; }
echo "/auth/session: signed in as jane, groups admin"
access=$(awk '$6 ~ /\.accessToken$/ {print $7}' "$jar" | head -1)
[ -n "$access" ] || { echo "no access token cookie after sign-in"; exit 1; }
expect "bearer access token" "$(curl -fs -H "Authorization: Bearer $access" "$base/")" "Hello jane"
cookies=$(awk '$6 ~ /^CognitoIdentityServiceProvider\./ {printf "%s=%s; ", $6, $7}' "$jar")
# The id token's signature with its first character changed: a bad-signature refusal, not a malformed one.
first=$(sed -n 's/.*idToken=[^.]*\.[^.]*\.\(.\).*/\1/p' <<<"$cookies")
other=A; [ "$first" = A ] && other=B
tampered=$(sed "s/\(idToken=[^.]*\.[^.]*\.\)./\1$other/" <<<"$cookies")
[ "$tampered" != "$cookies" ] || { echo "could not tamper with the session"; exit 1; }
expect "tampered session" "$(curl -fs -H "Cookie: $tampered" "$base/")" "Hello anonymous: sign in at /auth/login"
