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

    /// <summary>
    /// js-cookie's value rule: encodeURIComponent, then turn back the escapes of
    /// <c># $ &amp; + / : &lt; = &gt; ? @ [ ] ^ ` { | }</c>.
    /// </summary>
    public static string EncodeValue(string value)
    {
        var encoded = Uri.EscapeDataString(value);
        foreach (var (escape, c) in new[]
                 {
                     ("%23", "#"), ("%24", "$"), ("%26", "&"), ("%2B", "+"), ("%2F", "/"), ("%3A", ":"), ("%3C", "<"),
                     ("%3D", "="), ("%3E", ">"), ("%3F", "?"), ("%40", "@"), ("%5B", "["), ("%5D", "]"), ("%5E", "^"),
                     ("%60", "`"), ("%7B", "{"), ("%7C", "|"), ("%7D", "}"),
                     // Uri.EscapeDataString also escapes what encodeURIComponent leaves as it is.
                     ("%21", "!"), ("%2A", "*"), ("%27", "'"), ("%28", "("), ("%29", ")"),
                 })
        {
            encoded = encoded.Replace(escape, c, StringComparison.Ordinal);
        }

        return encoded;
    }
}
