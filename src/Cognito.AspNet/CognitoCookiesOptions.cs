using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// Options of the Cognito cookies scheme: the user pool and app client, the hosted UI, how the Amplify
/// cookies are written, and the adapter's endpoints. Bound from the <c>Cognito</c> configuration
/// section and from the seed's environment variables (USER_POOL_REGION, USER_POOL_ID,
/// USER_POOL_CLIENT_ID, USER_POOL_CLIENT_SECRET, AUTH_COOKIE_DOMAIN, IDP_DOMAIN, REDIRECT_SIGN_IN,
/// REDIRECT_SIGN_OUT), and validated at start-up.
/// </summary>
public sealed class CognitoCookiesOptions : AuthenticationSchemeOptions
{
    /// <summary>The options of a scheme, with its events ready to be set.</summary>
    public CognitoCookiesOptions() => Events = new CognitoCookiesEvents();

    /// <summary>Hooks into the session's life (see <see cref="CognitoCookiesEvents"/>): validated, refused, refreshed, signing in, signing out.</summary>
    public new CognitoCookiesEvents Events
    {
        get => (CognitoCookiesEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>The user pool's region (USER_POOL_REGION), e.g. <c>eu-west-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>The user pool id (USER_POOL_ID), e.g. <c>eu-west-1_AbC123</c>.</summary>
    public string? UserPoolId { get; set; }

    /// <summary>The app client id (USER_POOL_CLIENT_ID).</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Other app clients of the pool whose tokens are accepted (a mobile client, a machine client of
    /// the client-credentials grant calling the APIs). <see cref="ClientId"/> stays the client of the
    /// sign-in flow and of the cookies this app writes; the cookie reader also reads these clients'
    /// Amplify sessions, in this order, after its own.
    /// </summary>
    public IList<string> AdditionalClientIds { get; } = [];

    /// <summary>The app client secret, when the app client has one (USER_POOL_CLIENT_SECRET): sent with HTTP Basic.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The hosted UI (managed login) domain (IDP_DOMAIN), e.g. <c>myapp.auth.eu-west-1.amazoncognito.com</c> or a full https URL.</summary>
    public string? Domain { get; set; }

    /// <summary>The callback URL registered with the app client (REDIRECT_SIGN_IN); default <c>{origin}{BasePath}/callback</c>.</summary>
    public string? RedirectSignIn { get; set; }

    /// <summary>The sign-out URL registered with the app client (REDIRECT_SIGN_OUT); default <c>{origin}/</c>.</summary>
    public string? RedirectSignOut { get; set; }

    /// <summary>OAuth scopes asked for at sign-in.</summary>
    public IList<string> Scopes { get; } = ["openid", "email", "profile"];

    /// <summary>An identity provider to go to directly (<c>identity_provider</c>, e.g. <c>Google</c>).</summary>
    public string? IdentityProvider { get; set; }

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

    /// <summary>The Domain attribute of the cookies written (AUTH_COOKIE_DOMAIN); none by default (host-only).</summary>
    public string? CookieDomain { get; set; }

    /// <summary>The Path attribute of the cookies written (default <c>/</c>, as Amplify).</summary>
    public string CookiePath { get; set; } = "/";

    /// <summary>Secure attribute: <see cref="CookieSecurePolicy.SameAsRequest"/> by default.</summary>
    public CookieSecurePolicy CookieSecure { get; set; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>SameSite attribute (default Lax, as Amplify v6).</summary>
    public SameSiteMode CookieSameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>
    /// HttpOnly on the cookies written. Default: on, unless <see cref="BrowserAmplify"/> (Amplify in the
    /// browser must read them).
    /// </summary>
    public bool? CookieHttpOnly { get; set; }

    /// <summary>How long the cookies written live (default 30 days, Cognito's default refresh token lifetime).</summary>
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The browser runs Amplify (the seed's set-up): cookies readable by JavaScript, <c>/auth/token</c> page in use.</summary>
    public bool BrowserAmplify { get; set; }

    /// <summary>In browser-Amplify mode, the address of the app's script that configures Amplify, loaded by the <c>/auth/token</c> page.</summary>
    public string? TokenPageScript { get; set; }

    /// <summary>Refresh the tokens when they expire within this margin (default 5 min).</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where the adapter's endpoints live (default <c>/auth</c>).</summary>
    public PathString BasePath { get; set; } = CognitoCookiesDefaults.BasePath;

    /// <summary>Paths whose challenge is a 401 instead of a redirect (besides requests that accept JSON). Default <c>/api</c>.</summary>
    public IList<PathString> ApiPaths { get; } = [new PathString("/api")];

    /// <summary>
    /// The hosted UI domain, the JWKS address and the callback URL must be https, except loopback
    /// addresses (default on, as ASP.NET's <c>RequireHttpsMetadata</c>). Turning it off sends codes,
    /// refresh tokens and the client secret in clear and lets anyone on the path inject keys: only for a
    /// network you trust. The app logs a warning at start-up when it is off.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long one call to the token or revoke endpoint may take, answer included (default 10 s).</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Calls to Cognito (refresh, code exchange, revoke) that one client address may cause per minute
    /// (default 20, a token bucket; 0 turns the per-client limit off). Behind a proxy, use ASP.NET's
    /// forwarded headers so the address is the client's.
    /// </summary>
    public int BackchannelCallsPerClientPerMinute { get; set; } = 20;

    /// <summary>
    /// Calls to Cognito the whole server may make per second (default 50; 0 turns it off): the token
    /// endpoint's quota is shared by the whole AWS account, and a flood must not throttle every sign-in.
    /// </summary>
    public int BackchannelCallsPerSecond { get; set; } = 50;

    /// <summary>
    /// With refresh-token rotation: how long a new refresh token is handed to requests that still
    /// present the old one. At most the app client's <c>RetryGracePeriodSeconds</c> (0–60 s); default 0:
    /// only requests made while that refresh is in flight share it.
    /// </summary>
    public TimeSpan RefreshTokenGracePeriod { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long an instance trusts its last look at the sign-out store for a session (default 5 s): a
    /// sign-out on one instance holds on the others within this interval. Sessions are recorded as
    /// signed out in the app's <c>IDistributedCache</c> (in memory, this instance only, unless the app
    /// registers a shared one such as Redis); each instance reads it at most once per session per
    /// interval. <see cref="TimeSpan.Zero"/> reads it on every request.
    /// </summary>
    public TimeSpan SignOutCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where the identity provider is reached when it is not the hosted UI of <see cref="Domain"/> (then
    /// <see cref="Domain"/> is not required); null for Cognito. The development user pool
    /// (<c>AddCognitoDevelopmentPool()</c>, package Cognito.AspNet.Development) sets it.
    /// </summary>
    public ICognitoEndpoints? Endpoints { get; set; }

    /// <summary>Whether cookies written are HttpOnly.</summary>
    internal bool HttpOnly => CookieHttpOnly ?? !BrowserAmplify;
}
