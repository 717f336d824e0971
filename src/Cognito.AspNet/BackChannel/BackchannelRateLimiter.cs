using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// A budget for the calls this server makes to Cognito on behalf of requests (code exchange, refresh,
/// revoke), so that no one can spend the account-wide quota of the token endpoint (which every user's
/// sign-in shares) with requests that cost them nothing: per client (an IPv4 address, or an IPv6 /64,
/// the block one subscriber is given) for all calls, and for the whole server per kind of call — a flood
/// of sign-outs or refreshes from many addresses spends the revoke or refresh budget, never the budget
/// of other users' sign-ins. Built on System.Threading.RateLimiting, the limiters under ASP.NET Core's
/// rate-limiting middleware; applied here, inside authentication and the adapter's endpoints, where that
/// middleware does not reach.
/// </summary>
internal sealed class BackchannelRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext>? _perClient;
    private readonly RateLimiter?[] _overall;

    internal BackchannelRateLimiter(int perClientPerMinute, int overallPerSecond)
    {
        if (perClientPerMinute > 0)
        {
            _perClient = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetTokenBucketLimiter(
                ClientOf(context.Connection.RemoteIpAddress),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perClientPerMinute,
                    TokensPerPeriod = Math.Max(1, perClientPerMinute / 6),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(10),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        }

        _overall = [.. Enum.GetValues<BackchannelCall>().Select(_ => overallPerSecond > 0
            ? new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = overallPerSecond,
                TokensPerPeriod = overallPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : (RateLimiter?)null)];
    }

    /// <summary>
    /// True when the request may make one more <paramref name="call"/> to Cognito now (never waits): the
    /// client's budget first, so a client over its own budget never spends the server's.
    /// </summary>
    internal bool TryAcquire(HttpContext context, BackchannelCall call)
    {
        if (_perClient is not null)
        {
            using var lease = _perClient.AttemptAcquire(context);
            if (!lease.IsAcquired)
            {
                return false;
            }
        }

        if (_overall[(int)call] is { } overall)
        {
            using var lease = overall.AttemptAcquire();
            return lease.IsAcquired;
        }

        return true;
    }

    /// <summary>
    /// The budget a client address falls in: an IPv4 address (also when written as IPv4-mapped IPv6), or
    /// the /64 of an IPv6 address — one subscriber usually has a whole /64 and can use any address in it.
    /// </summary>
    internal static string ClientOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    public void Dispose()
    {
        _perClient?.Dispose();
        foreach (var limiter in _overall)
        {
            limiter?.Dispose();
        }
    }
}
