using System.CommandLine;
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
    private const string Name = "verify";
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var region = new Option<string>("--region") { Description = "The user pool's AWS region, e.g. eu-west-1.", Required = true };
        var poolId = new Option<string>("--user-pool-id") { Description = "The user pool id, e.g. eu-west-1_AbC123.", Required = true };
        var clientIds = new Option<string[]>("--client-id") { Description = "An app client id; repeat it for several clients (in the order the cookies are looked for).", Required = true };
        var pems = new Option<string>("--pems") { Description = "The key set (pems.json, made by `cognito pems`).", DefaultValueFactory = _ => "pems.json" };
        var now = new Option<string?>("--now") { Description = "Verify at this Unix time in seconds instead of now (to replay a past failure)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per result: {\"ok\":true,…} or {\"ok\":false,\"code\":…,\"message\":…}." };
        var cookieHeader = new Option<string>("--cookie-header") { Description = "A Cookie header, as a browser sends it." };
        var cookieFile = new Option<string>("--cookie-file") { Description = "A file with one Cookie header per line; one result per non-empty line." };
        var idToken = new Option<string>("--id-token") { Description = "An id token; with --access-token, the two are verified as one session." };
        var accessToken = new Option<string>("--access-token") { Description = "An access token; alone, it is verified as an API gets it as a bearer token." };
        now.Validators.Add(result => CommandLine.Number(result, "a Unix time in whole seconds (0 to 253402300799)", seconds => seconds is >= 0 and <= 253402300799 && seconds == Math.Floor(seconds)));

        var command = new Command(Name, "Explain why a session (a Cookie header) or a single token is accepted or refused, with the library's codes.")
        {
            region, poolId, clientIds, pems, now, json, cookieHeader, cookieFile, idToken, accessToken,
        };
        command.Validators.Add(result =>
        {
            var sources = new[] { result.GetResult(cookieHeader) is not null, result.GetResult(cookieFile) is not null, result.GetResult(idToken) is not null || result.GetResult(accessToken) is not null }.Count(given => given);
            if (sources != 1)
            {
                result.AddError("give exactly one of --cookie-header, --cookie-file, or --id-token and/or --access-token");
            }
        });
        command.SetAction(parsed =>
        {
            if (CommandLine.Pool(parsed.GetValue(region)!, parsed.GetValue(poolId)!, out var error) is not { } pool)
            {
                return CommandLine.UsageError(stderr, Name, error!);
            }

            TimeProvider clock = parsed.GetValue(now) is { } seconds ? new PinnedClock(DateTimeOffset.FromUnixTimeSeconds(long.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture))) : TimeProvider.System;
            if (Verifier(pool, parsed.GetValue(clientIds)!, parsed.GetValue(pems)!, clock, stderr) is not { } auth)
            {
                return CommandLine.Usage;
            }

            var asJson = parsed.GetValue(json);
            IEnumerable<Func<(bool Ok, string Line)>> checks;
            if (parsed.GetValue(cookieHeader) is { } header)
            {
                checks = [() => Session(auth.FromCookieHeader(header), asJson)];
            }
            else if (parsed.GetValue(cookieFile) is { } file)
            {
                string[] lines;
                try
                {
                    lines = File.ReadAllLines(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return CommandLine.UsageError(stderr, Name, $"cannot read '{file}': {CommandLine.Clause(e.Message)}");
                }

                checks = lines.Where(line => line.Trim().Length > 0).Select(line => (Func<(bool, string)>)(() => Session(auth.FromCookieHeader(line), asJson))).ToArray();
            }
            else
            {
                // Both tokens: a session. One of them: what an API gets as a bearer token.
                var (id, access) = (parsed.GetValue(idToken), parsed.GetValue(accessToken));
                checks = [() => (id, access) switch
                {
                    (not null, not null) => Session(auth.FromTokens(id, access), asJson),
                    (null, _) => Single(auth.VerifyAccessToken(access), asJson),
                    _ => Single(auth.VerifyIdToken(id), asJson),
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
        });
        return command;
    }

    /// <summary>The verifier of the configured pool and clients with the key set of <paramref name="pemsPath"/>, or null after saying what to fix.</summary>
    private static CognitoAuth? Verifier(UserPool pool, string[] clientIds, string pemsPath, TimeProvider clock, TextWriter stderr)
    {
        if (!File.Exists(pemsPath))
        {
            CommandLine.UsageError(stderr, Name, $"there is no key set at '{Path.GetFullPath(pemsPath)}': create it with `cognito pems --region {pool.Region} --user-pool-id {pool.UserPoolId} --out {pemsPath}`");
            return null;
        }

        try
        {
            return new CognitoAuth(new CognitoOptions { UserPools = [pool], ClientIds = clientIds, Keys = PemsFile.Load(pemsPath), TimeProvider = clock });
        }
        catch (KeySetException e)
        {
            CommandLine.UsageError(stderr, Name, CommandLine.Clause(e.Message.Replace("--region R --user-pool-id P", $"--region {pool.Region} --user-pool-id {pool.UserPoolId}", StringComparison.Ordinal)));
            return null;
        }
        catch (ArgumentException e)
        {
            CommandLine.UsageError(stderr, Name, CommandLine.Clause(e.Message[..(e.Message.IndexOf(" (Parameter", StringComparison.Ordinal) is var at and >= 0 ? at : e.Message.Length)]));
            return null;
        }
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
