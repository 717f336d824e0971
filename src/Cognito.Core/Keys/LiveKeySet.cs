using System.Diagnostics;
using LanguageExt;

namespace Cognito;

/// <summary>
/// Keys that follow key rotation without a redeploy: an initial key set (pems.json and/or a JWKS) plus
/// a JWKS address per pool. A token whose kid is unknown for a configured pool asks for a refresh;
/// at most one fetch per pool runs at a time (concurrent callers share it) and a new fetch starts at
/// most once per <see cref="LiveKeySetOptions.MinimumInterval"/>, so a flood of random kids cannot
/// become a flood of requests to Cognito. A fetch only ever adds keys: a failed, slow or garbage
/// fetch never drops a key already loaded, and the hot path for known kids never waits on it.
/// Changes are published in order: <see cref="Changed"/> handlers run one at a time and each gets the
/// newest keys, so a subscriber that installs what it is given never goes back to an older set.
/// </summary>
public sealed class LiveKeySet
{
    private readonly Dictionary<string, PoolSource> _sources;
    private readonly JwksClient _client;
    private readonly LiveKeySetOptions _options;
    private readonly TimeProvider _clock;
    private static readonly Task<bool> NotRefreshed = Task.FromResult(false);
    private readonly object _gate = new();
    private readonly object _publishing = new();
    private KeySet _current;

    /// <summary>A live key set starting from <paramref name="initial"/> with a JWKS address per pool.</summary>
    public LiveKeySet(KeySet initial, IEnumerable<KeyValuePair<UserPool, Uri>> jwksUris, HttpClient http, LiveKeySetOptions? options = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(jwksUris);
        _options = options ?? new LiveKeySetOptions();
        if (_options.MinimumInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MinimumInterval must not be negative.");
        }

        _client = new JwksClient(http, _options.Timeout, _options.RequireHttps);
        _clock = clock ?? TimeProvider.System;
        _current = initial;
        _sources = jwksUris.ToDictionary(p => p.Key.Issuer, p => new PoolSource(p.Key, p.Value), StringComparer.Ordinal);
        foreach (var source in _sources.Values)
        {
            if (SecureTransport.Refusal(source.Uri, $"the JWKS address of user pool {source.Pool.UserPoolId}", allowPlainHttp: !_options.RequireHttps) is { } insecure)
            {
                throw new ArgumentException(insecure + " (LiveKeySetOptions.RequireHttps).", nameof(jwksUris));
            }
        }
    }

    /// <summary>
    /// Raised after the keys changed (a fetch added keys, or <see cref="Replace"/>), with the newest keys.
    /// Handlers run one at a time, in order.
    /// </summary>
    public event Action<KeySet>? Changed;

    /// <summary>Raised when a fetch of a pool's JWKS failed (the keys already loaded stay); for logs and health checks.</summary>
    public event Action<UserPool, KeyLoadError>? FetchFailed;

    /// <summary>The keys now.</summary>
    public KeySet Current => Volatile.Read(ref _current);

    /// <summary>The last fetch error of a pool, if its last fetch failed.</summary>
    public KeyLoadError? LastError(UserPool pool) =>
        pool is not null && _sources.TryGetValue(pool.Issuer, out var source) ? source.LastError : null;

    /// <summary>True when <paramref name="pool"/> has a JWKS address here.</summary>
    public bool HasSource(UserPool pool) => pool is not null && _sources.ContainsKey(pool.Issuer);

    /// <summary>Replaces the keys (an operator removing a key, tests). Raises <see cref="Changed"/>.</summary>
    public void Replace(KeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            Volatile.Write(ref _current, keys);
        }

        Publish();
    }

    /// <summary>
    /// Tells the subscribers, one at a time, the keys as they are now (not as they were when this change
    /// was made): two changes finishing together can reach here in either order, and the later call
    /// must not hand out the older set.
    /// </summary>
    private void Publish()
    {
        lock (_publishing)
        {
            Changed?.Invoke(Current);
        }
    }

    /// <summary>
    /// Asks for the pool's JWKS: joins the fetch in flight, or starts one if the penalty box allows,
    /// or does nothing. True when keys were added.
    /// </summary>
    public Task<bool> RefreshAsync(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!_sources.TryGetValue(pool.Issuer, out var source))
        {
            return NotRefreshed;
        }

        lock (_gate)
        {
            if (source.InFlight is { IsCompleted: false } running)
            {
                return running;
            }

            var now = _clock.GetUtcNow();
            if (source.LastStart is { } last && now - last < _options.MinimumInterval)
            {
                return NotRefreshed;
            }

            source.LastStart = now;
            return source.InFlight = FetchAsync(source);
        }
    }

    private async Task<bool> FetchAsync(PoolSource source)
    {
        using var activity = CognitoTelemetry.Source.StartActivity("cognito.keys.fetch", ActivityKind.Client);
        activity?.SetTag("cognito.pool", source.Pool.UserPoolId);
        var fetched = await _client.FetchAsync(source.Pool, source.Uri).ConfigureAwait(false);
        var changed = fetched.Match(Right: keys => Add(source, keys), Left: error => Failed(source, error));
        var outcome = fetched.IsLeft ? "failed" : changed ? "new-keys" : "no-new-keys";
        CognitoTelemetry.KeyFetch(outcome);
        activity?.SetTag("cognito.outcome", outcome);
        if (fetched.IsLeft)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        return changed;
    }

    private bool Failed(PoolSource source, KeyLoadError error)
    {
        source.LastError = error;
        FetchFailed?.Invoke(source.Pool, error);
        return false;
    }

    private bool Add(PoolSource source, KeySet keys)
    {
        source.LastError = null;
        lock (_gate)
        {
            var before = _current;
            var added = keys.Keys.Where(k => !before.KeysOf(k.Pool).Any(old => old.Kid == k.Kid)).ToList();
            if (added.Count == 0)
            {
                return false;
            }

            // Only new kids are added: a key already loaded is never replaced or dropped by a fetch.
            Volatile.Write(ref _current, before.Merge(new KeySet(added)));
        }

        Publish();
        return true;
    }

    private sealed class PoolSource(UserPool pool, Uri uri)
    {
        public UserPool Pool { get; } = pool;

        public Uri Uri { get; } = uri;

        public Task<bool>? InFlight { get; set; }

        public DateTimeOffset? LastStart { get; set; }

        public KeyLoadError? LastError { get; set; }
    }
}
