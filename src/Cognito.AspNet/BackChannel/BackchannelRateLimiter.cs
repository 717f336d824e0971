using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// A budget for the calls this server makes to Cognito on behalf of requests (refresh, code exchange,
/// revoke): per client address and overall, so that no one can spend the account-wide quota of the
/// token endpoint (which every user's sign-in shares) with requests that cost them nothing. Built on
/// System.Threading.RateLimiting, the limiters under ASP.NET Core's rate-limiting middleware; applied
/// here, inside authentication and the adapter's endpoints, where that middleware does not reach.
/// </summary>
internal sealed class BackchannelRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext>? _limiter;

    internal BackchannelRateLimiter(int perClientPerMinute, int overallPerSecond)
    {
        var limiters = new List<PartitionedRateLimiter<HttpContext>>();
        if (perClientPerMinute > 0)
        {
            limiters.Add(PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perClientPerMinute,
                    TokensPerPeriod = Math.Max(1, perClientPerMinute / 6),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(10),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })));
        }

        if (overallPerSecond > 0)
        {
            limiters.Add(PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetTokenBucketLimiter(
                "all",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = overallPerSecond,
                    TokensPerPeriod = overallPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })));
        }

        _limiter = limiters.Count switch
        {
            0 => null,
            1 => limiters[0],
            _ => PartitionedRateLimiter.CreateChained([.. limiters]),
        };
    }

    /// <summary>True when the request may make one more call to Cognito now (never waits).</summary>
    internal bool TryAcquire(HttpContext context)
    {
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(context);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter?.Dispose();
}
