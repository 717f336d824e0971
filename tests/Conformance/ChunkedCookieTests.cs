namespace Cognito.Conformance;

/// <summary>
/// Token cookies in ASP.NET Core's chunked-cookie format (<c>name=chunks-N</c>, <c>nameC1</c> …
/// <c>nameCN</c>, as <c>ChunkingCookieManager</c> writes them), which the adapter uses for a token too
/// large for one browser cookie: reassembled under the same rules as whole cookies — first occurrence
/// wins, the size limits hold, and a missing part is no session, never a partial token.
/// </summary>
public sealed class ChunkedCookieTests
{
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly string Key = $"CognitoIdentityServiceProvider.{Pool.ClientId}.jane.doe";
    private static readonly string[] ManyGroups = Enumerable.Range(1, 120).Select(i => $"a-group-with-a-rather-long-name-{i:000}").ToArray();

    private static string Header(string idCookies, string? access = null, string? refreshCookies = null) =>
        $"CognitoIdentityServiceProvider.{Pool.ClientId}.LastAuthUser=jane.doe; {idCookies}; {Key}.accessToken={access ?? Pool.AccessToken()}"
        + (refreshCookies is null ? "" : "; " + refreshCookies);

    private static List<string> Split(string value, int parts)
    {
        var size = (value.Length + parts - 1) / parts;
        return Enumerable.Range(0, parts).Select(i => value.Substring(i * size, Math.Min(size, value.Length - (i * size)))).ToList();
    }

    private static string Chunked(string slot, string value, int parts, Func<int, bool>? keep = null) =>
        string.Join("; ", Split(value, parts).Select((part, i) => (part, i)).Where(p => keep?.Invoke(p.i + 1) ?? true).Select(p => $"{Key}.{slot}C{p.i + 1}={p.part}")
            .Prepend($"{Key}.{slot}=chunks-{parts}"));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    public void A_chunked_id_token_is_reassembled_and_verifies_like_the_whole_cookie(int parts)
    {
        var idToken = Pool.IdToken(groups: ManyGroups);
        var tokens = Verdict.Accepted(Pool.Auth().FromCookieHeader(Header(Chunked("idToken", idToken, parts))));

        Assert.Equal(idToken, tokens.IdToken);
        Assert.Equal(120, tokens.Groups.Count);
    }

    [Fact]
    public void The_parts_may_come_in_any_order_among_other_cookies_and_parts_past_the_count_are_ignored()
    {
        var idToken = Pool.IdToken(groups: ManyGroups);
        var parts = Split(idToken, 3);
        var header = $"{Key}.idTokenC3={parts[2]}; theme=dark; {Key}.idTokenC4=garbage; {Key}.idToken=chunks-3; {Key}.idTokenC1={parts[0]}; other=1; {Key}.idTokenC2={parts[1]}; "
                     + $"CognitoIdentityServiceProvider.{Pool.ClientId}.LastAuthUser=jane.doe; {Key}.accessToken={Pool.AccessToken()}";

        Assert.Equal(idToken, Verdict.Accepted(Pool.Auth().FromCookieHeader(header)).IdToken);
    }

    [Fact]
    public void An_access_token_and_a_refresh_token_may_be_chunked_too()
    {
        var access = Pool.AccessToken(groups: ManyGroups);
        var header = $"CognitoIdentityServiceProvider.{Pool.ClientId}.LastAuthUser=jane.doe; {Key}.idToken={Pool.IdToken()}; {Chunked("accessToken", access, 2)}; {Chunked("refreshToken", new string('r', 3000), 2)}";

        var tokens = Verdict.Accepted(Pool.Auth().FromCookieHeader(header));

        Assert.Equal(access, tokens.AccessToken);
        Assert.Equal(new string('r', 3000), tokens.RefreshToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_missing_part_is_no_session_never_a_partial_token(int missing)
    {
        var header = Header(Chunked("idToken", Pool.IdToken(groups: ManyGroups), 3, keep: i => i != missing));

        Verdict.Refused(Pool.Auth().FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void An_empty_part_is_no_session()
    {
        var parts = Split(Pool.IdToken(), 2);
        var header = Header($"{Key}.idToken=chunks-3; {Key}.idTokenC1={parts[0]}; {Key}.idTokenC2=; {Key}.idTokenC3={parts[1]}");

        Verdict.Refused(Pool.Auth().FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void A_broken_chunked_refresh_token_is_no_session_too()
    {
        var header = Header($"{Key}.idToken={Pool.IdToken()}", refreshCookies: $"{Key}.refreshToken=chunks-2; {Key}.refreshTokenC1=abc");

        Verdict.Refused(Pool.Auth().FromCookieHeader(header), "no-session");
    }

    [Theory]
    [InlineData("chunks-0")]
    [InlineData("chunks-17")]
    [InlineData("chunks-01")]
    [InlineData("chunks-1x")]
    [InlineData("chunks-x")]
    [InlineData("chunks-")]
    [InlineData("chunks-100")]
    [InlineData("chunks--1")]
    public void A_count_that_is_not_1_to_16_in_plain_digits_is_no_session(string marker)
    {
        var header = Header($"{Key}.idToken={marker}; {Key}.idTokenC1={Pool.IdToken()}");

        Verdict.Refused(Pool.Auth().FromCookieHeader(header), "no-session");
    }

    [Theory]
    [InlineData("C01")]
    [InlineData("C0")]
    [InlineData("Cx")]
    [InlineData("C")]
    [InlineData("c1")]
    public void A_part_name_that_is_not_C_and_its_number_is_not_a_part(string suffix)
    {
        var header = Header($"{Key}.idToken=chunks-1; {Key}.idToken{suffix}={Pool.IdToken()}");

        Verdict.Refused(Pool.Auth().FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void The_first_occurrence_of_a_part_wins()
    {
        var idToken = Pool.IdToken(groups: ManyGroups);
        var parts = Split(idToken, 2);
        var good = Header($"{Key}.idToken=chunks-2; {Key}.idTokenC1={parts[0]}; {Key}.idTokenC1=AAAA; {Key}.idTokenC2={parts[1]}");
        var bad = Header($"{Key}.idToken=chunks-2; {Key}.idTokenC1=AAAA; {Key}.idTokenC1={parts[0]}; {Key}.idTokenC2={parts[1]}");

        Assert.Equal(idToken, Verdict.Accepted(Pool.Auth().FromCookieHeader(good)).IdToken);
        Assert.True(Pool.Auth().FromCookieHeader(bad).IsLeft);
    }

    [Fact]
    public void The_reassembled_token_meets_the_same_size_limit()
    {
        var auth = new CognitoAuth(Pool.Auth().Options with { MaxTokenLength = 4_000 });
        var idToken = Pool.IdToken(groups: ManyGroups);
        Assert.True(idToken.Length > 4_000);

        Verdict.Refused(auth.FromCookieHeader(Header(Chunked("idToken", idToken, 2))), "too-large");
    }

    [Fact]
    public void Part_cookies_beside_a_whole_token_are_ignored()
    {
        var header = Header($"{Key}.idToken={Pool.IdToken()}; {Key}.idTokenC1=garbage");

        Verdict.Accepted(Pool.Auth().FromCookieHeader(header));
    }

    [Fact]
    public void Parts_of_another_user_or_another_slot_are_not_parts_of_this_token()
    {
        var parts = Split(Pool.IdToken(), 2);
        var other = $"CognitoIdentityServiceProvider.{Pool.ClientId}.bob";
        var header = Header($"{Key}.idToken=chunks-2; {other}.idTokenC1={parts[0]}; {Key}.accessTokenC1={parts[0]}; {Key}.idTokenC2={parts[1]}");

        Verdict.Refused(Pool.Auth().FromCookieHeader(header), "no-session");
    }
}
