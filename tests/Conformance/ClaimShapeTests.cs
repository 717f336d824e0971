using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>
/// SPEC §2 stage 6, the claim types: every claim the verifier reads has one JSON type, and a token
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
    [InlineData(false, "username")]
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
}
