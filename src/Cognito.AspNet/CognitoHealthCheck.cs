using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet;

/// <summary>
/// The key source of a Cognito scheme as a health check: Healthy when every configured pool has keys
/// and its last JWKS fetch (if any) succeeded; Degraded when a pool's last fetch failed but keys are
/// loaded (sessions still verify); Unhealthy when a pool has no usable key (every session of it is
/// refused). A pool with no keys but a JWKS address is fetched first (the fetch is rate-limited like
/// any other, so a probe cannot flood Cognito). The data names pools and reasons, never a token.
/// </summary>
internal sealed class CognitoHealthCheck(IOptionsMonitor<CognitoCookiesOptions> options, CognitoRuntimes runtimes, string scheme) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var auth = runtimes.Of(options.Get(scheme)).Auth;
        var live = auth.Options.LiveKeys;
        var status = HealthStatus.Healthy;
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var pool in auth.Options.UserPools)
        {
            if (live is not null && live.Current.KeysOf(pool).Count == 0)
            {
                await live.RefreshAsync(pool).WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            var keys = (live?.Current ?? auth.Options.Keys!).KeysOf(pool).Count;
            var error = live?.LastError(pool);
            var poolStatus = keys == 0 ? HealthStatus.Unhealthy : error is not null ? HealthStatus.Degraded : HealthStatus.Healthy;
            data[pool.UserPoolId] = error is null ? $"{keys} keys" : $"{keys} keys; last JWKS fetch failed: {error.Message}";
            status = poolStatus < status ? poolStatus : status;
        }

        var description = status switch
        {
            HealthStatus.Healthy => "Cognito keys loaded",
            HealthStatus.Degraded => "Cognito keys loaded, but the last JWKS fetch failed",
            _ => "a Cognito user pool has no usable key: its sessions are refused",
        };
        return new HealthCheckResult(status, description, data: data);
    }
}
