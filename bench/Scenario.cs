using System.Security.Cryptography;
using System.Text;
using Cognito.TestKit;

namespace Cognito.Bench;

/// <summary>
/// A realistic Amplify session, the same for every benchmark and the load run: a 2048-bit RS256 id
/// token and access token as Cognito mints them (valid for a day from now), a 1.8 KB refresh token,
/// Amplify's other cookies and some unrelated ones, about 3.9 KB in all.
/// </summary>
public sealed class Scenario
{
    public Scenario()
    {
        Pool = new TestPool("eu-west-1", "eu-west-1_BenchPool1", "5bench0client0id0abcdef012", "bench-key-1", RSA.Create(2048));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = Pool.IdClaims("jane.doe@example.com", groups: ["admin", "staff", "eu-west-1_BenchPool1_Google"]);
        var access = Pool.AccessClaims("jane.doe@example.com", groups: ["admin", "staff", "eu-west-1_BenchPool1_Google"]);
        foreach (var claims in new[] { id, access })
        {
            claims["iat"] = now - 60;
            claims["auth_time"] = now - 60;
            claims["exp"] = now + 86_400;
        }

        id["custom:tenant"] = "acme-corporation";
        id["identities"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"userId":"109876543210987654321","providerName":"Google","providerType":"Google","issuer":null,"primary":"true","dateCreated":"1700000000000"}]""");
        access["scope"] = "aws.cognito.signin.user.admin phone openid profile email";
        IdToken = Pool.Sign(id);
        AccessToken = Pool.Sign(access);
        RefreshToken = Jws.Base64Url(RandomNumberGenerator.GetBytes(1350));
        var prefix = $"CognitoIdentityServiceProvider.{Pool.ClientId}";
        var extra = new[]
        {
            $"{prefix}.jane.doe%40example.com.userData=%7B%22UserAttributes%22%3A%5B%7B%22Name%22%3A%22email%22%2C%22Value%22%3A%22jane.doe%40example.com%22%7D%5D%7D",
            "_ga=GA1.1.1234567890.1700000000",
            "_ga_ABCDEF1234=GS1.1.1700000000.1.1.1700000100.0.0.0",
            "theme=dark",
            "amplify-signin-with-hostedUI=true",
        };
        Header = AmplifyCookies.Header(Pool.ClientId, "jane.doe@example.com", IdToken, AccessToken, RefreshToken, extra: extra);
    }

    public TestPool Pool { get; }

    public string IdToken { get; }

    public string AccessToken { get; }

    public string RefreshToken { get; }

    /// <summary>The whole Cookie header.</summary>
    public string Header { get; }

    public KeySet Keys => Pool.KeySet();

    public CognitoAuth Auth(int sessionCacheSize) =>
        new(CognitoOptions.For(Pool.Region, Pool.UserPoolId, Pool.ClientId, Keys) with { SessionCacheSize = sessionCacheSize });

    /// <summary>Unrelated cookies, <paramref name="length"/> characters in all.</summary>
    public static string Filler(int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; builder.Length < length; i++)
        {
            builder.Append(builder.Length == 0 ? "" : "; ").Append("pref").Append(i).Append('=').Append('v', 40);
        }

        return builder.ToString(0, length);
    }
}
