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
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = Arguments.Parse(args, Options, Flags, out var error);
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
            return CommandLine.UsageError(stderr, "verify: give exactly one of --cookie-header, --cookie-file, or --id-token with --access-token");
        }

        if (parsed.Has("id-token") != parsed.Has("access-token"))
        {
            return CommandLine.UsageError(stderr, "verify: --id-token and --access-token go together");
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
            auth = new CognitoAuth(new CognitoOptions { UserPools = [pool], ClientId = parsed["client-id"]!, Keys = keys, TimeProvider = clock });
        }
        catch (Exception e) when (e is ArgumentException or KeySetException)
        {
            stderr.WriteLine($"cognito: verify: {e.Message}");
            return CommandLine.Usage;
        }

        IEnumerable<Func<LanguageExt.Either<AuthError, AuthTokens>>> sessions;
        if (parsed["cookie-header"] is { } header)
        {
            sessions = [() => auth.FromCookieHeader(header)];
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

            sessions = lines.Where(line => line.Trim().Length > 0).Select(line => (Func<LanguageExt.Either<AuthError, AuthTokens>>)(() => auth.FromCookieHeader(line))).ToArray();
        }
        else
        {
            var (id, access) = (parsed["id-token"], parsed["access-token"]);
            sessions = [() => auth.FromTokens(id, access)];
        }

        var json = parsed.Has("json");
        var allAccepted = true;
        foreach (var session in sessions)
        {
            var result = session();
            allAccepted &= result.IsRight;
            stdout.WriteLine(result.Match(
                Right: tokens => json ? AcceptedJson(tokens) : Accepted(tokens),
                Left: refusal => json ? RefusedJson(refusal) : $"refused {refusal.Code}: {refusal.Message}"));
        }

        return allAccepted ? CommandLine.Ok : CommandLine.Failed;
    }

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
