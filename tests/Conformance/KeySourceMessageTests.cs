using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>
/// docs/spec.md, "Key sets": the key sources word for word: every load error of a JWKS document and of pems.json says
/// which source, which key and what is wrong (an operator reads them at start-up), and pems.json is
/// written in one exact, stable form.
/// </summary>
public sealed class KeySourceMessageTests
{
    private static readonly TestPool Pool = TestPool.Default;
    private const string Source = "JWKS of user pool eu-west-1_TestPool1 (region eu-west-1)";

    private static string LoadError(LanguageExt.Either<KeyLoadError, KeySet> result) =>
        result.Match(Right: _ => throw new Xunit.Sdk.XunitException("expected a load error"), Left: e => e.Message);

    private static JsonObject Jwk(string kid = "k1", RSA? key = null)
    {
        var p = (key ?? Pool.Key).ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["n"] = Jws.Base64Url(p.Modulus), ["e"] = Jws.Base64Url(p.Exponent) };
    }

    private static string Jwks(params JsonNode?[] keys) => new JsonObject { ["keys"] = new JsonArray(keys) }.ToJsonString();

    public static TheoryData<string, string> JwksErrors()
    {
        var noKty = Jwk();
        noKty.Remove("kty");
        var ecKty = Jwk();
        ecKty["kty"] = "EC";
        var numberKty = Jwk();
        numberKty["kty"] = 1;
        return new()
        {
            { " ", $"{Source} is empty" },
            { "<html>", $"{Source} is not JSON: is the address a JWKS endpoint?" },
            { "{\"keys\":[[[[[[[[[1]]]]]]]]]}", $"{Source} is not JSON: is the address a JWKS endpoint?" },
            { "[]", $"{Source} is not a JWKS document (expected {{\"keys\": [...]}})" },
            { "{\"keys\":{}}", $"{Source} is not a JWKS document (expected {{\"keys\": [...]}})" },
            { "{\"keys\":[]}", $"{Source} has no keys" },
            { Jwks(Jwk(), 5), $"{Source}: key #1 is not an object" },
            { Jwks(Jwk(), Jwk("k2"), new JsonObject { ["kty"] = "RSA" }), $"{Source}: key #2 has no kid" },
            { Jwks(noKty), $"{Source}: key 'k1' is not an RSA key (kty missing or not a string); Cognito signs with RSA only" },
            { Jwks(ecKty), $"{Source}: key 'k1' is not an RSA key (kty 'EC'); Cognito signs with RSA only" },
            { Jwks(numberKty), $"{Source}: key 'k1' is not an RSA key (kty missing or not a string); Cognito signs with RSA only" },
            { Jwks(Jwk(), Jwk()), $"{Source} has the kid 'k1' twice" },
        };
    }

    [Theory]
    [MemberData(nameof(JwksErrors))]
    public void JWKS_load_errors_say_which_source_key_and_problem(string json, string expected) =>
        Assert.Equal(expected, LoadError(Cognito.Jwks.Parse(Pool.Pool, json)));

    [Fact]
    public void A_modulus_of_zero_bytes_only_is_a_load_error_not_an_exception()
    {
        var key = Jwk();
        key["n"] = "AAAA";
        Assert.StartsWith($"{Source}: key 'k1' is not a usable RSA key (", LoadError(Cognito.Jwks.Parse(Pool.Pool, Jwks(key))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_JWKS_nested_to_the_depth_limit_loads()
    {
        var key = Jwk();
        key["x5c"] = JsonNode.Parse("[[[[[\"a\"]]]]]"); // depth 8: the document, keys, the key, five arrays
        Assert.Single(Verdict.Accepted(Cognito.Jwks.Parse(Pool.Pool, Jwks(key))).Keys);
    }

    public static TheoryData<string, string> PemsErrors() => new()
    {
        { "{\n  \"eu-west-1\": {\n    oops", "pems.json is not valid JSON (line 3): expected { region: { userPoolId: { kid: PEM } } }" },
        { "{\"a\":[[[[[[[[1]]]]]]]]}", "pems.json is not valid JSON (line 1): expected { region: { userPoolId: { kid: PEM } } }" },
        { "{\"eu-west-1\": {\"eu-west-1_X\": {\"k\": \"hello\"}}}", "pems.json: key 'k' of user pool eu-west-1_X (region eu-west-1) is not a public key PEM (-----BEGIN PUBLIC KEY-----)" },
        { "{\"eu-west-1\": {\"eu-west-1_X\": {\"k\": 1}}}", "pems.json: key 'k' of user pool eu-west-1_X (region eu-west-1) must be a PEM string" },
    };

    [Theory]
    [MemberData(nameof(PemsErrors))]
    public void Pems_json_load_errors_say_where_and_what(string json, string expected) =>
        Assert.Equal(expected, LoadError(PemsFile.Parse(json)));

    [Fact]
    public void A_PKCS1_RSA_PUBLIC_KEY_pem_loads_too()
    {
        var json = new JsonObject { ["eu-west-1"] = new JsonObject { ["eu-west-1_X"] = new JsonObject { ["k"] = Pool.Key.ExportRSAPublicKeyPem() } } }.ToJsonString();
        Assert.Single(Verdict.Accepted(PemsFile.Parse(json)).Keys);
    }

    [Fact]
    public void Pems_json_is_written_sorted_indented_unescaped_with_a_final_newline()
    {
        var a = new TestPool("us-east-1", "us-east-1_B", Pool.ClientId, "z-kid", TestPool.SecondKey);
        var b = new TestPool("eu-west-1", "eu-west-1_A", Pool.ClientId, "b+kid", Pool.Key);
        var c = new TestPool("eu-west-1", "eu-west-1_A", Pool.ClientId, "a/kid", TestPool.StrangerKey);
        var keys = Verdict.Accepted(PemsFile.Parse(TestPool.PemsJson(a, b, c)));
        static string Pem(RSA key) => key.ExportSubjectPublicKeyInfoPem().ReplaceLineEndings("\n").Replace("\n", "\\n", StringComparison.Ordinal) + "\\n";
        var expected =
            "{\n" +
            "  \"eu-west-1\": {\n" +
            "    \"eu-west-1_A\": {\n" +
            $"      \"a/kid\": \"{Pem(TestPool.StrangerKey)}\",\n" +
            $"      \"b+kid\": \"{Pem(Pool.Key)}\"\n" +
            "    }\n" +
            "  },\n" +
            "  \"us-east-1\": {\n" +
            "    \"us-east-1_B\": {\n" +
            $"      \"z-kid\": \"{Pem(TestPool.SecondKey)}\"\n" +
            "    }\n" +
            "  }\n" +
            "}\n";
        Assert.Equal(expected, PemsFile.Serialize(keys));
    }

    [Fact]
    public void Keys_are_listed_by_issuer_then_kid()
    {
        var json = Jwks(Jwk("k3", TestPool.SecondKey), Jwk("k1"), Jwk("k2", TestPool.StrangerKey));
        var keys = Verdict.Accepted(Cognito.Jwks.Parse(Pool.Pool, json));
        Assert.Equal(["k1", "k2", "k3"], keys.KeysOf(Pool.Pool).Select(k => k.Kid));
        var both = keys.Merge(Verdict.Accepted(Cognito.Jwks.Parse(TestPool.Other.Pool, Jwks(Jwk("k0")))));
        Assert.Equal(["k0", "k1", "k2", "k3"], both.Keys.Select(k => k.Kid)); // eu-west-1_OtherPool2 sorts before eu-west-1_TestPool1
    }

    [Fact]
    public void A_pool_id_of_another_region_says_what_pool_ids_look_like() =>
        Assert.Equal(
            "The user pool id 'us-east-1_Abc' does not belong to region 'eu-west-1': Cognito pool ids are '{region}_{name}', e.g. eu-west-1_AbC123. (Parameter 'userPoolId')",
            Assert.Throws<ArgumentException>("userPoolId", () => new UserPool("eu-west-1", "us-east-1_Abc")).Message);
}
