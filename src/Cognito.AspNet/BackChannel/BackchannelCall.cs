namespace Cognito.AspNet;

/// <summary>What a call to Cognito is for: each has a server-wide budget of its own (<see cref="BackchannelRateLimiter"/>).</summary>
internal enum BackchannelCall
{
    /// <summary>The code exchange of a sign-in.</summary>
    SignIn,

    /// <summary>A refresh of expiring tokens.</summary>
    Refresh,

    /// <summary>The revocation of a refresh token at sign-out.</summary>
    Revoke,
}
