using Microsoft.AspNetCore.Authentication;

namespace Cognito.AspNet;

/// <summary>
/// The bearer scheme's options (<c>AddCognitoBearer()</c>): which pool and app clients, where the keys
/// come from, and the scheme's events. Bound from the <c>Cognito</c> configuration section (and the seed's
/// environment variables) like the cookie scheme's; with <c>AddCognito()</c> the pool and key settings
/// are the cookie scheme's, so one configuration serves both.
/// </summary>
public sealed class CognitoBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Builds options with the defaults below.</summary>
    public CognitoBearerOptions() => Events = new CognitoBearerEvents();

    /// <summary>Hooks into a bearer call (see <see cref="CognitoBearerEvents"/>): token validated, refused, challenge, forbidden.</summary>
    public new CognitoBearerEvents Events
    {
        get => (CognitoBearerEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>The user pool's region (USER_POOL_REGION), e.g. <c>eu-west-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>The user pool id (USER_POOL_ID), e.g. <c>eu-west-1_AbC123</c>.</summary>
    public string? UserPoolId { get; set; }

    /// <summary>The app client id (USER_POOL_CLIENT_ID): access tokens must carry it (or one of <see cref="AdditionalClientIds"/>) as <c>client_id</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>Other app clients of the pool whose access tokens are accepted (a mobile client, a machine client of the client-credentials grant).</summary>
    public IList<string> AdditionalClientIds { get; } = [];

    /// <summary>Path to pems.json (default <c>pems.json</c> in the content root) when <see cref="Keys"/> is not set.</summary>
    public string PemsPath { get; set; } = "pems.json";

    /// <summary>The keys, when not read from <see cref="PemsPath"/>.</summary>
    public KeySet? Keys { get; set; }

    /// <summary>Follow key rotation: fetch the pool's JWKS when a token has an unknown kid (default on).</summary>
    public bool FollowKeyRotation { get; set; } = true;

    /// <summary>The JWKS address; default Cognito's for the pool.</summary>
    public Uri? JwksUri { get; set; }

    /// <summary>A ready live key source (overrides <see cref="Keys"/>, <see cref="PemsPath"/> and <see cref="JwksUri"/>).</summary>
    public LiveKeySet? LiveKeys { get; set; }

    /// <summary>Clock skew for exp, nbf and iat (default 60 s).</summary>
    public TimeSpan ClockSkew { get; set; } = CognitoOptions.DefaultClockSkew;

    /// <summary>The JWKS address must be https, loopback aside (default on, as ASP.NET's <c>RequireHttpsMetadata</c>).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// How long an instance trusts its last look at the sign-out store for a session (default 5 s): the
    /// access token of a session signed out on any instance is refused (<c>signed-out</c>) within this
    /// interval. <see cref="TimeSpan.Zero"/> reads the store on every request.
    /// </summary>
    public TimeSpan SignOutCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
