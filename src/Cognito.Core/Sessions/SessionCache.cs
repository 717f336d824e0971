namespace Cognito;

/// <summary>
/// Verified sessions, so that the same cookies on the next request cost a lookup instead of two RSA
/// verifications. Keyed by the exact id token text; a hit also needs the exact access and refresh
/// token text of the entry, and re-checks the pair's times (the earlier exp, the later nbf and iat).
/// </summary>
internal sealed class SessionCache(int capacity) : VerifiedCache<AuthTokens>(capacity)
{
    internal AuthTokens? Find(in SessionCookies session, double now, double skew) =>
        TryFind(session.IdToken.Span, now, skew, out var tokens)
        && session.AccessToken.Span.SequenceEqual(tokens.AccessToken)
        && SameRefreshToken(session, tokens.RefreshToken)
            ? tokens
            : null;

    internal void Add(AuthTokens tokens) =>
        Add(tokens.IdToken, tokens, tokens.Id.Key, tokens.Access.Key, ValidityWindow.Of(tokens.Id.Window, tokens.Access.Window));

    private static bool SameRefreshToken(in SessionCookies session, string? cached) =>
        session.RefreshToken is { } refresh ? cached is not null && refresh.Span.SequenceEqual(cached) : cached is null;
}
