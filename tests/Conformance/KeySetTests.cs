using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>docs/spec.md, "Key sets": pems.json and JWKS key sources, and their validation at load.</summary>
public sealed class KeySetTests
{
    private static readonly TestPool Pool = TestPool.Default;

    private static string JwksOf(RSA key, string kid, string kty = "RSA", string? alg = "RS256", string? use = "sig")
    {
        var p = key.ExportParameters(false);
        var jwk = new JsonObject { ["kty"] = kty, ["kid"] = kid, ["n"] = Jws.Base64Url(p.Modulus), ["e"] = Jws.Base64Url(p.Exponent) };
        if (alg is not null)
        {
            jwk["alg"] = alg;
        }

        if (use is not null)
        {
            jwk["use"] = use;
        }

        return new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
    }

    private static string LoadError(LanguageExt.Either<KeyLoadError, KeySet> result) =>
        result.Match(Right: _ => throw new Xunit.Sdk.XunitException("expected a load error"), Left: e => e.Message);

    [Fact]
    public void Key_documents_with_an_unpaired_surrogate_are_a_load_error_never_an_exception()
    {
        // Found while chasing a fuzz crash: JsonDocument cannot transcode an unpaired UTF-16 surrogate and
        // threw ArgumentException out of both loaders ("nothing throws on input"). Built here, not in
        // InlineData: a lone surrogate would not survive the test runner's serialization.
        string[] documents = ["\uD800", "{\"a\":\"\uDC00\"}", "{\"eu-west-1\":{\"eu-west-1_x\":{\"k\":\"\uD800\"}}}", "{\"keys\":[{\"kid\":\"x\uD83D\"}]}"];
        foreach (var document in documents)
        {
            Assert.Equal("pems.json is not valid JSON: it holds an unpaired UTF-16 surrogate", LoadError(PemsFile.Parse(document)));
            Assert.Equal($"JWKS of user pool {Pool.Pool.UserPoolId} (region {Pool.Pool.Region}) is not JSON: it holds an unpaired UTF-16 surrogate", LoadError(Jwks.Parse(Pool.Pool, document)));
        }

        // A paired surrogate is text like any other: the documents are read and refused for what they say.
        Assert.DoesNotContain("surrogate", LoadError(PemsFile.Parse("{\"a\uD83D\uDE00\":1}")), StringComparison.Ordinal);
        Assert.DoesNotContain("surrogate", LoadError(Jwks.Parse(Pool.Pool, "{\"keys\":[{\"kid\":\"\uD83D\uDE00\"}]}")), StringComparison.Ordinal);
    }

    [Fact]
    public void Pems_json_with_several_regions_and_pools_loads()
    {
        var us = new TestPool("us-east-1", "us-east-1_Prod", Pool.ClientId, "k", TestPool.SecondKey);
        var keys = Verdict.Accepted(PemsFile.Parse(TestPool.PemsJson(Pool, TestPool.Other, us)));
        Assert.Equal(3, keys.Keys.Count());
        var auth = new CognitoAuth(CognitoOptions.For("us-east-1", "us-east-1_Prod", Pool.ClientId, keys) with { TimeProvider = new FixedClock(TestPool.Now) });
        Verdict.Accepted(auth.FromCookieHeader(us.CookieHeader()));
    }

    [Fact]
    public void Pems_json_round_trips_through_Serialize_sorted_and_stable()
    {
        var json = TestPool.PemsJson(TestPool.Other, Pool);
        var keys = Verdict.Accepted(PemsFile.Parse(json));
        var written = PemsFile.Serialize(keys);
        Assert.Equal(written, PemsFile.Serialize(Verdict.Accepted(PemsFile.Parse(written))));
        Assert.True(written.IndexOf("eu-west-1_OtherPool2", StringComparison.Ordinal) < written.IndexOf("eu-west-1_TestPool1", StringComparison.Ordinal));
        Assert.Contains("-----BEGIN PUBLIC KEY-----\\n", written);
    }

    [Fact]
    public void A_key_under_2048_bits_is_refused_naming_region_pool_and_kid()
    {
        using var small = RSA.Create(1024);
        var json = new JsonObject { ["eu-west-1"] = new JsonObject { ["eu-west-1_Small"] = new JsonObject { ["weak-kid"] = small.ExportSubjectPublicKeyInfoPem() } } }.ToJsonString();
        var message = LoadError(PemsFile.Parse(json));
        Assert.Contains("weak-kid", message);
        Assert.Contains("eu-west-1_Small", message);
        Assert.Contains("eu-west-1", message);
        Assert.Contains("1024", message);
    }

    [Fact]
    public void A_non_RSA_key_in_pems_json_is_refused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var json = new JsonObject { ["eu-west-1"] = new JsonObject { ["eu-west-1_Ec"] = new JsonObject { ["ec-kid"] = ec.ExportSubjectPublicKeyInfoPem() } } }.ToJsonString();
        Assert.Contains("ec-kid", LoadError(PemsFile.Parse(json)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"eu-west-1\": 5}")]
    [InlineData("{\"eu-west-1\": {\"us-east-1_X\": {}}}")]
    [InlineData("{\"eu-west-1\": {\"eu-west-1_X\": {\"k\": 1}}}")]
    [InlineData("{\"eu-west-1\": {\"eu-west-1_X\": {\"k\": \"-----BEGIN PUBLIC KEY-----\\ngarbage\\n-----END PUBLIC KEY-----\"}}}")]
    [InlineData("{\"eu-west-1\": {\"eu-west-1_X\": {\"k\": \"hello\"}}}")]
    public void Broken_pems_json_is_a_load_error_never_an_exception(string? json) =>
        Assert.NotEmpty(LoadError(PemsFile.Parse(json)));

    [Fact]
    public void Loading_a_missing_file_says_how_to_create_it()
    {
        var e = Assert.Throws<KeySetException>(() => PemsFile.Load("/nonexistent/pems.json"));
        Assert.Contains("cognito pems", e.Message);
    }

    [Fact]
    public void A_JWKS_document_is_a_key_source_for_one_pool()
    {
        var keys = Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksOf(Pool.Key, Pool.Kid)));
        Verdict.Accepted(Pool.Auth(keys: keys).FromCookieHeader(Pool.CookieHeader()));
    }

    [Fact]
    public void A_JWKS_key_without_alg_and_use_is_accepted() =>
        Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksOf(Pool.Key, Pool.Kid, alg: null, use: null)));

    [Theory]
    [InlineData("EC", "RS256", "sig", "not an RSA key")]
    [InlineData("RSA", "RS512", "sig", "alg 'RS512'")]
    [InlineData("RSA", "RS256", "enc", "use 'enc'")]
    public void A_JWKS_key_that_Cognito_cannot_sign_with_is_refused(string kty, string alg, string use, string expected) =>
        Assert.Contains(expected, LoadError(Jwks.Parse(Pool.Pool, JwksOf(Pool.Key, "bad-kid", kty, alg, use))));

    [Fact]
    public void A_1024_bit_JWKS_key_is_refused()
    {
        using var small = RSA.Create(1024);
        var message = LoadError(Jwks.Parse(Pool.Pool, JwksOf(small, "small-kid")));
        Assert.Contains("small-kid", message);
        Assert.Contains("2048", message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>not found</html>")]
    [InlineData("{}")]
    [InlineData("{\"keys\":[]}")]
    [InlineData("{\"keys\":[1]}")]
    [InlineData("{\"keys\":[{\"kty\":\"RSA\"}]}")]
    [InlineData("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k\",\"n\":\"AQAB=\",\"e\":\"AQAB\"}]}")]
    public void Broken_JWKS_is_a_load_error_never_an_exception(string json) =>
        Assert.NotEmpty(LoadError(Jwks.Parse(Pool.Pool, json)));

    [Fact]
    public void A_JWKS_with_a_kid_twice_is_refused()
    {
        var doc = JsonNode.Parse(JwksOf(Pool.Key, "dup"))!;
        var keys = doc["keys"]!.AsArray();
        keys.Add(keys[0]!.DeepClone());
        Assert.Contains("twice", LoadError(Jwks.Parse(Pool.Pool, doc.ToJsonString())));
    }

    [Fact]
    public void A_configured_pool_without_keys_fails_at_start_up_with_the_command_to_fix_it()
    {
        var e = Assert.Throws<KeySetException>(() => new CognitoAuth(CognitoOptions.For("eu-west-1", "eu-west-1_NoKeys", Pool.ClientId, Pool.KeySet())));
        Assert.Equal("The key set has no keys for user pool eu-west-1_NoKeys (region eu-west-1). Run `cognito pems --region eu-west-1 --user-pool-id eu-west-1_NoKeys` to add them to pems.json.", e.Message);
    }

    [Theory]
    [InlineData("eu-west-1", "us-east-1_Abc")]
    [InlineData("eu-west-1", "")]
    [InlineData("", "eu-west-1_Abc")]
    [InlineData("eu-west-1", "eu-west-1_")]
    [InlineData("eu-west-1", "eu-west-1_A/b")]
    public void A_pool_id_outside_its_region_is_a_configuration_error(string region, string poolId) =>
        Assert.Throws<ArgumentException>(() => new UserPool(region, poolId));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public void A_client_id_that_cannot_name_a_cookie_is_a_configuration_error(string clientId) =>
        Assert.Throws<ArgumentException>(() => new CognitoAuth(CognitoOptions.For(Pool.Region, Pool.UserPoolId, clientId, Pool.KeySet())));

    [Fact]
    public void A_clock_skew_over_five_minutes_is_a_configuration_error() =>
        Assert.Throws<ArgumentException>(() => Pool.Auth(skew: TimeSpan.FromMinutes(10)));
}
