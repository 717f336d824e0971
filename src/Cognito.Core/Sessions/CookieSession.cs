using LanguageExt;

namespace Cognito;

/// <summary>
/// A Cookie header read once for a host that keeps sessions alive (refreshes them, revokes them, clears
/// their cookies): the verdict, and — only when the verdict is <c>expired</c> — the session verified in
/// full except for its times, with the names of the app client's cookies as sent.
/// From <see cref="CognitoAuth.ReadSession"/> or <see cref="CognitoAuth.ReadSessionAsync"/>.
/// </summary>
public sealed class CookieSession
{
    private readonly CognitoAuth _auth;
    private readonly string? _header;
    private List<string>? _names;

    internal CookieSession(CognitoAuth auth, string? header, Either<AuthError, AuthTokens> result, AuthTokens? expired)
    {
        _auth = auth;
        _header = header;
        Result = result;
        Expired = expired;
    }

    /// <summary>The verdict, exactly as <see cref="CognitoAuth.FromCookieHeader"/> gives it.</summary>
    public Either<AuthError, AuthTokens> Result { get; }

    /// <summary>
    /// When <see cref="Result"/> is <c>expired</c>: the session with every check passed but the times
    /// (signature, issuer, audience, token_use, pair, client) — never signed in, never cached; for
    /// refreshing it with its refresh token or revoking that. Otherwise null.
    /// </summary>
    public AuthTokens? Expired { get; }

    /// <summary>
    /// The names of the app clients' Amplify cookies in the header (<c>{prefix}.…</c>), in the order sent,
    /// read with the same rules as the session (never decoded; names ASP.NET's cookie collection drops,
    /// such as those with parentheses, included). A name sent twice appears twice. Read on first use.
    /// </summary>
    public IReadOnlyList<string> CookieNames => _names ??= _auth.AmplifyCookieNamesIn(_header);
}
