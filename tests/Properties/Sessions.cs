namespace Cognito.Properties;

/// <summary>Valid sessions minted once, for properties that mutate them.</summary>
internal static class Sessions
{
    internal static readonly TestPool Pool = TestPool.Default;
    internal static readonly KeySet Keys = Pool.KeySet();
    internal static readonly CognitoAuth Auth = Pool.Auth(keys: Keys);
    internal static readonly string IdToken = Pool.IdToken("jane.doe", ["admin"]);
    internal static readonly string AccessToken = Pool.AccessToken("jane.doe", ["admin"]);
    internal static readonly string Header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", IdToken, AccessToken, "refresh-token-value");

    internal static string With(string idToken, string accessToken) =>
        AmplifyCookies.Header(Pool.ClientId, "jane.doe", idToken, accessToken);

    internal static string? Code(LanguageExt.Either<AuthError, AuthTokens> result) =>
        result.Match(Right: _ => (string?)null, Left: e => e.Code);
}
