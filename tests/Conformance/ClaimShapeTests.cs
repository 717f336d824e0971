using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>
/// docs/spec.md, "Claims", the claim types: every claim the verifier reads has one JSON type, and a token
/// that gives it another (or leaves out a required one) is malformed with a message naming the token
/// and the claim.
/// </summary>
public sealed class ClaimShapeTests
{
    private static readonly TestPool Pool = TestPool.Default;

    private static AuthError Refuse(bool id, Action<JsonObject> change)
    {
        var claims = id ? Pool.IdClaims() : Pool.AccessClaims();
        change(claims);
        var token = Pool.Sign(claims);
        return Verdict.Refused(id ? Pool.Auth().FromTokens(token, Pool.AccessToken()) : Pool.Auth().FromTokens(Pool.IdToken(), token), "malformed");
    }

    [Theory]
    [InlineData(true, "sub")]
    [InlineData(true, "aud")]
    [InlineData(true, "cognito:username")]
    [InlineData(true, "exp")]
    [InlineData(true, "iat")]
    [InlineData(false, "sub")]
    [InlineData(false, "client_id")]
    [InlineData(false, "exp")]
    [InlineData(false, "iat")]
    public void A_required_claim_left_out_is_named(bool id, string claim) =>
        Assert.Equal($"{(id ? "id" : "access")} token claim '{claim}' is missing", Refuse(id, c => c.Remove(claim)).Message);

    [Theory]
    [InlineData(true, "sub")]
    [InlineData(true, "aud")]
    [InlineData(true, "cognito:username")]
    [InlineData(true, "client_id")]
    [InlineData(true, "username")]
    [InlineData(true, "scope")]
    [InlineData(false, "sub")]
    [InlineData(false, "aud")]
    [InlineData(false, "cognito:username")]
    [InlineData(false, "client_id")]
    [InlineData(false, "username")]
    [InlineData(false, "scope")]
    public void A_text_claim_that_is_not_a_string_is_named(bool id, string claim) =>
        Assert.Equal($"{(id ? "id" : "access")} token claim '{claim}' must be a string", Refuse(id, c => c[claim] = 1).Message);

    [Theory]
    [InlineData(true, "exp")]
    [InlineData(true, "iat")]
    [InlineData(true, "nbf")]
    [InlineData(true, "auth_time")]
    [InlineData(false, "exp")]
    [InlineData(false, "iat")]
    [InlineData(false, "nbf")]
    [InlineData(false, "auth_time")]
    public void A_date_claim_that_is_not_a_NumericDate_is_named(bool id, string claim)
    {
        var expected = $"{(id ? "id" : "access")} token claim '{claim}' must be a NumericDate: a number of seconds between 1970 and 9999";
        Assert.Equal(expected, Refuse(id, c => c[claim] = "1767225600").Message);
        Assert.Equal(expected, Refuse(id, c => c[claim] = -1).Message);
        Assert.Equal(expected, Refuse(id, c => c[claim] = 253402300800).Message);
    }

    [Theory]
    [InlineData("18446744075409551616")] // 2^64 + 1,700,000,000: a reader that wraps at 64 bits would see a date in 2023
    [InlineData("9999999999999999")] // 16 digits: past 9999
    [InlineData("1700000000.5e30")]
    public void A_NumericDate_too_large_for_any_date_is_not_read_as_a_smaller_one(string number)
    {
        var claims = Pool.IdClaims().ToJsonString().Replace("\"auth_time\":", $"\"auth_time\":{number},\"x\":", StringComparison.Ordinal);
        var token = Jws.Sign(Pool.Header().ToJsonString(), claims, Pool.Key);
        Assert.Equal(
            "id token claim 'auth_time' must be a NumericDate: a number of seconds between 1970 and 9999",
            Verdict.Refused(Pool.Auth().FromTokens(token, Pool.AccessToken()), "malformed").Message);
    }

    [Theory]
    [InlineData("1767225600", 1767225600)]
    [InlineData("253402300799", 253402300799)] // the last second of 9999
    [InlineData("1767225600.9", 1767225600)]
    [InlineData("17672256e2", 1767225600)]
    public void A_NumericDate_is_read_exactly_in_any_JSON_spelling(string number, long seconds)
    {
        var claims = Pool.IdClaims().ToJsonString().Replace("\"auth_time\":", $"\"auth_time\":{number},\"x\":", StringComparison.Ordinal);
        var token = Jws.Sign(Pool.Header().ToJsonString(), claims, Pool.Key);
        var tokens = Verdict.Accepted(Pool.Auth().FromTokens(token, Pool.AccessToken()));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds), tokens.Id.AuthTime);
    }

    [Fact]
    public void A_claim_before_the_dates_keeps_its_own_value()
    {
        // jti first, then the dates: reading a date must not write over the claim read before it.
        var claims = new JsonObject { ["jti"] = "a1b2c3d4-jti" };
        foreach (var (name, value) in Pool.AccessClaims())
        {
            if (name != "jti")
            {
                claims[name] = value?.DeepClone();
            }
        }

        var access = Verdict.Accepted(Pool.Auth().VerifyAccessToken(Pool.Sign(claims)));
        Assert.Equal("a1b2c3d4-jti", access.Jti);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Groups_must_be_an_array_of_strings(bool id)
    {
        var expected = $"{(id ? "id" : "access")} token claim 'cognito:groups' must be an array of strings";
        Assert.Equal(expected, Refuse(id, c => c["cognito:groups"] = new JsonArray("admin", 1)).Message);
        Assert.Equal(expected, Refuse(id, c => c["cognito:groups"] = "admin").Message);
        Assert.Equal(expected, Refuse(id, c => c["cognito:groups"] = new JsonArray(new JsonArray("admin"))).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(253402300799)]
    public void NumericDates_at_the_ends_of_the_range_are_dates(long seconds)
    {
        var claims = Pool.IdClaims();
        claims["auth_time"] = seconds;
        Verdict.Accepted(Pool.Auth().FromTokens(Pool.Sign(claims), Pool.AccessToken()));
    }

    [Fact]
    public void A_wrong_client_names_the_claim_of_each_token()
    {
        var id = Pool.IdClaims();
        id["aud"] = "someoneelse";
        Assert.Equal($"id token aud is 'someoneelse', expected app client '{Pool.ClientId}'", Verdict.Refused(Pool.Auth().FromTokens(Pool.Sign(id), Pool.AccessToken()), "wrong-client").Message);
        var access = Pool.AccessClaims();
        access["client_id"] = "someoneelse";
        Assert.Equal($"access token client_id is 'someoneelse', expected app client '{Pool.ClientId}'", Verdict.Refused(Pool.Auth().FromTokens(Pool.IdToken(), Pool.Sign(access)), "wrong-client").Message);
    }

    [Fact]
    public void A_wrong_token_use_names_what_was_expected()
    {
        var auth = Pool.Auth();
        Assert.Equal("id token token_use is 'access', expected 'id'", Verdict.Refused(auth.FromTokens(Pool.AccessToken(), Pool.AccessToken()), "wrong-token-use").Message);
        Assert.Equal("access token token_use is 'id', expected 'access'", Verdict.Refused(auth.FromTokens(Pool.IdToken(), Pool.IdToken()), "wrong-token-use").Message);
    }

    [Fact]
    public void Times_in_the_future_say_how_far_and_against_which_skew()
    {
        var now = TestPool.Now.ToUnixTimeSeconds();
        var id = Pool.IdClaims();
        id["nbf"] = now + 100;
        Assert.Equal($"id token is not valid for another 100 s (nbf {now + 100}, clock skew 60 s)", Verdict.Refused(Pool.Auth().FromTokens(Pool.Sign(id), Pool.AccessToken()), "not-yet-valid").Message);
        var access = Pool.AccessClaims();
        access["iat"] = now + 90;
        Assert.Equal($"access token was issued 90 s in the future (iat {now + 90}, clock skew 60 s)", Verdict.Refused(Pool.Auth().FromTokens(Pool.IdToken(), Pool.Sign(access)), "issued-in-future").Message);
    }

    [Theory]
    [InlineData(64, false)]
    [InlineData(65, true)]
    public void Claim_values_in_messages_are_cut_at_64_characters(int length, bool cut)
    {
        var aud = new string('a', length);
        var id = Pool.IdClaims();
        id["aud"] = aud;
        var shown = cut ? new string('a', 64) + "…" : aud;
        Assert.Equal($"id token aud is '{shown}', expected app client '{Pool.ClientId}'", Verdict.Refused(Pool.Auth().FromTokens(Pool.Sign(id), Pool.AccessToken()), "wrong-client").Message);
    }

    [Fact]
    public void The_first_broken_claim_in_a_fixed_order_is_named()
    {
        // Each claim broken together with every claim after it: the earlier one is named.
        string[] idOrder = ["sub", "aud", "cognito:username", "client_id", "username", "scope", "exp", "iat", "nbf", "auth_time", "cognito:groups"];
        for (var i = 0; i < idOrder.Length; i++)
        {
            var claims = Pool.IdClaims();
            foreach (var claim in idOrder[i..])
            {
                claims[claim] = new JsonObject();
            }

            var error = Verdict.Refused(Pool.Auth().FromTokens(Pool.Sign(claims), Pool.AccessToken()), "malformed");
            Assert.StartsWith($"id token claim '{idOrder[i]}' ", error.Message, StringComparison.Ordinal);
        }
    }
}
