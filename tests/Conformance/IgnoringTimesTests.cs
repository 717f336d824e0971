namespace Cognito.Conformance;

/// <summary>
/// What the adapter asks the core before it spends a call to Cognito on a session (issue 17): the
/// session verified in full except for the times, and the client's cookie names as sent.
/// </summary>
public sealed class IgnoringTimesTests
{
    private static readonly TestPool Pool = TestPool.Default;

    [Theory]
    [InlineData(2 * 3600)] // expired two hours ago
    [InlineData(40 * 86400)] // expired long ago (the adapter bounds this by the cookie lifetime)
    [InlineData(-3600)] // issued an hour in the future
    public void A_session_off_only_in_its_times_verifies_ignoring_them(long offset)
    {
        var auth = Pool.Auth(TestPool.Now + TimeSpan.FromSeconds(offset));
        var header = Pool.CookieHeader();
        Assert.NotNull(Verdict.Refused(auth.FromCookieHeader(header), offset > 0 ? "expired" : "issued-in-future"));
        var session = Verdict.Accepted(auth.FromCookieHeaderIgnoringTimes(header));
        Assert.Equal("jane.doe", session.Username);
        Assert.Equal(Pool.IdToken(), session.IdToken);
        Assert.StartsWith("eyJjdHkiOiJKV1Qi", session.RefreshToken, StringComparison.Ordinal);
    }

    [Fact]
    public void Everything_but_the_times_is_still_checked()
    {
        var auth = Pool.Auth(TestPool.Now + TimeSpan.FromHours(2));
        var stranger = new TestPool(Pool.Region, Pool.UserPoolId, Pool.ClientId, Pool.Kid, TestPool.StrangerKey);
        Verdict.Refused(auth.FromCookieHeaderIgnoringTimes(stranger.CookieHeader()), "bad-signature");
        Verdict.Refused(auth.FromCookieHeaderIgnoringTimes(TestPool.Other.CookieHeader()), "unknown-issuer");
        var otherClient = new TestPool(Pool.Region, Pool.UserPoolId, "anotherclient", Pool.Kid, Pool.Key);
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", otherClient.IdToken(), otherClient.AccessToken(), "r");
        Verdict.Refused(auth.FromCookieHeaderIgnoringTimes(header), "wrong-client");
        var pair = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.Sign(Pool.AccessClaims(sub: "another-sub")), "r");
        Verdict.Refused(auth.FromCookieHeaderIgnoringTimes(pair), "mismatched-tokens");
        Verdict.Refused(auth.FromCookieHeaderIgnoringTimes(null), "no-session");
        Verdict.Refused(auth.FromCookieHeaderIgnoringTimes("a=b"), "no-session");
        Verdict.Refused(auth.FromCookieHeaderIgnoringTimes(new string('x', auth.Options.MaxCookieHeaderLength + 1)), "too-large");
    }

    [Fact]
    public void An_expired_session_is_never_cached_as_verified()
    {
        var clock = new FixedClock(TestPool.Now + TimeSpan.FromHours(2));
        var auth = new CognitoAuth(CognitoOptions.For(Pool.Region, Pool.UserPoolId, Pool.ClientId, Pool.KeySet()) with { TimeProvider = clock });
        var header = Pool.CookieHeader();
        Verdict.Accepted(auth.FromCookieHeaderIgnoringTimes(header));
        Verdict.Refused(auth.FromCookieHeader(header), "expired");
        clock.Now = TestPool.Now;
        Verdict.Accepted(auth.FromCookieHeader(header));
        clock.Now = TestPool.Now + TimeSpan.FromHours(2);
        Verdict.Refused(auth.FromCookieHeader(header), "expired"); // the cached session is re-checked, not trusted
        Verdict.Accepted(auth.FromCookieHeaderIgnoringTimes(header));
    }

    [Fact]
    public void The_client_cookie_names_are_listed_as_sent()
    {
        var auth = Pool.Auth();
        var prefix = $"CognitoIdentityServiceProvider.{Pool.ClientId}";
        var header = $"{prefix}.LastAuthUser=bob; other=1; {prefix}.bob(admin).idToken=x; CognitoIdentityServiceProvider.otherclient.LastAuthUser=y; {prefix}.LastAuthUser=eve; {prefix}=z; {prefix}.=w; {prefix}x.idToken=v; novalue";
        Assert.Equal([$"{prefix}.LastAuthUser", $"{prefix}.bob(admin).idToken", $"{prefix}.LastAuthUser"], auth.AmplifyCookieNamesIn(header));
        Assert.Empty(auth.AmplifyCookieNamesIn(null));
        Assert.Empty(auth.AmplifyCookieNamesIn(""));
        Assert.Empty(auth.AmplifyCookieNamesIn(header.PadRight(auth.Options.MaxCookieHeaderLength + 1)));
        Assert.Equal(3, auth.AmplifyCookieNamesIn(header.PadRight(auth.Options.MaxCookieHeaderLength)).Count);
    }

    [Fact]
    public async Task ReadSession_gives_the_verdict_and_only_an_expired_session_read_aside()
    {
        // Issue 25, item 2: the one public way in for a host that refreshes, revokes or clears sessions.
        var header = Pool.CookieHeader();
        var prefix = $"CognitoIdentityServiceProvider.{Pool.ClientId}";
        foreach (var read in new[] { Pool.Auth().ReadSession(header), await Pool.Auth().ReadSessionAsync(header) })
        {
            Assert.Equal("jane.doe", Verdict.Accepted(read.Result).Username);
            Assert.Null(read.Expired);
            Assert.Equal([$"{prefix}.LastAuthUser", $"{prefix}.jane.doe.idToken", $"{prefix}.jane.doe.accessToken", $"{prefix}.jane.doe.refreshToken"], read.CookieNames.Where(n => !n.EndsWith("clockDrift", StringComparison.Ordinal)));
        }

        var later = Pool.Auth(TestPool.Now + TimeSpan.FromHours(2));
        foreach (var read in new[] { later.ReadSession(header), await later.ReadSessionAsync(header) })
        {
            Verdict.Refused(read.Result, "expired");
            Assert.Equal("jane.doe", read.Expired!.Username);
            Assert.Equal(Pool.IdToken(), read.Expired.IdToken);
            Assert.NotNull(read.Expired.RefreshToken);
            Assert.Contains($"{prefix}.LastAuthUser", read.CookieNames);
            Assert.Same(read.CookieNames, read.CookieNames); // read once
        }

        // Anything but "expired" reads nothing aside, whatever else the tokens are.
        Assert.Null(RefusedRead(Pool.Auth(TestPool.Now - TimeSpan.FromHours(2)).ReadSession(header), "issued-in-future").Expired);
        var stranger = new TestPool(Pool.Region, Pool.UserPoolId, Pool.ClientId, Pool.Kid, TestPool.StrangerKey);
        Assert.Null(RefusedRead(later.ReadSession(stranger.CookieHeader()), "bad-signature").Expired);
        var pair = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.Sign(Pool.AccessClaims(sub: "another-sub")), "r");
        Assert.Null(RefusedRead(later.ReadSession(pair), "expired").Expired); // expired first, but the pair never matched
        var none = RefusedRead(later.ReadSession(null), "no-session");
        Assert.Null(none.Expired);
        Assert.Empty(none.CookieNames);
    }

    private static CookieSession RefusedRead(CookieSession read, string code)
    {
        Verdict.Refused(read.Result, code);
        return read;
    }

    [Fact]
    public void CookieHeader_Values_lists_every_occurrence_of_one_name_as_the_session_reader_reads_it()
    {
        const string header = ".Cognito.Refresh=a; x=1; .Cognito.RefreshX=b;.Cognito.Refresh=\"c\" ; .Cognito.Refres=d; .cognito.refresh=e; .Cognito.Refresh=";
        Assert.Equal(["a", "c", ""], CookieHeader.Values(header, ".Cognito.Refresh"));
        Assert.Empty(CookieHeader.Values(null, ".Cognito.Refresh"));
        Assert.Empty(CookieHeader.Values("", ".Cognito.Refresh"));
        Assert.Throws<ArgumentNullException>(() => CookieHeader.Values(header, null!));
    }
}
