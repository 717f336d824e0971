namespace Cognito.Conformance;

/// <summary>
/// The small public surface around the pipeline: factories, names, codes, descriptions. Alone in its
/// collection: one test sets the seed's environment variables, which the demo server would read.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public sealed class PublicApiTests
{
    private static readonly TestPool Pool = TestPool.Default;

    [Fact]
    public void The_codes_are_the_SPEC_codes_in_stage_order()
    {
        Assert.Equal(
            ["no-session", "too-large", "malformed", "unsupported-alg", "unknown-issuer", "unknown-key", "bad-signature", "wrong-token-use", "wrong-client", "expired", "not-yet-valid", "issued-in-future", "mismatched-tokens"],
            AuthError.Codes);
        Assert.Throws<ArgumentOutOfRangeException>(() => AuthError.CodeOf((AuthFailure)99));
        Assert.Equal("expired: id token expired", new AuthError(AuthFailure.Expired, TokenSlot.Id, "id token expired").ToString());
    }

    [Fact]
    public void The_seed_environment_variables_build_a_verifier()
    {
        Environment.SetEnvironmentVariable("USER_POOL_REGION", Pool.Region);
        Environment.SetEnvironmentVariable("USER_POOL_ID", Pool.UserPoolId);
        Environment.SetEnvironmentVariable("USER_POOL_CLIENT_ID", Pool.ClientId);
        try
        {
            var auth = CognitoAuth.FromEnvironment(Pool.KeySet(), new FixedClock(TestPool.Now));
            Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader()));
            Environment.SetEnvironmentVariable("USER_POOL_CLIENT_ID", null);
            var e = Assert.Throws<ArgumentException>(() => CognitoAuth.FromEnvironment(Pool.KeySet()));
            Assert.Contains("USER_POOL_CLIENT_ID", e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("USER_POOL_REGION", null);
            Environment.SetEnvironmentVariable("USER_POOL_ID", null);
            Environment.SetEnvironmentVariable("USER_POOL_CLIENT_ID", null);
        }
    }

    [Fact]
    public void Amplify_cookie_names_for_a_client_and_user()
    {
        Assert.Equal("CognitoIdentityServiceProvider.abc.LastAuthUser", AmplifyCookieNames.LastAuthUser("abc"));
        Assert.Equal("CognitoIdentityServiceProvider.abc.jane%40example.com.idToken", AmplifyCookieNames.TokenCookie("abc", "jane@example.com", "idToken"));
        Assert.Throws<ArgumentException>(() => AmplifyCookieNames.EncodeUsername("a\ud800b"));
        Assert.Throws<ArgumentException>(() => AmplifyCookieNames.EncodeValue("a\udc00"));
        Assert.Equal("jane@example.com", AmplifyCookieNames.EncodeValue("jane@example.com"));
        Assert.Equal("a%20b%3B", AmplifyCookieNames.EncodeValue("a b;"));
    }

    [Fact]
    public void A_user_pool_knows_its_issuer_and_JWKS_address()
    {
        var pool = new UserPool("eu-west-1", "eu-west-1_AbC123");
        Assert.Equal("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123", pool.Issuer);
        Assert.Equal(new Uri("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json"), pool.JwksUri);
        Assert.Equal("eu-west-1_AbC123", pool.ToString());
        Assert.Equal(pool, new UserPool("eu-west-1", "eu-west-1_AbC123"));
        Assert.False(UserPool.IsPoolIdOf("EU-west-1", "EU-west-1_Abc"));
    }

    [Fact]
    public void A_key_set_lists_its_pools_and_keys()
    {
        var keys = Pool.KeySet().Merge(TestPool.Other.KeySet());
        Assert.Equal(2, keys.Pools.Count());
        Assert.Equal(2, keys.Keys.Count());
        Assert.Empty(keys.KeysOf(new UserPool("us-east-1", "us-east-1_None")));
        Assert.Empty(KeySet.Empty.Keys);
        var key = keys.KeysOf(Pool.Pool)[0];
        Assert.Equal(2048, key.KeySizeInBits);
        Assert.Equal(Pool.Kid, key.Kid);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", key.ToPem());
        Assert.EndsWith("-----END PUBLIC KEY-----\n", key.ToPem());
    }

    [Fact]
    public void A_pems_file_loads_from_disk()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cognito-pems-load-").FullName, "pems.json");
        File.WriteAllText(path, TestPool.PemsJson(Pool));
        Assert.Single(PemsFile.Load(path).Keys);
        File.WriteAllText(path, "{ broken");
        Assert.Contains(path, Assert.Throws<KeySetException>(() => PemsFile.Load(path)).Message);
    }

    [Fact]
    public void Claims_read_any_claim_by_name_and_type()
    {
        var tokens = Verdict.Accepted(Pool.Auth().FromCookieHeader(Pool.CookieHeader()));
        Assert.Equal("jane.doe@example.com", tokens.Id.GetString("email"));
        Assert.Null(tokens.Id.GetString("exp")); // a number, not a string
        Assert.Null(tokens.Id.GetString("nope"));
        Assert.Null(tokens.Id.NotBefore);
        Assert.Equal(tokens.Id.ExpiresAt, tokens.ExpiresAt);
        Assert.Equal(Pool.Issuer, tokens.Access.Issuer);
        Assert.Equal(Pool.Pool, tokens.Access.Pool);
        Assert.Equal(TestPool.Now.AddSeconds(-60), tokens.Access.AuthTime);
        Assert.Equal(TestPool.Now.AddSeconds(-60), tokens.Access.IssuedAt);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", true)]
    [InlineData("\"false\"", false)]
    [InlineData("\"yes\"", null)]
    [InlineData("1", null)]
    public void Email_verified_is_read_as_Cognito_sends_it(string json, bool? expected)
    {
        var claims = Pool.IdClaims();
        claims["email_verified"] = System.Text.Json.Nodes.JsonNode.Parse(json);
        var tokens = Verdict.Accepted(Pool.Auth().FromTokens(Pool.Sign(claims), Pool.AccessToken()));
        Assert.Equal(expected, tokens.Id.EmailVerified);
    }

    [Fact]
    public void Nbf_and_escaped_strings_are_read()
    {
        var claims = Pool.IdClaims();
        claims["nbf"] = TestPool.Now.ToUnixTimeSeconds() - 10;
        var json = claims.ToJsonString().Replace("\"jane.doe@example.com\"", "\"jane.doe\\u0040example.com\"", StringComparison.Ordinal);
        var tokens = Verdict.Accepted(Pool.Auth().FromTokens(Jws.Sign(Pool.Header().ToJsonString(), json, Pool.Key), Pool.AccessToken()));
        Assert.Equal(TestPool.Now.AddSeconds(-10), tokens.Id.NotBefore);
        Assert.Equal("jane.doe@example.com", tokens.Id.Email);
    }

    [Fact]
    public void Configuration_errors_say_what_to_fix()
    {
        var options = Pool.Auth().Options;
        Assert.Throws<ArgumentException>(() => new CognitoAuth(options with { UserPools = [] }));
        Assert.Throws<ArgumentException>(() => new CognitoAuth(options with { ClockSkew = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentException>(() => new CognitoAuth(options with { MaxTokenLength = 0 }));
        Assert.Throws<ArgumentException>(() => new CognitoAuth(options with { MaxCookieHeaderLength = 100, MaxTokenLength = 200 }));
        Assert.Throws<ArgumentException>(() => new CognitoAuth(options with { SessionCacheSize = -1 }));
        Assert.Throws<ArgumentException>(() => new CognitoAuth(options with { Keys = null }));
        Assert.NotNull(new CognitoAuth(options with { ClockSkew = TimeSpan.FromMinutes(5), MaxCookieHeaderLength = 200, MaxTokenLength = 200 }));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "Process environment";
}
