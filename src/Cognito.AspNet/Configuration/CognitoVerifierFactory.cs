using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cognito.AspNet;

/// <summary>
/// Builds the verifier of a Cognito scheme from its checked options: the key set (pems.json, and the
/// pool's JWKS when <see cref="CognitoCookiesOptions.FollowKeyRotation"/> is on), the
/// <see cref="CognitoAuth"/>, and the per-scheme guards of the back channel. Schemes configured alike
/// (the cookie and bearer schemes of <c>AddCognito()</c>) share one verifier, so one JWKS fetch and
/// one session cache serve both.
/// </summary>
internal sealed class CognitoVerifierFactory(IHostEnvironment environment, ILoggerFactory? loggers = null)
{
    private readonly ConcurrentDictionary<VerifierKey, CognitoAuth> _built = new();

    /// <summary>Why <paramref name="options"/> can have no verifier, naming what to fix; null when it can (and then it is built).</summary>
    internal string? Check(VerifierSettings options)
    {
        _ = Verifier(options, out var problem);
        return problem;
    }

    /// <summary>The verifier of <paramref name="options"/>, built once for all schemes configured alike; or null and why not.</summary>
    internal CognitoAuth? Verifier(VerifierSettings options, out string? problem)
    {
        problem = null;
        UserPool pool;
        try
        {
            pool = new UserPool(options.Region!, options.UserPoolId!);
        }
        catch (ArgumentException e)
        {
            problem = $"Cognito: {e.Message}";
            return null;
        }

        string[] clientIds = [options.ClientId!, .. options.AdditionalClientIds.Where(id => id != options.ClientId).Distinct(StringComparer.Ordinal)];
        var pemsPath = Path.IsPathRooted(options.PemsPath) ? options.PemsPath : Path.Combine(environment.ContentRootPath, options.PemsPath);
        var key = new VerifierKey(pool, string.Join(' ', clientIds), options.Keys, options.LiveKeys, options.Keys is null ? pemsPath : null, options.FollowKeyRotation, options.JwksUri, options.RequireHttpsMetadata, options.ClockSkew, options.TimeProvider!);
        if (!_built.TryGetValue(key, out var auth))
        {
            try
            {
                auth = _built.GetOrAdd(key, _ => Create(options, pool, clientIds, pemsPath));
            }
            catch (Exception e) when (e is ArgumentException or KeySetException)
            {
                problem = $"Cognito: {e.Message}";
                return null;
            }
        }

        return auth;
    }

    private CognitoAuth Create(VerifierSettings options, UserPool pool, string[] clientIds, string pemsPath)
    {
        var keys = options.Keys ?? LoadPems(options, pool, pemsPath);
        var live = options.LiveKeys;
        if (live is null && options.FollowKeyRotation)
        {
            // Redirects are not followed: keys come only from the configured address.
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
            live = new LiveKeySet(keys ?? KeySet.Empty, [new(pool, options.JwksUri ?? pool.JwksUri)], http, new LiveKeySetOptions { RequireHttps = options.RequireHttpsMetadata }, options.TimeProvider);
        }

        if (live is not null)
        {
            var log = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Cognito.AspNet");
            live.FetchFailed += (failed, error) => log.KeyFetchFailed(failed.UserPoolId, error.Message);
        }

        if (keys is null && live is null)
        {
            throw new KeySetException(
                $"no keys for user pool {pool.UserPoolId}: '{options.PemsPath}' does not exist and FollowKeyRotation is off. " +
                $"Run `cognito pems --region {pool.Region} --user-pool-id {pool.UserPoolId}`, or turn FollowKeyRotation on.");
        }

        return new CognitoAuth(new CognitoOptions
        {
            UserPools = [pool],
            ClientIds = clientIds,
            Keys = keys,
            LiveKeys = live,
            ClockSkew = options.ClockSkew,
            TimeProvider = options.TimeProvider!,
        });
    }

    private static KeySet? LoadPems(VerifierSettings options, UserPool pool, string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var keys = PemsFile.Load(path);
        return keys.KeysOf(pool).Count > 0 || options.FollowKeyRotation ? keys : throw new KeySetException(
            $"{path} has no keys for user pool {pool.UserPoolId}: run `cognito pems --region {pool.Region} --user-pool-id {pool.UserPoolId} --out {path}`.");
    }

    /// <summary>What makes two schemes' verifiers the same.</summary>
    private sealed record VerifierKey(UserPool Pool, string ClientIds, KeySet? Keys, LiveKeySet? LiveKeys, string? PemsPath, bool Follow, Uri? JwksUri, bool RequireHttps, TimeSpan ClockSkew, TimeProvider Clock);
}
