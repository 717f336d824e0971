using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>
/// Many threads verifying a mix of valid and invalid sessions while the key set changes under them:
/// no wrong verdict, no exception, and a flood of unique valid sessions cannot grow the session cache
/// past its bound.
/// </summary>
public sealed class ConcurrencyTests
{
    private static readonly TestPool Pool = TestPool.Default;

    [Fact]
    public async Task Eight_threads_times_100000_verifications_during_key_set_changes_give_no_wrong_verdict()
    {
        const int Threads = 8, PerThread = 100_000, CacheSize = 256;
        await using var server = await JwksServer.StartAsync();
        var withSecondKey = Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksServer.Document([new(Pool.Kid, Pool.Key), new("key-2", TestPool.SecondKey)])));
        var withoutSecondKey = Pool.KeySet();
        var live = new LiveKeySet(withoutSecondKey, [new(Pool.Pool, server.JwksUri(Pool.UserPoolId))], new HttpClient(), new LiveKeySetOptions { MinimumInterval = TimeSpan.FromDays(1) });
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [Pool.Pool], ClientId = Pool.ClientId, LiveKeys = live, TimeProvider = new FixedClock(TestPool.Now), SessionCacheSize = CacheSize });
        var cache = (SessionCache)typeof(CognitoAuth).GetField("_cache", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(auth)!;

        var secondKeyHeader = new JsonObject { ["kid"] = "key-2", ["alg"] = "RS256" }.ToJsonString();
        var parts = Pool.IdToken().Split('.');
        var inputs = new List<(string Header, string Expected)>
        {
            (Pool.CookieHeader("jane.doe"), "ok:jane.doe"),
            (Pool.CookieHeader("john"), "ok:john"),
            (AmplifyCookies.Header(Pool.ClientId, "jane.doe", Jws.Sign(Pool.Header().ToJsonString(), Pool.IdClaims("admin").ToJsonString(), TestPool.StrangerKey), Pool.AccessToken()), "bad-signature"),
            (AmplifyCookies.Header(Pool.ClientId, "jane.doe", $"{parts[0]}.{parts[1]}=.{parts[2]}", Pool.AccessToken()), "malformed"),
            ("theme=dark", "no-session"),
            (AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.AccessToken("john")), "mismatched-tokens"),
            (AmplifyCookies.Header(Pool.ClientId, "eve", Jws.Sign(secondKeyHeader, Pool.IdClaims("eve").ToJsonString(), TestPool.SecondKey), Jws.Sign(secondKeyHeader, Pool.AccessClaims("eve").ToJsonString(), TestPool.SecondKey)), "ok:eve|unknown-key"),
        };

        // A flood of unique valid sessions (a new jti each), shared by the threads.
        var unique = Enumerable.Range(0, 600).Select(i =>
        {
            var id = Pool.IdClaims("flood");
            id["jti"] = $"flood-{i}";
            return AmplifyCookies.Header(Pool.ClientId, "flood", Pool.Sign(id), Pool.AccessToken("flood"));
        }).ToArray();

        var wrong = 0L;
        var maxCache = 0;
        using var stop = new CancellationTokenSource();
        var changer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                live.Replace(i % 2 == 0 ? withSecondKey : withoutSecondKey);
                await Task.Delay(5);
            }
        });
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            for (var i = 0; i < PerThread; i++)
            {
                var floodTurn = i % 50 == 0;
                var (header, expected) = floodTurn ? (unique[random.Next(unique.Length)], "ok:flood") : inputs[random.Next(inputs.Count)];
                var verdict = auth.FromCookieHeader(header).Match(tokens => $"ok:{tokens.Username}", error => error.Code);
                if (!expected.Split('|').Contains(verdict))
                {
                    Interlocked.Increment(ref wrong);
                }

                if (i % 1000 == 0)
                {
                    InterlockedMax(ref maxCache, cache.Count);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await changer;

        Assert.Equal(0, wrong);
        Assert.InRange(maxCache, 0, CacheSize + Threads); // a concurrent insert may land just as another evicts

        // Once the key set is still, the whole flood passes through the cache and stays within its bound.
        foreach (var header in unique)
        {
            Assert.Equal("flood", Verdict.Accepted(auth.FromCookieHeader(header)).Username);
        }

        Assert.InRange(cache.Count, CacheSize / 2, CacheSize);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
