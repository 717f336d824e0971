using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cognito.Cli;

/// <summary>
/// <c>cognito verify</c>: runs the same <see cref="CognitoAuth"/> a server runs and says why each
/// session is accepted or refused, so "why am I signed out?" has an answer. Prints codes and
/// messages, never a token.
/// </summary>
internal static class VerifyCommand
{
    private static readonly HashSet<string> Options = ["region", "user-pool-id", "client-id", "pems", "now", "cookie-header", "cookie-file", "id-token", "access-token"];
    private static readonly HashSet<string> Flags = ["json"];
    private static readonly HashSet<string> Repeatable = ["client-id"];
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = Arguments.Parse(args, Options, Flags, Repeatable, out var error);
        if (parsed is null)
        {
            return CommandLine.UsageError(stderr, $"verify: {error}");
        }

        foreach (var required in new[] { "region", "user-pool-id", "client-id" })
        {
            if (string.IsNullOrEmpty(parsed[required]))
            {
                return CommandLine.UsageError(stderr, $"verify: --{required} is required");
            }
        }

        var sources = new[] { parsed.Has("cookie-header"), parsed.Has("cookie-file"), parsed.Has("id-token") || parsed.Has("access-token") }.Count(x => x);
        if (sources != 1)
        {
            return CommandLine.UsageError(stderr, "verify: give exactly one of --cookie-header, --cookie-file, or --id-token and/or --access-token");
        }

        TimeProvider clock = TimeProvider.System;
        if (parsed["now"] is { } nowText)
        {
            if (!long.TryParse(nowText, NumberStyles.None, CultureInfo.InvariantCulture, out var now) || now > 253402300799)
            {
                return CommandLine.UsageError(stderr, $"verify: --now must be a Unix time in seconds, not '{nowText}'");
            }

            clock = new PinnedClock(DateTimeOffset.FromUnixTimeSeconds(now));
        }

        CognitoAuth auth;
        try
        {
            var pool = new UserPool(parsed["region"]!, parsed["user-pool-id"]!);
            var keys = PemsFile.Load(parsed["pems"] ?? "pems.json");
            auth = new CognitoAuth(new CognitoOptions { UserPools = [pool], ClientIds = parsed.All("client-id"), Keys = keys, TimeProvider = clock });
        }
        catch (Exception e) when (e is ArgumentException or KeySetException)
        {
            stderr.WriteLine($"cognito: verify: {e.Message}");
            return CommandLine.Usage;
        }

        var json = parsed.Has("json");
        IEnumerable<Func<(bool Ok, string Line)>> checks;
        if (parsed["cookie-header"] is { } header)
        {
            checks = [() => Session(auth.FromCookieHeader(header), json)];
        }
        else if (parsed["cookie-file"] is { } file)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"cognito: verify: cannot read '{file}': {e.Message}");
                return CommandLine.Usage;
            }

            checks = lines.Where(line => line.Trim().Length > 0).Select(line => (Func<(bool, string)>)(() => Session(auth.FromCookieHeader(line), json))).ToArray();
        }
        else
        {
            // Both tokens: a session. One of them: what an API gets as a bearer token.
            var (id, access) = (parsed["id-token"], parsed["access-token"]);
            checks = [() => (id, access) switch
            {
                (not null, not null) => Session(auth.FromTokens(id, access), json),
                (null, _) => Single(auth.VerifyAccessToken(access), json),
                _ => Single(auth.VerifyIdToken(id), json),
            }];
        }

        var allAccepted = true;
        foreach (var check in checks)
        {
            var (ok, line) = check();
            allAccepted &= ok;
            stdout.WriteLine(line);
        }

        return allAccepted ? CommandLine.Ok : CommandLine.Failed;
    }

    private static (bool Ok, string Line) Session(LanguageExt.Either<AuthError, AuthTokens> result, bool json) =>
        result.Match(
            Right: tokens => (true, json ? AcceptedJson(tokens) : Accepted(tokens)),
            Left: refusal => (false, Refused(refusal, json)));

    private static (bool Ok, string Line) Single<T>(LanguageExt.Either<AuthError, T> result, bool json)
        where T : TokenClaims =>
        result.Match(
            Right: claims => (true, json ? TokenJson(claims) : Token(claims)),
            Left: refusal => (false, Refused(refusal, json)));

    private static string Refused(AuthError refusal, bool json) =>
        json ? RefusedJson(refusal) : $"refused {refusal.Code}: {refusal.Message}";

    private static string Token(TokenClaims claims) => claims switch
    {
        AccessTokenClaims access => $"accepted access token of app client {access.ClientId} ({(access.IsMachineToMachine ? "machine to machine" : $"user {access.Username}")}, sub {access.Sub}, scopes [{string.Join(", ", access.Scopes)}], expires {access.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ})",
        IdTokenClaims id => $"accepted id token of {id.Username} for app client {id.Audience} (sub {id.Sub}, groups [{string.Join(", ", id.Groups)}], expires {id.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ})",
        _ => throw new ArgumentOutOfRangeException(nameof(claims)),
    };

    private static string TokenJson(TokenClaims claims) => Json(writer =>
    {
        writer.WriteBoolean("ok", true);
        writer.WriteString("tokenUse", claims is AccessTokenClaims ? "access" : "id");
        writer.WriteString("sub", claims.Sub);
        if (claims.Username is { } username)
        {
            writer.WriteString("username", username);
        }

        writer.WriteString("clientId", claims is AccessTokenClaims access ? access.ClientId : ((IdTokenClaims)claims).Audience);
        if (claims is AccessTokenClaims { Scopes: var scopes })
        {
            writer.WriteStartArray("scopes");
            foreach (var scope in scopes)
            {
                writer.WriteStringValue(scope);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("groups");
        foreach (var group in claims.Groups)
        {
            writer.WriteStringValue(group);
        }

        writer.WriteEndArray();
        writer.WriteNumber("expiresAt", claims.ExpiresAt.ToUnixTimeSeconds());
    });

    private static string Accepted(AuthTokens tokens) =>
        $"accepted {tokens.Username} (sub {tokens.Sub}, groups [{string.Join(", ", tokens.Groups)}], expires {tokens.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ})";

    private static string AcceptedJson(AuthTokens tokens) => Json(writer =>
    {
        writer.WriteBoolean("ok", true);
        tokens.WriteSummary(writer);
    });

    private static string RefusedJson(AuthError refusal) => Json(writer =>
    {
        writer.WriteBoolean("ok", false);
        writer.WriteString("code", refusal.Code);
        writer.WriteString("message", refusal.Message);
    });

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed class PinnedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
