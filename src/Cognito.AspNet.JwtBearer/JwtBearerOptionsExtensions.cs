using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Cognito.AspNet.JwtBearer;

/// <summary><c>AddJwtBearer(options => options.UseCognito(...))</c>: an existing JwtBearer set-up on Cognito's rules.</summary>
public static class JwtBearerOptionsExtensions
{
    /// <summary>
    /// Replaces the token handlers with a <see cref="CognitoTokenHandler"/> over <paramref name="auth"/>:
    /// the app keeps its scheme, events and policies; tokens are verified with Cognito's rules.
    /// </summary>
    public static JwtBearerOptions UseCognito(this JwtBearerOptions options, CognitoAuth auth)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(auth);
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new CognitoTokenHandler(auth));
        return options;
    }

    /// <summary>
    /// <see cref="UseCognito(JwtBearerOptions, CognitoAuth)"/> for a pool and its app clients, keys from
    /// the pool's JWKS (fetched on first use and on rotation, https only, redirects not followed).
    /// </summary>
    public static JwtBearerOptions UseCognito(this JwtBearerOptions options, string region, string userPoolId, params string[] clientIds)
    {
        var pool = new UserPool(region, userPoolId);
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var live = new LiveKeySet(KeySet.Empty, [new(pool, pool.JwksUri)], http);
        return options.UseCognito(new CognitoAuth(new CognitoOptions { UserPools = [pool], ClientIds = clientIds, LiveKeys = live }));
    }
}
