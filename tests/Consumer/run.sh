#!/usr/bin/env bash
# The packages as a consumer meets them: pack the solution into a folder feed, create an app with
# `dotnet new web`, add Cognito.AspNet and Cognito.AspNet.Development from that feed, write the
# README's lines (the development pool in Development), run it on 127.0.0.1 and follow /auth/login to the development pool's sign-in page. Then the
# cognito tool: install it from the same feed and ask for its version. Then a `dotnet new blazor` app
# with Cognito.Blazor.Server.
# Packages restore into a private folder (the machine's cache serves the other packages), so a
# stale copy of the same version never hides a change.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
work="$(mktemp -d)"
app_pid=""
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/Directory.Build.props)"
dotnet pack Cognito.slnx -c Release -o "$work/feed" -v quiet -nologo >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
for package in Cognito.Core Cognito.AspNet Cognito.AspNet.Development Cognito.AspNet.JwtBearer Cognito.Blazor Cognito.Blazor.Server Cognito.Cli; do
  [ -f "$work/feed/$package.$version.nupkg" ] && [ -f "$work/feed/$package.$version.snupkg" ] || { echo "missing $package $version (.nupkg and .snupkg)"; ls "$work/feed"; exit 1; }
done

export NUGET_PACKAGES="$work/packages"
cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="cognito-local" value="$work/feed" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="machine" value="${HOME}/.nuget/packages" />
  </fallbackPackageFolders>
</configuration>
XML

# new_app NAME DIR: `dotnet new web` in $work/DIR with the two packages from the feed, and cd there.
new_app() {
  cd "$work"
  dotnet new web -n "$1" -o "$2" --no-restore >/dev/null
  cd "$2"
  for package in Cognito.AspNet Cognito.AspNet.Development; do
    dotnet add package "$package" --version "$version" >"$work/add.log" 2>&1 || { cat "$work/add.log"; exit 1; }
  done
}

# run_app LOG PATH [dotnet run options]: `dotnet run` the app of the current folder in Development on a
# free port of 127.0.0.1 (sets $port and $app_pid) and wait until PATH answers.
run_app() {
  local log=$1 path=$2; shift 2
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ASPNETCORE_ENVIRONMENT=Development dotnet run -c Release --no-build "$@" --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$port$path" >/dev/null 2>&1 && return 0
    kill -0 "$app_pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.2
  done
}

new_app ConsumerApp app

# The README's lines ("Install", then the quick start).
cat >Program.cs <<'CS'
using Cognito.AspNet;
using Cognito.AspNet.Development;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddCognito();
if (builder.Environment.IsDevelopment())
{
    builder.Services.AddCognitoDevelopmentPool();
}

var app = builder.Build();
app.UseCognitoCookies();
app.MapGet("/", (HttpContext context) => context.User.Identity?.IsAuthenticated == true
    ? $"Hello {context.User.Identity.Name}"
    : "Hello anonymous: sign in at /auth/login");
app.Run();
CS

dotnet build -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
run_app "$work/run.log" /

home=$(curl -fs "http://127.0.0.1:$port/")
[ "$home" = "Hello anonymous: sign in at /auth/login" ] || { echo "home page: $home"; cat "$work/run.log"; exit 1; }
page=$(curl -fsL -c "$work/jar" -b "$work/jar" "http://127.0.0.1:$port/auth/login")
grep -q '<form' <<<"$page" && grep -qi 'username' <<<"$page" || { echo "no sign-in page at the end of /auth/login:"; head -c 2000 <<<"$page"; exit 1; }

# The tool, installed as the README says.
dotnet tool install Cognito.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >"$work/tool.log" 2>&1 || { cat "$work/tool.log"; exit 1; }
tool_version=$("$work/tools/cognito" --version)
[ "$tool_version" = "$version" ] || [[ "$tool_version" == "$version+"* ]] || { echo "cognito --version: $tool_version"; exit 1; }

kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null || true; app_pid=""

# Blazor (issue 26): `dotnet new blazor` (Interactive Server) with Cognito.Blazor.Server and the development
# pool from the feed, the README's Blazor lines, a page reading the cascading CognitoUser; it must serve the
# page, the package's JS module (a static web asset of Cognito.Blazor) and /auth/session.
cd "$work"
dotnet new blazor --interactivity Server -n BlazorConsumer -o blazor --no-restore >/dev/null
cd blazor
for package in Cognito.Blazor.Server Cognito.AspNet.Development; do
  dotnet add package "$package" --version "$version" >"$work/add.log" 2>&1 || { cat "$work/add.log"; exit 1; }
done
python3 - <<'PY'
import re
p = "Program.cs"
s = open(p).read()
s = "using Cognito.AspNet;\nusing Cognito.AspNet.Development;\n" + s
s = s.replace("var builder = WebApplication.CreateBuilder(args);\n",
              "var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddCognito();\n"
              "if (builder.Environment.IsDevelopment()) builder.Services.AddCognitoDevelopmentPool();\n", 1)
s = s.replace(".AddInteractiveServerComponents();", ".AddInteractiveServerComponents()\n    .AddCognitoBlazor();", 1)
s = s.replace("app.UseAntiforgery();", "app.UseCognitoCookies();\napp.UseAntiforgery();", 1)
assert s.count("Cognito") >= 6, s
open(p, "w").write(s)
PY
cat >Components/Pages/Me.razor <<'RAZOR'
@page "/me"
@rendermode InteractiveServer
@using Cognito.Blazor
<p id="me">@(User?.IsSignedIn == true ? User.Username : "anonymous")</p>
<AuthorizeView Roles="admin"><p>admin</p></AuthorizeView>
<CognitoSignOut />
@code { [CascadingParameter] public CognitoUser? User { get; set; } }
RAZOR
echo '@using Microsoft.AspNetCore.Components.Authorization' >>Components/_Imports.razor
dotnet build -c Release -v quiet -nologo >"$work/blazor-build.log" 2>&1 || { grep -E "error|warning" "$work/blazor-build.log" | sort -u | head -30; exit 1; }
run_app "$work/blazor-run.log" /me --no-launch-profile
curl -fs "http://127.0.0.1:$port/me" | grep -q '<p id="me">anonymous</p>' || { echo "Blazor /me:"; curl -s "http://127.0.0.1:$port/me" | head -c 2000; cat "$work/blazor-run.log"; exit 1; }
curl -fs "http://127.0.0.1:$port/_content/Cognito.Blazor/cognito-session.js" | grep -q 'export async function session' \
  || { echo "the package's module is not served at _content/Cognito.Blazor/cognito-session.js"; exit 1; }
[ "$(curl -fs "http://127.0.0.1:$port/auth/session")" = '{"signedIn":false}' ] || { echo "Blazor app's /auth/session"; exit 1; }
kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null || true; app_pid=""
cd "$work"

# Native AOT (issue 25): the quick start on CreateSlimBuilder published with PublishAot=true. Our
# assemblies must add no trim/AOT warning (LanguageExt.Core's two summary warnings are expected:
# docs/aot.md); the native binary must walk the development pool's sign-in, /auth/session, a bearer
# call and a refused session. The same project under the JIT is the baseline of the start-up figures.
new_app AotApp aot
sed -i 's|<ImplicitUsings>enable</ImplicitUsings>|<ImplicitUsings>enable</ImplicitUsings>\n    <PublishAot>true</PublishAot>|' AotApp.csproj
sed 's/WebApplication.CreateBuilder(args)/WebApplication.CreateSlimBuilder(args)/' "$work/app/Program.cs" >Program.cs
dotnet build -c Release -v quiet -nologo >"$work/aot-build.log" 2>&1 || { cat "$work/aot-build.log"; exit 1; }
dotnet publish -c Release -o "$work/aot-out" -nologo -p:TrimmerSingleWarn=true >"$work/publish.log" 2>&1 || { grep -E "error|warning" "$work/publish.log" | sort -u | head -30; exit 1; }
ours=$(grep -E "warning (IL|CS|SYSLIB)" "$work/publish.log" | grep -v "Assembly 'LanguageExt.Core' produced" | sort -u || true)
[ -z "$ours" ] || { echo "trim/AOT warnings beyond LanguageExt.Core's:"; echo "$ours"; exit 1; }
[ -x "$work/aot-out/AotApp" ] || { echo "no native executable"; ls "$work/aot-out"; exit 1; }

# start-to-verified NAME COMMAND...: starts the app in Development, walks (walk.sh) and prints
# "NAME MS_TO_LISTEN MS_TO_FIRST_VERIFIED_REQUEST RSS_KB".
start_to_verified() {
  local name=$1; shift
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local started; started=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT=Development "$@" --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  app_pid=$!
  local listening=""
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && { listening=$(date +%s%N); break; }
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/$name.log"; exit 1; }
    sleep 0.01
  done
  [ -n "$listening" ] || { echo "$name did not listen"; exit 1; }
  "$root/tests/Consumer/walk.sh" "http://127.0.0.1:$port" "$work/$name.jar" >"$work/$name.walk" || { cat "$work/$name.walk" "$work/$name.log"; exit 1; }
  local verified; verified=$(date +%s%N)
  local rss; rss=$(awk '/^VmRSS/ {print $2}' "/proc/$app_pid/status")
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
  echo "$name $(( (listening - started) / 1000000 )) $(( (verified - started) / 1000000 )) $rss"
}
start_to_verified jit dotnet bin/Release/net10.0/AotApp.dll >"$work/jit.times"
start_to_verified aot "$work/aot-out/AotApp" >"$work/aot.times"
read -r _ jit_listen jit_verified jit_rss <"$work/jit.times"
read -r _ aot_listen aot_verified aot_rss <"$work/aot.times"
cat "$work/aot.walk"

# The cognito tool as a native executable (dotnet publish -r), answering the samples as the JIT tool does.
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
env -u NUGET_PACKAGES dotnet publish "$root/src/Cognito.Cli" -c Release -r "$rid" -o "$work/cli-native" -nologo >"$work/cli.log" 2>&1 || { grep -E "error|warning" "$work/cli.log" | sort -u | head -30; exit 1; }
samples=(verify --region eu-west-1 --user-pool-id eu-west-1_SamplePool --client-id 4sample0client0id0demo0abc --pems "$root/pems.json" --now 1767225600 --json --cookie-file "$root/samples/cookie-headers.txt")
"$work/tools/cognito" "${samples[@]}" >"$work/cli-jit.out" || true
"$work/cli-native/cognito" "${samples[@]}" >"$work/cli-native.out" || true
[ "$(wc -l <"$work/cli-native.out")" -ge 7 ] && cmp -s "$work/cli-jit.out" "$work/cli-native.out" \
  || { echo "the native cognito answers the samples otherwise:"; diff "$work/cli-jit.out" "$work/cli-native.out"; exit 1; }
cli_ms() { local s; s=$(date +%s%N); for _ in 1 2 3 4 5; do "$@" "${samples[@]}" >/dev/null || true; done; echo $(( ($(date +%s%N) - s) / 5000000 )); }
cli_jit=$(cli_ms "$work/tools/cognito"); cli_native=$(cli_ms "$work/cli-native/cognito")

ratio() { python3 -c "print(f'{$1 / max($2, 1):.1f}')"; }
echo "native AOT: quick start published with no warning of ours; native binary: sign-in, /auth/session, bearer, refusal;" \
  "first verified request ${jit_verified} ms JIT / ${aot_verified} ms AOT (x$(ratio "$jit_verified" "$aot_verified"); listening ${jit_listen} / ${aot_listen} ms)," \
  "working set $((jit_rss / 1024)) / $((aot_rss / 1024)) MiB; cognito native = JIT on $(wc -l <"$work/cli-native.out") sample sessions, ${cli_jit} ms JIT / ${cli_native} ms native per run"
echo "packed $(ls "$work/feed" | wc -l) files; dotnet new web + Cognito.AspNet and Cognito.AspNet.Development $version served the sign-in page; dotnet new blazor + Cognito.Blazor.Server served a CognitoUser page, the JS module and /auth/session; cognito $tool_version installed"
