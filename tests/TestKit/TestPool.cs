using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Cognito.TestKit;

/// <summary>
/// A user pool for tests: its region, id, app client, an RSA key pair and its kid, and a fixed clock.
/// Mints Cognito-shaped tokens and Amplify cookie headers; the development pool and the benchmarks
/// reuse it.
/// </summary>
public sealed class TestPool
{
    /// <summary>2026-01-01T00:00:00Z: the "now" of every test unless a test says otherwise.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<RSA[]> SharedKeys = new(() => [.. TestKeys.Pem.Select(Import)]);

    /// <summary>The default pool: eu-west-1, kid "key-1", app client "testclient0123456789abcdef".</summary>
    public static TestPool Default { get; } = new("eu-west-1", "eu-west-1_TestPool1", "testclient0123456789abcdef", "key-1", SharedKeys.Value[0]);

    /// <summary>A second pool in the same region whose key has the same kid as <see cref="Default"/>'s.</summary>
    public static TestPool Other { get; } = new("eu-west-1", "eu-west-1_OtherPool2", "testclient0123456789abcdef", "key-1", SharedKeys.Value[1]);

    /// <summary>A spare 2048-bit key that no pool trusts (for forgeries).</summary>
    public static RSA StrangerKey => SharedKeys.Value[2];

    /// <summary>A second key of the default pool (rotation).</summary>
    public static RSA SecondKey => SharedKeys.Value[3];

    private static RSA Import(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    public TestPool(string region, string userPoolId, string clientId, string kid, RSA key)
    {
        Region = region;
        UserPoolId = userPoolId;
        ClientId = clientId;
        Kid = kid;
        Key = key;
    }

    public string Region { get; }

    public string UserPoolId { get; }

    public string ClientId { get; }

    public string Kid { get; }

    public RSA Key { get; }

    public UserPool Pool => new(Region, UserPoolId);

    public string Issuer => Pool.Issuer;

    /// <summary>pems.json text holding this pool's key (and any others given).</summary>
    public static string PemsJson(params TestPool[] pools)
    {
        var root = new JsonObject();
        foreach (var pool in pools)
        {
            var region = root[pool.Region] as JsonObject ?? (JsonObject)(root[pool.Region] = new JsonObject());
            var keys = region[pool.UserPoolId] as JsonObject ?? (JsonObject)(region[pool.UserPoolId] = new JsonObject());
            keys[pool.Kid] = pool.Key.ExportSubjectPublicKeyInfoPem() + "\n";
        }

        return root.ToJsonString();
    }

    /// <summary>The key set of this pool alone.</summary>
    public KeySet KeySet() => PemsFile.Parse(PemsJson(this)).Match(k => k, e => throw new InvalidOperationException(e.Message));

    /// <summary>A verifier for this pool at <see cref="Now"/> (or the given time).</summary>
    public CognitoAuth Auth(DateTimeOffset? now = null, TimeSpan? skew = null, KeySet? keys = null) =>
        new(CognitoOptions.For(Region, UserPoolId, ClientId, keys ?? KeySet()) with
        {
            TimeProvider = new FixedClock(now ?? Now),
            ClockSkew = skew ?? CognitoOptions.DefaultClockSkew,
        });

    /// <summary>The claims Cognito puts in an id token (hosted UI sign-in), valid for an hour from <see cref="Now"/>.</summary>
    public JsonObject IdClaims(string username = "jane.doe", string sub = "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", string[]? groups = null)
    {
        var now = Now.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["at_hash"] = "Ua9kcL0oBd2i1T1ZkLXpCg",
            ["sub"] = sub,
            ["email_verified"] = true,
            ["iss"] = Issuer,
            ["cognito:username"] = username,
            ["origin_jti"] = "b9f0c8a2-6c7e-4c0e-9a3e-2f1d0c9b8a7f",
            ["aud"] = ClientId,
            ["event_id"] = "0f6a3a7b-9e3c-4f4c-8a61-5b7c2d1e0f9a",
            ["token_use"] = "id",
            ["auth_time"] = now - 60,
            ["exp"] = now + 3600,
            ["iat"] = now - 60,
            ["jti"] = "1e2d3c4b-5a69-4788-9fab-cdef01234567",
            ["email"] = "jane.doe@example.com",
        };
        if (groups is not null)
        {
            claims["cognito:groups"] = new JsonArray(groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray());
        }

        return claims;
    }

    /// <summary>The claims Cognito puts in an access token, valid for an hour from <see cref="Now"/>.</summary>
    public JsonObject AccessClaims(string username = "jane.doe", string sub = "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", string[]? groups = null)
    {
        var now = Now.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["sub"] = sub,
            ["iss"] = Issuer,
            ["version"] = 2,
            ["client_id"] = ClientId,
            ["origin_jti"] = "b9f0c8a2-6c7e-4c0e-9a3e-2f1d0c9b8a7f",
            ["event_id"] = "0f6a3a7b-9e3c-4f4c-8a61-5b7c2d1e0f9a",
            ["token_use"] = "access",
            ["scope"] = "openid email",
            ["auth_time"] = now - 60,
            ["exp"] = now + 3600,
            ["iat"] = now - 60,
            ["jti"] = "7a6b5c4d-3e2f-4101-9a8b-7c6d5e4f3a2b",
            ["username"] = username,
        };
        if (groups is not null)
        {
            claims["cognito:groups"] = new JsonArray(groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray());
        }

        return claims;
    }

    /// <summary>The header Cognito writes: <c>{"kid":…,"alg":"RS256"}</c>.</summary>
    public JsonObject Header() => new() { ["kid"] = Kid, ["alg"] = "RS256" };

    /// <summary>A token with these claims, signed RS256 by this pool's key.</summary>
    public string Sign(JsonObject claims, JsonObject? header = null) =>
        Jws.Sign((header ?? Header()).ToJsonString(), claims.ToJsonString(), Key);

    public string IdToken(string username = "jane.doe", string[]? groups = null) => Sign(IdClaims(username, groups: groups));

    public string AccessToken(string username = "jane.doe", string[]? groups = null) => Sign(AccessClaims(username, groups: groups));

    /// <summary>A complete Amplify cookie header for a user, as js-cookie writes it.</summary>
    public string CookieHeader(string username = "jane.doe", string[]? groups = null) =>
        AmplifyCookies.Header(ClientId, username, IdToken(username, groups), AccessToken(username, groups), refreshToken: "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.refresh");
}
