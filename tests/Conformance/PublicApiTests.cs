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
    public void The_codes_are_the_spec_codes_in_stage_order()
    {
        Assert.Equal(
            ["no-session", "too-large", "malformed", "unsupported-alg", "unknown-issuer", "unknown-key", "bad-signature", "wrong-token-use", "wrong-client", "expired", "not-yet-valid", "issued-in-future", "mismatched-tokens", "signed-out"],
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
        Assert.StartsWith("The username contains a lone surrogate.", Assert.Throws<ArgumentException>("username", () => AmplifyCookieNames.EncodeUsername("a\ud800b")).Message, StringComparison.Ordinal);
        Assert.StartsWith("The value contains a lone surrogate.", Assert.Throws<ArgumentException>("value", () => AmplifyCookieNames.EncodeValue("a\udc00")).Message, StringComparison.Ordinal);
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
    public void The_refresh_token_is_read_from_the_session_cookies_without_being_verified()
    {
        var auth = Pool.Auth();
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", "not.a.token", "x", "the-refresh-token");
        Assert.Equal("the-refresh-token", auth.ReadRefreshToken(header));
        Assert.Equal("the-refresh-token", auth.ReadRefreshToken(header.PadRight(auth.Options.MaxCookieHeaderLength, ' ')));
        Assert.Null(auth.ReadRefreshToken(header.PadRight(auth.Options.MaxCookieHeaderLength + 1, ' ')));
        Assert.Null(auth.ReadRefreshToken(AmplifyCookies.Header(Pool.ClientId, "jane.doe", "not.a.token", "x")));
        Assert.Null(auth.ReadRefreshToken(AmplifyCookies.Header("otherclient", "jane.doe", "not.a.token", "x", "the-refresh-token")));
        Assert.Null(auth.ReadRefreshToken(""));
        Assert.Null(auth.ReadRefreshToken(null));
    }

    [Theory]
    [InlineData(3600, 7200, 3600)]
    [InlineData(7200, 3600, 3600)]
    public void A_session_summary_names_the_user_and_the_earlier_expiry_and_no_token(int idLifetime, int accessLifetime, int expected)
    {
        var id = Pool.IdClaims(groups: ["admin", "staff"]);
        id["exp"] = TestPool.Now.ToUnixTimeSeconds() + idLifetime;
        var access = Pool.AccessClaims(groups: ["admin", "staff"]);
        access["exp"] = TestPool.Now.ToUnixTimeSeconds() + accessLifetime;
        var tokens = Verdict.Accepted(Pool.Auth().FromTokens(Pool.Sign(id), Pool.Sign(access)));

        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            tokens.WriteSummary(writer);
            writer.WriteEndObject();
        }

        var json = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        Assert.Equal($"{{\"username\":\"jane.doe\",\"sub\":\"5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f\",\"groups\":[\"admin\",\"staff\"],\"expiresAt\":{TestPool.Now.ToUnixTimeSeconds() + expected}}}", json);
        Assert.Equal(TestPool.Now.AddSeconds(expected), tokens.ExpiresAt);
        Assert.DoesNotContain(tokens.IdToken, tokens.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => tokens.WriteSummary(null!));
    }

    [Fact]
    public void Load_errors_and_key_set_exceptions_carry_their_message()
    {
        Assert.Equal("pems.json: bad", new KeyLoadError("pems.json: bad").ToString());
        Assert.Equal("fix it", new KeySetException("fix it").Message);
        var cause = new InvalidOperationException();
        Assert.Same(cause, new KeySetException("fix it", cause).InnerException);
        Assert.NotNull(new KeySetException().Message);
    }

    [Theory]
    [InlineData("{\"eu-west-1\":{\"eu-west-1_TestPool1\":[\"pem\"]}}", "pems.json: user pool eu-west-1_TestPool1 (region eu-west-1) must map kids to PEM strings")]
    [InlineData("{\"eu-west-1\":{\"eu-west-1_TestPool1\":\"pem\"}}", "pems.json: user pool eu-west-1_TestPool1 (region eu-west-1) must map kids to PEM strings")]
    [InlineData("{\"eu-west-1\":[]}", "pems.json: region 'eu-west-1' must map user pool ids to key objects")]
    [InlineData("{\"eu-west-1\":{\"us-east-1_TestPool1\":{}}}", "pems.json: 'us-east-1_TestPool1' under region 'eu-west-1' is not a user pool id of that region (eu-west-1_…)")]
    public void A_pems_file_of_the_wrong_shape_says_where(string json, string message) =>
        Assert.Equal(message, PemsFile.Parse(json).Match(Right: _ => "", Left: e => e.Message));

    [Fact]
    public void A_username_longer_than_the_stack_buffers_is_found()
    {
        var username = string.Concat(Enumerable.Repeat("é(x)", 300));
        var tokens = Verdict.Accepted(Pool.Auth().FromCookieHeader(Pool.CookieHeader(username)));
        Assert.Equal(username, tokens.Username);
        var withoutParentheses = AmplifyCookies.Header(Pool.ClientId, username, Pool.IdToken(username), Pool.AccessToken(username), encodeParentheses: false);
        Assert.Equal(username, Verdict.Accepted(Pool.Auth().FromCookieHeader(withoutParentheses)).Username);
    }

    [Fact]
    public void A_last_user_cookie_with_a_lone_surrogate_is_no_session()
    {
        var header = Pool.CookieHeader().Replace("LastAuthUser=jane.doe", "LastAuthUser=jane\ud800doe", StringComparison.Ordinal);
        Verdict.Refused(Pool.Auth().FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void Escaped_issuer_and_token_use_are_compared_after_unescaping()
    {
        var json = Pool.IdClaims().ToJsonString()
            .Replace("\"token_use\":\"id\"", "\"token_use\":\"\\u0069d\"", StringComparison.Ordinal)
            .Replace("\"iss\":\"https:", "\"iss\":\"\\u0068ttps:", StringComparison.Ordinal);
        Assert.Contains("\\u0069d", json, StringComparison.Ordinal);
        Assert.Contains("\\u0068ttps", json, StringComparison.Ordinal);
        var token = Jws.Sign(Pool.Header().ToJsonString(), json, Pool.Key);
        Verdict.Accepted(Pool.Auth().FromTokens(token, Pool.AccessToken()));
        var wrongUse = Jws.Sign(Pool.Header().ToJsonString(), json.Replace("\\u0069d", "\\u0069x", StringComparison.Ordinal), Pool.Key);
        Verdict.Refused(Pool.Auth().FromTokens(wrongUse, Pool.AccessToken()), "wrong-token-use");
    }

    [Fact]
    public void Optional_claims_that_are_absent_or_not_strings_read_as_null()
    {
        var id = Pool.IdClaims();
        id.Remove("auth_time");
        id.Remove("nbf");
        id["email"] = 42;
        var access = Pool.AccessClaims();
        access.Remove("auth_time");
        access["jti"] = 7;
        var tokens = Verdict.Accepted(Pool.Auth().FromTokens(Pool.Sign(id), Pool.Sign(access)));
        Assert.Null(tokens.Id.AuthTime);
        Assert.Null(tokens.Id.NotBefore);
        Assert.Null(tokens.Id.Email);
        Assert.Null(tokens.Access.AuthTime);
        Assert.Null(tokens.Access.Jti);

        var present = Verdict.Accepted(Pool.Auth().FromTokens(Pool.IdToken(), Pool.AccessToken()));
        Assert.NotNull(present.Id.AuthTime);
        Assert.NotNull(present.Id.Email);
        Assert.NotNull(present.Access.Jti);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "Process environment";
}
