using LanguageExt;

namespace Cognito;

/// <summary>The stages of a cookie session, in the order <see cref="FromCookieHeader"/> binds them.</summary>
public sealed partial class CognitoAuth
{
    /// <summary>
    /// The state carried from stage to stage. The stages are static so the pipeline allocates no
    /// delegates, and a refusal allocates nothing.
    /// </summary>
    private readonly record struct Progress(
        CognitoAuth Auth,
        string? Header,
        SessionCookies Session,
        IdTokenClaims? Id,
        AccessTokenClaims? Access,
        bool CheckTimes = true,
        string? CookieClient = null)
    {
        internal static Either<AuthError, Progress> Start(CognitoAuth auth, string? header, bool checkTimes = true) =>
            new Progress(auth, header, default, null, null, checkTimes);

        internal static Either<AuthError, Progress> Found(CognitoAuth auth, SessionCookies session) =>
            new Progress(auth, null, session, null, null);

        /// <summary>Size, for the header: checked before anything is read.</summary>
        internal static Either<AuthError, Progress> CookieHeaderSize(Progress p) =>
            string.IsNullOrEmpty(p.Header) ? Refusals.NoCookieHeader
            : p.Header.Length > p.Auth._maxHeaderLength ? Refusals.HeaderTooLarge
            : p;

        internal static Either<AuthError, Progress> AmplifySession(Progress p) =>
            p.Auth.FindSession(p.Header!) is { } found
                ? p with { Session = found.Session, CookieClient = found.ClientId }
                : p.Auth.NoSession;

        /// <summary>Size, for both tokens: checked before either is decoded.</summary>
        internal static Either<AuthError, Progress> TokenSizes(Progress p) =>
            (p.Auth._verifier.Size(TokenSlot.Id, p.Session.IdToken.Span)
             ?? p.Auth._verifier.Size(TokenSlot.Access, p.Session.AccessToken.Span)) is { } tooLarge
                ? tooLarge
                : p;

        /// <summary>A session verified before (same token text, times still good), or the stages that verify it.</summary>
        internal static Either<AuthError, AuthTokens> VerifiedSession(Progress p) =>
            Cached(p) is { } verified
                ? OfCookieClient(p, verified.Id, verified.Access) ?? (Either<AuthError, AuthTokens>)verified
                : IdToken(p)
                    .Bind(AccessToken)
                    .Bind(Pair)
                    .Bind(ToAuthTokens);

        /// <summary>The session cache's answer (never consulted when the times are not checked), counted as a hit or a miss.</summary>
        private static AuthTokens? Cached(Progress p)
        {
            if (!p.CheckTimes || p.Auth._cache is not { } cache)
            {
                return null;
            }

            var found = cache.Find(p.Session, p.Auth.Now, p.Auth._skew);
            CognitoTelemetry.CacheLookup(found is not null, CognitoTelemetry.SessionCache);
            return found;
        }

        internal static Either<AuthError, Progress> IdToken(Progress p) =>
            p.Auth._verifier.Verify(TokenSlot.Id, p.Session.IdToken, out var claims, p.CheckTimes) is { } error
                ? error
                : p with { Id = (IdTokenClaims)claims! };

        internal static Either<AuthError, Progress> AccessToken(Progress p) =>
            p.Auth._verifier.Verify(TokenSlot.Access, p.Session.AccessToken, out var claims, p.CheckTimes) is { } error
                ? error
                : p with { Access = (AccessTokenClaims)claims! };

        internal static Either<AuthError, Progress> Pair(Progress p) =>
            TokenPair.Check(p.Id!, p.Access!) is { } mismatch ? mismatch : p;

        /// <summary>
        /// With several app clients, both tokens of a session must be of the client whose cookies carried
        /// them (the id token's <c>aud</c>, the access token's <c>client_id</c>): another client's tokens
        /// under these cookie names are <c>wrong-client</c>. Always true with one client.
        /// </summary>
        private static AuthError? OfCookieClient(Progress p, IdTokenClaims id, AccessTokenClaims access) =>
            p.CookieClient is not { } client ? null
            : !string.Equals(id.Audience, client, StringComparison.Ordinal)
                ? new AuthError(AuthFailure.WrongClient, TokenSlot.Id, $"id token aud is '{id.Audience}', but it came in the cookies of app client '{client}'")
            : !string.Equals(access.ClientId, client, StringComparison.Ordinal)
                ? new AuthError(AuthFailure.WrongClient, TokenSlot.Access, $"access token client_id is '{access.ClientId}', but it came in the cookies of app client '{client}'")
            : null;

        // Bind, not Map: LanguageExt 4's Map allocates on every call, Bind with a static method does not.
        internal static Either<AuthError, AuthTokens> ToAuthTokens(Progress p)
        {
            if (OfCookieClient(p, p.Id!, p.Access!) is { } otherClient)
            {
                return otherClient;
            }

            var tokens = new AuthTokens(p.Id!, p.Access!, p.Session.RefreshToken?.ToString());
            (p.CheckTimes ? p.Auth._cache : null)?.Add(tokens);
            return tokens;
        }
    }
}
