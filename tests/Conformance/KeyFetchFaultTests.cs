using Cognito.Cli;

namespace Cognito.Conformance;

/// <summary>
/// The fault-injection suite (issue 13), key edges: the JWKS fetch on the asynchronous and the
/// synchronous path and <c>cognito pems</c>, against a real socket server that refuses, resets, cuts,
/// stalls, floods, lies and redirects, or answers slowly but in time (<see cref="Fault"/>). For every
/// case: no exception escapes, the caller gets the documented error, the keys already loaded stay, a
/// later good answer is used, and a redirect adds no key. The adapter's edges (token endpoint, revoke)
/// are in <c>AspNet/BackChannelFaultTests</c>.
/// </summary>
public sealed class KeyFetchFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly TestPool Rotated = new(Pool.Region, Pool.UserPoolId, Pool.ClientId, "key-2", TestPool.SecondKey);

    public static TheoryData<Fault> Faults() => [.. Enum.GetValues<Fault>()];

    /// <summary>The JWKS both keys are in, from the fault server; the trap serves it too (a redirect must not add its keys).</summary>
    private static (FaultServer Jwks, FaultServer Trap) JwksServers(Fault fault)
    {
        var document = JwksServer.Document([new("key-1", Pool.Key), new("key-2", TestPool.SecondKey)]);
        var trap = FaultServer.Start();
        trap.Good = () => (200, "application/json", document);
        var jwks = FaultServer.Start();
        jwks.Good = () => (200, "application/json", document);
        jwks.RedirectTarget = new Uri(trap.BaseAddress, "jwks.json");
        jwks.SlowDelay = Timeout / 5;
        jwks.Mode = fault;
        return (jwks, trap);
    }

    private static (CognitoAuth Auth, LiveKeySet Live, HttpClient Http) LiveAuth(FaultServer jwks)
    {
        // An HttpClient as a user would pass it: it follows redirects, so the client's own check is what refuses them.
        var http = new HttpClient();
        var live = new LiveKeySet(Pool.KeySet(), [new(Pool.Pool, new Uri(jwks.BaseAddress, "jwks.json"))], http, new LiveKeySetOptions { MinimumInterval = TimeSpan.Zero, Timeout = Timeout });
        var auth = new CognitoAuth(CognitoOptions.For(Pool.Region, Pool.UserPoolId, Pool.ClientId, Pool.KeySet()) with
        {
            LiveKeys = live,
            TimeProvider = new FixedClock(TestPool.Now),
        });
        return (auth, live, http);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Jwks_fetch_on_the_async_path(Fault fault)
    {
        var (jwks, trap) = JwksServers(fault);
        await using var _ = jwks;
        await using var __ = trap;
        var (auth, live, http) = LiveAuth(jwks);
        using var ___ = http;

        var rotated = await auth.FromCookieHeaderAsync(Rotated.CookieHeader());
        if (fault == Fault.SlowButInTime)
        {
            Verdict.Accepted(rotated);
        }
        else
        {
            Verdict.Refused(rotated, "unknown-key");
            var error = live.LastError(Pool.Pool)!.Message;
            var uri = new Uri(jwks.BaseAddress, "jwks.json");
            switch (fault)
            {
                case Fault.BodyCut:
                    Assert.StartsWith($"the connection to {uri} broke: ", error, StringComparison.Ordinal);
                    Assert.EndsWith(" — check the network, a proxy, or the address", error, StringComparison.Ordinal);
                    break;
                case Fault.RedirectElsewhere: // this HttpClient followed the redirect: the answer is refused all the same
                    Assert.Equal($"{uri} redirected to {new Uri(trap.BaseAddress, "jwks.json")}: keys are read only from the configured address", error);
                    break;
            }
        }

        Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader())); // the key already loaded stays
        jwks.Mode = null;
        Verdict.Accepted(await auth.FromCookieHeaderAsync(Rotated.CookieHeader())); // a later good answer is used
        Assert.Null(live.LastError(Pool.Pool));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Jwks_fetch_on_the_sync_path(Fault fault)
    {
        var (jwks, trap) = JwksServers(fault);
        await using var _ = jwks;
        await using var __ = trap;
        var (auth, live, http) = LiveAuth(jwks);
        using var ___ = http;
        var failures = new List<KeyLoadError>();
        live.FetchFailed += (_, error) => failures.Add(error);

        Verdict.Refused(auth.FromCookieHeader(Rotated.CookieHeader()), "unknown-key"); // answers now, fetches behind
        await live.RefreshAsync(Pool.Pool); // joins the fetch in flight (or, if it ended, makes the same request again)
        if (fault == Fault.SlowButInTime)
        {
            Verdict.Accepted(auth.FromCookieHeader(Rotated.CookieHeader()));
            Assert.Empty(failures);
        }
        else
        {
            Verdict.Refused(auth.FromCookieHeader(Rotated.CookieHeader()), "unknown-key");
            Assert.NotNull(live.LastError(Pool.Pool));
            Assert.NotEmpty(failures);
        }

        Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader()));
        jwks.Mode = null;

        // The refusals above may have started another fetch of the fault: the next good one adds the key.
        for (var i = 0; i < 3 && !await live.RefreshAsync(Pool.Pool); i++)
        {
        }

        Verdict.Accepted(auth.FromCookieHeader(Rotated.CookieHeader()));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Cognito_pems_exits_1_with_one_line_and_leaves_the_file(Fault fault)
    {
        var (jwks, trap) = JwksServers(fault);
        await using var _ = jwks;
        await using var __ = trap;
        var output = Path.Combine(Directory.CreateTempSubdirectory("cognito-faults-").FullName, "pems.json");
        var before = TestPool.PemsJson(TestPool.Other);
        await File.WriteAllTextAsync(output, before);
        string[] args = ["pems", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--out", output, "--jwks-url", new Uri(jwks.BaseAddress, "jwks.json").ToString(), "--timeout", Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)];

        var stderr = new StringWriter();
        var code = CommandLine.Run(args, new StringWriter(), stderr);
        if (fault == Fault.SlowButInTime)
        {
            Assert.Equal(0, code);
            Assert.Equal(2, PemsFile.Parse(await File.ReadAllTextAsync(output)).Match(k => k.Keys.Count(key => key.Pool == Pool.Pool), _ => -1));
        }
        else
        {
            Assert.Equal(1, code);
            var lines = stderr.ToString().TrimEnd('\n').Split('\n');
            Assert.Single(lines);
            Assert.StartsWith("cognito: pems: ", lines[0], StringComparison.Ordinal);
            Assert.EndsWith("was not changed", lines[0], StringComparison.Ordinal);
            if (fault == Fault.RedirectElsewhere) // the command's client does not follow redirects
            {
                Assert.StartsWith($"cognito: pems: {new Uri(jwks.BaseAddress, "jwks.json")} redirected to {new Uri(trap.BaseAddress, "jwks.json")} (307): keys are read only from the configured address; ", lines[0], StringComparison.Ordinal);
            }
            Assert.Equal(before, await File.ReadAllTextAsync(output));
        }

        Assert.Equal(0, trap.Requests);
        jwks.Mode = null;
        Assert.Equal(0, CommandLine.Run(args, new StringWriter(), new StringWriter()));
    }
}
