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
}
