using System.Globalization;
using System.Text.Json;
using Cognito.AspNet.Development;

namespace Cognito.AmplifyDemo;

/// <summary>
/// Where the sample lives and how Amplify is configured: the app and the development pool on two https
/// origins (the pool on its own, as Cognito's hosted UI domain is), the Amplify generation, the cookie
/// domain. From the command line or configuration: <c>--amplify v6|v3</c>, <c>--port</c>,
/// <c>--pool-port</c>, <c>--host</c>, <c>--pool-host</c>, <c>--cookie-domain</c>.
/// </summary>
public sealed class AmplifySite
{
    internal AmplifySite(IConfiguration configuration)
    {
        Amplify = configuration["amplify"] ?? "v6";
        if (Amplify is not ("v6" or "v3"))
        {
            throw new InvalidOperationException($"--amplify {Amplify}: the sample bundles Amplify v6 (aws-amplify) and v3 (@aws-amplify/auth 3.x); use v6 or v3");
        }

        Host = configuration["host"] ?? "localhost";
        PoolHost = configuration["pool-host"] ?? Host;
        CookieDomain = configuration["cookie-domain"] ?? Host;
        AppPort = Port(configuration, "port", 5443);
        PoolPort = Port(configuration, "pool-port", 5444);
    }

    /// <summary>v6 (aws-amplify, the code flow with PKCE) or v3 (@aws-amplify/auth 3.x, responseType token).</summary>
    public string Amplify { get; }

    /// <summary>The app's host name in the browser.</summary>
    public string Host { get; }

    /// <summary>The development pool's host name in the browser (its "hosted UI domain").</summary>
    public string PoolHost { get; }

    /// <summary>The domain of Amplify's cookies (and of those the server writes when it refreshes).</summary>
    public string CookieDomain { get; }

    /// <summary>The app's port (0 picks a free one; the bound port replaces it at start).</summary>
    public int AppPort { get; internal set; }

    /// <summary>The development pool's port (0 picks a free one; the bound port replaces it at start).</summary>
    public int PoolPort { get; internal set; }

    /// <summary>The app's origin, <c>https://{host}:{port}</c>.</summary>
    public Uri AppOrigin => new($"https://{Host}:{AppPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The pool's origin.</summary>
    public Uri PoolOrigin => new($"https://{PoolHost}:{PoolPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Amplify's <c>oauth.domain</c>: Amplify builds <c>https://{domain}/oauth2/…</c>, so the pool's path rides along.</summary>
    public string OAuthDomain => $"{PoolHost}:{PoolPort.ToString(CultureInfo.InvariantCulture)}{DevelopmentUserPool.PathBase}";

    /// <summary>Where Amplify lands after the hosted UI: the adapter's token page.</summary>
    public string RedirectSignIn => new Uri(AppOrigin, "auth/token").ToString();

    /// <summary>Where Amplify lands after signing out.</summary>
    public string RedirectSignOut => AppOrigin.ToString();

    /// <summary>The settings the bundle reads (<c>window.cognitoDemo</c>), as a script statement.</summary>
    internal string ClientSettingsScript() => "window.cognitoDemo = " + JsonSerializer.Serialize(new
    {
        region = DevelopmentUserPool.Region,
        userPoolId = DevelopmentUserPool.UserPoolId,
        clientId = DevelopmentUserPool.ClientId,
        userPoolEndpoint = new Uri(PoolOrigin, DevelopmentUserPool.PathBase + "/").ToString(),
        oauthDomain = OAuthDomain,
        redirectSignIn = RedirectSignIn,
        redirectSignOut = RedirectSignOut,
        cookieDomain = CookieDomain,
        secure = true,
    }) + ";\n";

    private static int Port(IConfiguration configuration, string key, int fallback) =>
        configuration[key] is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
                ? port
                : throw new InvalidOperationException($"--{key} {text}: a port from 0 to 65535 is needed")
            : fallback;
}
