using LanguageExt;

namespace Cognito;

/// <summary>Settings of a <see cref="LiveKeySet"/>.</summary>
public sealed record LiveKeySetOptions
{
    /// <summary>Least time between two fetches for one pool (the "penalty box"): default 10 s.</summary>
    public TimeSpan MinimumInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one fetch may take, body included: default 5 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// JWKS addresses must be https (loopback aside): default on. Turning it off lets anyone on the path
    /// inject keys, and so sign in as anyone; only for a network you trust.
    /// </summary>
    public bool RequireHttps { get; init; } = true;
}
