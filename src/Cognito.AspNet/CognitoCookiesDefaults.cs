namespace Cognito.AspNet;

/// <summary>Default values of the Cognito cookies authentication scheme.</summary>
public static class CognitoCookiesDefaults
{
    /// <summary>The scheme name, <c>CognitoCookies</c>.</summary>
    public const string AuthenticationScheme = "CognitoCookies";

    /// <summary>The bearer scheme's name, <c>CognitoBearer</c> (<c>Authorization: Bearer &lt;access token&gt;</c>).</summary>
    public const string BearerScheme = "CognitoBearer";

    /// <summary>The scheme that picks bearer or cookies per request, <c>Cognito</c> (the default of <c>AddCognito()</c>).</summary>
    public const string PolicyScheme = "Cognito";

    /// <summary>The configuration section bound to the options, <c>Cognito</c>.</summary>
    public const string ConfigurationSection = "Cognito";

    /// <summary>Where the adapter's endpoints live, <c>/auth</c>.</summary>
    public const string BasePath = "/auth";

    /// <summary>The localStorage key the tab-sync script uses (the seed's name).</summary>
    public const string SyncStorageKey = "auth_sync_key";
}
