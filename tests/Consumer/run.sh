#!/usr/bin/env bash
# The packages as a consumer meets them: pack the solution into a folder feed, create an app with
# `dotnet new web`, add Cognito.AspNet and Cognito.AspNet.Development from that feed, write the
# README's lines (the development pool in Development), run it on 127.0.0.1 and follow /auth/login to the development pool's sign-in page. Then the
# cognito tool: install it from the same feed and ask for its version.
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
for package in Cognito.Core Cognito.AspNet Cognito.AspNet.Development Cognito.AspNet.JwtBearer Cognito.Cli; do
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

cd "$work"
dotnet new web -n ConsumerApp -o app --no-restore >/dev/null
cd app
for package in Cognito.AspNet Cognito.AspNet.Development; do
  dotnet add package "$package" --version "$version" >"$work/add.log" 2>&1 || { cat "$work/add.log"; exit 1; }
done

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
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ASPNETCORE_ENVIRONMENT=Development dotnet run -c Release --no-build --urls "http://127.0.0.1:$port" >"$work/run.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/run.log"; exit 1; }
  sleep 0.2
done

home=$(curl -fs "http://127.0.0.1:$port/")
[ "$home" = "Hello anonymous: sign in at /auth/login" ] || { echo "home page: $home"; cat "$work/run.log"; exit 1; }
page=$(curl -fsL -c "$work/jar" -b "$work/jar" "http://127.0.0.1:$port/auth/login")
grep -q '<form' <<<"$page" && grep -qi 'username' <<<"$page" || { echo "no sign-in page at the end of /auth/login:"; head -c 2000 <<<"$page"; exit 1; }

# The tool, installed as the README says.
dotnet tool install Cognito.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >"$work/tool.log" 2>&1 || { cat "$work/tool.log"; exit 1; }
tool_version=$("$work/tools/cognito" --version)
[ "$tool_version" = "$version" ] || [[ "$tool_version" == "$version+"* ]] || { echo "cognito --version: $tool_version"; exit 1; }

echo "packed $(ls "$work/feed" | wc -l) files; dotnet new web + Cognito.AspNet and Cognito.AspNet.Development $version served the sign-in page; cognito $tool_version installed"
