using LanguageExt;

namespace Cognito;

/// <summary>Finding the Amplify session of a configured app client in a Cookie header.</summary>
public sealed partial class CognitoAuth
{
    /// <summary>
    /// The session in a Cookie header, read once for a host that refreshes, revokes or clears sessions:
    /// the verdict of <see cref="FromCookieHeader"/>; when it is <c>expired</c>, the session verified
    /// ignoring only the times (<see cref="CookieSession.Expired"/>); and the client's cookie names.
    /// Never throws.
    /// </summary>
    public CookieSession ReadSession(string? cookieHeader) => Read(cookieHeader, FromCookieHeader(cookieHeader));

    /// <summary><see cref="ReadSession"/>, waiting for a key fetch when a kid is unknown (see <see cref="FromCookieHeaderAsync"/>).</summary>
    public async ValueTask<CookieSession> ReadSessionAsync(string? cookieHeader) =>
        Read(cookieHeader, await FromCookieHeaderAsync(cookieHeader).ConfigureAwait(false));

    private CookieSession Read(string? cookieHeader, Either<AuthError, AuthTokens> result) =>
        new(this, cookieHeader, result, IsExpired(result) ? FromCookieHeaderIgnoringTimes(cookieHeader).MatchUnsafe(Right: static session => session, Left: static _ => null) : null);

    private static bool IsExpired(Either<AuthError, AuthTokens> result) =>
        result.Match(Right: static _ => false, Left: static error => error.Failure == AuthFailure.Expired);

    /// <summary>
    /// The names of the app client's Amplify cookies in a Cookie header (<c>{prefix}.…</c>), in the order
    /// sent, read with the same rules as the session (never decoded; names ASP.NET's cookie collection
    /// drops, such as those with parentheses, included). A name sent twice appears twice.
    /// </summary>
    internal List<string> AmplifyCookieNamesIn(string? cookieHeader)
    {
        var names = new List<string>();
        if (string.IsNullOrEmpty(cookieHeader) || cookieHeader.Length > _maxHeaderLength)
        {
            return names;
        }

        ReadOnlySpan<char> text = cookieHeader;
        foreach (var (name, _) in new CookieHeader.Pairs(text))
        {
            var candidate = text[name];
            foreach (var prefix in _cookiePrefixes)
            {
                if (candidate.Length > prefix.Length + 1 && candidate.StartsWith(prefix, StringComparison.Ordinal) && candidate[prefix.Length] == '.')
                {
                    names.Add(candidate.ToString());
                    break;
                }
            }
        }

        return names;
    }

    /// <summary>
    /// The refresh token cookie of the Amplify session in a Cookie header, if any — not verified (only
    /// Cognito can); for refreshing a session whose tokens expired. Never log it.
    /// </summary>
    public string? ReadRefreshToken(string? cookieHeader) =>
        string.IsNullOrEmpty(cookieHeader) || cookieHeader.Length > _maxHeaderLength
            ? null
            : FindSession(cookieHeader)?.Session.RefreshToken?.ToString();

    /// <summary>The Amplify session of the first configured app client, in order, that has one in the header, and that client.</summary>
    private (SessionCookies Session, string ClientId)? FindSession(string header)
    {
        for (var i = 0; i < _cookiePrefixes.Length; i++)
        {
            if (Cognito.AmplifySession.Find(header, _cookiePrefixes[i]) is { } session)
            {
                return (session, _clientIds[i]);
            }
        }

        return null;
    }

    // Stryker disable once Assignment : equivalent, without the cache each refusal is a new error with the same content
    private AuthError NoSession => field ??= new AuthError(
        AuthFailure.NoSession,
        TokenSlot.None,
        _clientIds.Length == 1
            ? $"no Amplify session for app client {_clientIds[0]}: the {_cookiePrefixes[0]}.LastAuthUser cookie, or its user's idToken/accessToken cookie, is missing"
            : $"no Amplify session for any of the app clients {string.Join(", ", _clientIds)}: no {{client}}.LastAuthUser cookie with its user's idToken/accessToken cookies");
}
