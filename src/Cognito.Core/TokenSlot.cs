namespace Cognito;

/// <summary>Which token a rule was applied to.</summary>
public enum TokenSlot
{
    /// <summary>Not about one token (the cookie header, the session, the pair).</summary>
    None,
    /// <summary>The id token (Amplify's <c>.idToken</c> cookie).</summary>
    Id,
    /// <summary>The access token (Amplify's <c>.accessToken</c> cookie).</summary>
    Access,
}
