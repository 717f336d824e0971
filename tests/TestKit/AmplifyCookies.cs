namespace Cognito.TestKit;

/// <summary>Cookie headers as a browser sends Amplify's cookies.</summary>
public static class AmplifyCookies
{
    /// <summary>
    /// The cookies Amplify writes for a signed-in user: LastAuthUser (value rule), then the per-user
    /// cookies under js-cookie's name rule (or, with <paramref name="encodeParentheses"/> false, the
    /// Next.js adapter's).
    /// </summary>
    public static string Header(string clientId, string username, string idToken, string accessToken, string? refreshToken = null, bool encodeParentheses = true, IEnumerable<string>? extra = null)
    {
        var prefix = AmplifyCookieNames.Prefix(clientId);
        var key = AmplifyCookieNames.EncodeUsername(username, encodeParentheses);
        var pairs = new List<string>
        {
            $"{prefix}.LastAuthUser={EncodeValue(username)}",
            $"{prefix}.{key}.idToken={idToken}",
            $"{prefix}.{key}.accessToken={accessToken}",
        };
        if (refreshToken is not null)
        {
            pairs.Add($"{prefix}.{key}.refreshToken={refreshToken}");
        }

        pairs.Add($"{prefix}.{key}.clockDrift=0");
        pairs.AddRange(extra ?? []);
        return string.Join("; ", pairs);
    }

    /// <summary>js-cookie's value rule (the core's, which the adapter writes with).</summary>
    public static string EncodeValue(string value) => AmplifyCookieNames.EncodeValue(value);
}
