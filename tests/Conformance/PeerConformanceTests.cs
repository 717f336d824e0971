using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cognito.Conformance;

/// <summary>
/// Runs the real JavaScript peers (tests/Conformance/peers: Amplify's cookie writers, the original
/// aws-cognito-next, aws-jwt-verify, jwk-to-pem; installed with <c>npm ci</c> when missing) to make the
/// cases, once per test run.
/// </summary>
public sealed class PeerCases
{
    public PeerCases()
    {
        var peers = Path.Combine(Root(), "tests", "Conformance", "peers");
        if (!Directory.Exists(Path.Combine(peers, "node_modules")))
        {
            Run(peers, "npm", "ci", "--no-audit", "--no-fund");
        }

        var output = Path.Combine(Path.GetTempPath(), $"cognito-peer-cases-{Environment.ProcessId}.json");
        Run(peers, "node", "generate.cjs", output);
        using var document = JsonDocument.Parse(File.ReadAllText(output));
        File.Delete(output);
        var root = document.RootElement;
        Now = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("now").GetInt64());
        Pool = new UserPool(root.GetProperty("region").GetString()!, root.GetProperty("userPoolId").GetString()!);
        ClientId = root.GetProperty("clientId").GetString()!;
        JwksJson = root.GetProperty("jwks").GetRawText();
        JwkToPem = root.GetProperty("pems").GetProperty(Pool.Region).GetProperty(Pool.UserPoolId).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Cases = [.. root.GetProperty("cases").EnumerateArray().Select(c => new PeerCase(
            c.GetProperty("name").GetString()!,
            c.GetProperty("writer").GetString()!,
            c.GetProperty("username").GetString()!,
            c.GetProperty("header").GetString()!,
            c.GetProperty("idToken").GetString()!,
            c.GetProperty("accessToken").GetString()!,
            c.GetProperty("seedPick").GetProperty("idToken").GetString(),
            c.GetProperty("seedPick").GetProperty("accessToken").GetString(),
            c.GetProperty("seed").GetBoolean(),
            c.GetProperty("jwtVerify").GetBoolean(),
            c.TryGetProperty("expectedCode", out var code) ? code.GetString() : null,
            c.TryGetProperty("rule", out var rule) ? rule.GetString() : null,
            c.TryGetProperty("attack", out _)))];
        Today = [.. root.GetProperty("today").EnumerateArray().Select(c => new TodayCase(
            c.GetProperty("name").GetString()!,
            c.GetProperty("kind").GetString()!,
            c.TryGetProperty("header", out var header) ? header.GetString() : null,
            c.TryGetProperty("token", out var token) ? token.GetString() : null,
            c.GetProperty("jwtVerify").GetBoolean()))];
        var keys = Jwks.Parse(Pool, JwksJson).Match(k => k, e => throw new InvalidOperationException(e.Message));
        Auth = new CognitoAuth(new CognitoOptions { UserPools = [Pool], ClientId = ClientId, Keys = keys, TimeProvider = new FixedClock(Now), SessionCacheSize = 0 });
        TwoClients = new CognitoAuth(new CognitoOptions { UserPools = [Pool], ClientIds = [ClientId, root.GetProperty("mobileClientId").GetString()!], Keys = keys, TimeProvider = new FixedClock(Now), SessionCacheSize = 0 });
    }

    /// <summary>Issue 12's cases: two app clients, both issuer forms, machine-to-machine tokens, with aws-jwt-verify's verdict.</summary>
    public IReadOnlyList<TodayCase> Today { get; }

    /// <summary>A verifier of both app clients of <see cref="Today"/>.</summary>
    public CognitoAuth TwoClients { get; }

    public DateTimeOffset Now { get; }

    public UserPool Pool { get; }

    public string ClientId { get; }

    public string JwksJson { get; }

    public Dictionary<string, string> JwkToPem { get; }

    public IReadOnlyList<PeerCase> Cases { get; }

    public CognitoAuth Auth { get; }

    internal static string Root([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));

    private static void Run(string directory, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed in {directory}: {stderr.Result}{stdout.Result}");
        }
    }
}

public sealed record TodayCase(string Name, string Kind, string? Header, string? Token, bool JwtVerify);

public sealed record PeerCase(string Name, string Writer, string Username, string Header, string IdToken, string AccessToken, string? SeedIdToken, string? SeedAccessToken, bool Seed, bool JwtVerify, string? ExpectedCode, string? Rule, bool Attack);

/// <summary>
/// The port against what it replaces, case by case: the cookies Amplify v3–v6 really write, the tokens
/// the original package picks and accepts, what aws-jwt-verify accepts, the PEMs jwk-to-pem makes.
/// </summary>
public sealed class PeerConformanceTests(PeerCases peers, ITestOutputHelper output) : IClassFixture<PeerCases>
{
    private string Prefix => AmplifyCookieNames.Prefix(peers.ClientId);

    [Fact]
    public void The_harness_generates_hundreds_of_cases_from_both_Amplify_writers()
    {
        Assert.True(peers.Cases.Count >= 300, $"{peers.Cases.Count} cases");
        Assert.Equal(2, peers.Cases.Select(c => c.Writer).Distinct().Count());
        Assert.Contains(peers.Cases, c => c.Username.Any(char.IsSurrogate));
        Assert.Contains(peers.Cases, c => c.Username.IndexOfAny(['(', ')', '#', '+', '%', ';', ' ']) >= 0);
        output.WriteLine($"{peers.Cases.Count} cases: {peers.Cases.Count(c => c.ExpectedCode is null)} sessions, {peers.Cases.Count(c => c.Rule is not null)} deliberate divergences, {peers.Cases.Count(c => c.Attack)} attacks");
    }

    [Fact]
    public void Our_cookie_reader_picks_exactly_the_tokens_the_seed_picks()
    {
        var disagreements = peers.Cases.Where(c =>
        {
            var ours = AmplifySession.Find(c.Header, Prefix);
            return ours?.IdToken.ToString() != c.SeedIdToken || ours?.AccessToken.ToString() != c.SeedAccessToken;
        }).Select(c => $"{c.Name} ({c.Writer}, user '{c.Username}')").ToList();
        Assert.Empty(disagreements);
        Assert.All(peers.Cases, c => Assert.Equal(c.IdToken, c.SeedIdToken)); // and the seed picks the tokens that were written
    }

    [Fact]
    public void Every_session_the_seed_and_aws_jwt_verify_both_accept_we_accept_but_the_listed_divergences()
    {
        var accepted = peers.Cases.Where(c => c.Seed && c.JwtVerify && c.ExpectedCode is null).ToList();
        Assert.True(accepted.Count >= 300, $"{accepted.Count} sessions accepted by both peers");
        var falseRefusals = accepted
            .Select(c => (c, result: peers.Auth.FromCookieHeader(c.Header)))
            .Where(x => x.result.IsLeft)
            .Select(x => $"{x.c.Name} ({x.c.Writer}, user '{x.c.Username}'): {x.result.Match(_ => "", e => e.ToString())}")
            .ToList();
        Assert.Empty(falseRefusals);
        Assert.All(accepted, c => Assert.Equal(c.Username, peers.Auth.FromCookieHeader(c.Header).Match(t => t.Username, _ => null)));
    }

    [Fact]
    public void Every_session_we_refuse_while_a_peer_accepts_is_a_listed_divergence_with_its_rule()
    {
        var divergences = peers.Cases
            .Where(c => (c.Seed || c.JwtVerify) && peers.Auth.FromCookieHeader(c.Header).IsLeft)
            .Select(c => (c, code: peers.Auth.FromCookieHeader(c.Header).Match(_ => "", e => e.Code)))
            .ToList();
        Assert.All(divergences, d => Assert.True(d.c.ExpectedCode == d.code, $"{d.c.Name}: refused with {d.code}, expected a listed rule ({d.c.ExpectedCode ?? "none"})"));

        var readme = File.ReadAllText(Path.Combine(PeerCases.Root(), "docs", "stricter.md"));
        foreach (var (c, code) in divergences)
        {
            var rule = c.Rule ?? c.Name["attack: ".Length..];
            output.WriteLine($"stricter than {(c.Seed ? "the seed" : "")}{(c.Seed && c.JwtVerify ? " and " : "")}{(c.JwtVerify ? "aws-jwt-verify" : "")}: {rule} → {code}");
            Assert.Contains($"| {rule} | `{code}` |", readme);
        }

        Assert.True(divergences.Count >= 9, $"{divergences.Count} divergences");
    }

    [Fact]
    public void Every_deliberate_divergence_is_refused_with_its_code()
    {
        foreach (var c in peers.Cases.Where(c => c.ExpectedCode is not null))
        {
            var code = peers.Auth.FromCookieHeader(c.Header).Match(_ => "accepted", e => e.Code);
            Assert.True(code == c.ExpectedCode, $"{c.Name}: {code}, expected {c.ExpectedCode}");
        }
    }

    [Fact]
    public void The_attack_catalogue_forged_with_Node_crypto_is_refused_with_its_code()
    {
        var attacks = peers.Cases.Where(c => c.Attack).ToList();
        Assert.True(attacks.Count >= 15);
        foreach (var c in attacks)
        {
            Verdict.Refused(peers.Auth.FromCookieHeader(c.Header), c.ExpectedCode!);
        }
    }

    [Fact]
    public void Every_current_Cognito_token_aws_jwt_verify_accepts_we_accept()
    {
        // aws-jwt-verify with clientId: [web, mobile]: sessions of either client and either issuer form,
        // access tokens alone, machine-to-machine tokens. 0 false refusals.
        Assert.True(peers.Today.Count(c => c.JwtVerify && c.Kind == "session") >= 50, $"{peers.Today.Count(c => c.JwtVerify)} accepted by aws-jwt-verify");
        Assert.True(peers.Today.Count(c => c.JwtVerify && c.Name.Contains("machine", StringComparison.Ordinal)) >= 50);
        var falseRefusals = peers.Today.Where(c => c.JwtVerify)
            .Select(c => (c, result: c.Kind == "session"
                ? peers.TwoClients.FromCookieHeader(c.Header).Match(_ => "ok", e => e.ToString())
                : peers.TwoClients.VerifyAccessToken(c.Token).Match(_ => "ok", e => e.ToString())))
            .Where(x => x.result != "ok")
            .Select(x => $"{x.c.Name}: {x.result}")
            .ToList();
        Assert.Empty(falseRefusals);
    }

    [Fact]
    public void Cognito_pems_output_equals_jwk_to_pem_byte_for_byte()
    {
        var keys = Verdict.Accepted(Jwks.Parse(peers.Pool, peers.JwksJson));
        foreach (var (kid, pem) in peers.JwkToPem)
        {
            Assert.Equal(pem, keys.KeysOf(peers.Pool).Single(k => k.Kid == kid).ToPem());
        }

        // And the seed's pems.json of those PEMs loads as it is.
        var pemsJson = JsonSerializer.Serialize(new Dictionary<string, object> { [peers.Pool.Region] = new Dictionary<string, object> { [peers.Pool.UserPoolId] = peers.JwkToPem } });
        Assert.Equal(peers.JwkToPem.Count, Verdict.Accepted(PemsFile.Parse(pemsJson)).Keys.Count());
    }
}
