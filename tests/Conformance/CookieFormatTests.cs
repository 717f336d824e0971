namespace Cognito.Conformance;

/// <summary>docs/spec.md, "Cookie format": the cookie format Amplify writes, one test per rule.</summary>
public sealed class CookieFormatTests
{
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly CognitoAuth Auth = Pool.Auth();

    private static string Prefix => AmplifyCookieNames.Prefix(Pool.ClientId);

    [Theory]
    [InlineData("jane.doe+test@example.com", "jane.doe+test%40example.com")]
    [InlineData("john smith", "john%20smith")]
    [InlineData("zoë", "zo%C3%AB")]
    [InlineData("bob(admin)", "bob%28admin%29")]
    [InlineData("a#b$c&d+e^f`g|h", "a#b$c&d+e^f`g|h")]
    [InlineData("x!y~z*w'v", "x!y~z*w'v")]
    [InlineData("semi;colon=equals,comma/slash", "semi%3Bcolon%3Dequals%2Ccomma%2Fslash")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f")]
    public void Js_cookie_name_rule_examples(string username, string expected) =>
        Assert.Equal(expected, AmplifyCookieNames.EncodeUsername(username));

    /// <summary>Every printable ASCII character, a control character and DEL, in order.</summary>
    private static readonly string Ascii = string.Concat(Enumerable.Range(0x20, 0x5F).Select(c => (char)c)) + "\t\u007f";

    [Fact]
    public void The_name_rule_over_all_of_ASCII()
    {
        // encodeURIComponent, then js-cookie's name rule: %23 %24 %26 %2B %5E %60 %7C back, ( ) encoded.
        Assert.Equal(
            "%20!%22#$%25&'%28%29*+%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D^_`abcdefghijklmnopqrstuvwxyz%7B|%7D~%09%7F",
            AmplifyCookieNames.EncodeUsername(Ascii));
        Assert.Equal(
            "%20!%22#$%25&'()*+%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D^_`abcdefghijklmnopqrstuvwxyz%7B|%7D~%09%7F",
            AmplifyCookieNames.EncodeUsername(Ascii, encodeParentheses: false));
    }

    [Fact]
    public void The_value_rule_over_all_of_ASCII_and_back()
    {
        // encodeURIComponent, then js-cookie's value rule: the escapes of # $ & + / : < = > ? @ [ ] ^ ` { | } back.
        var encoded = AmplifyCookieNames.EncodeValue(Ascii + "é😀");
        Assert.Equal("%20!%22#$%25&'()*+%2C-./0123456789:%3B<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[%5C]^_`abcdefghijklmnopqrstuvwxyz{|}~%09%7F%C3%A9%F0%9F%98%80", encoded);
        Assert.Equal(Ascii + "é😀", AmplifyCookieNames.DecodeValue(encoded));
    }

    [Fact]
    public void A_value_with_nothing_to_decode_is_returned_as_it_is()
    {
        const string Value = "jane.doe@example.com";
        Assert.Same(Value, AmplifyCookieNames.DecodeValue(Value));
        // A lone surrogate anywhere (no browser writes one): the whole value is left as it is.
        Assert.Equal("\ud800%41", AmplifyCookieNames.DecodeValue("\ud800%41"));
        Assert.Equal("%41\ud800", AmplifyCookieNames.DecodeValue("%41\ud800"));
        Assert.Equal("", AmplifyCookieNames.DecodeValue(""));
    }

    [Fact]
    public void The_Next_js_adapter_rule_leaves_parentheses() =>
        Assert.Equal("bob(admin)", AmplifyCookieNames.EncodeUsername("bob(admin)", encodeParentheses: false));

    [Theory]
    [InlineData("jane.doe+test@example.com")]
    [InlineData("john smith")]
    [InlineData("zoë")]
    [InlineData("bob(admin)")]
    [InlineData("a#b$c&d+e^f`g|h")]
    [InlineData("名前")]
    public void A_session_is_read_for_usernames_that_need_encoding(string username)
    {
        var header = AmplifyCookies.Header(Pool.ClientId, username, Pool.IdToken(username), Pool.AccessToken(username));
        Assert.Equal(username, Verdict.Accepted(Auth.FromCookieHeader(header)).Username);
    }

    [Fact]
    public void The_no_parentheses_form_is_read_second()
    {
        const string User = "bob(admin)";
        var header = AmplifyCookies.Header(Pool.ClientId, User, Pool.IdToken(User), Pool.AccessToken(User), encodeParentheses: false);
        Assert.Contains(".bob(admin).idToken=", header);
        Assert.Equal(User, Verdict.Accepted(Auth.FromCookieHeader(header)).Username);
    }

    [Fact]
    public void A_username_that_starts_with_a_parenthesis_is_found_in_the_no_parentheses_form()
    {
        const string User = "(admin)bob";
        var header = AmplifyCookies.Header(Pool.ClientId, User, Pool.IdToken(User), Pool.AccessToken(User), encodeParentheses: false);
        Assert.Equal(User, Verdict.Accepted(Auth.FromCookieHeader(header)).Username);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void An_empty_or_unreadable_LastAuthUser_names_no_session(int which)
    {
        // Built here, not in InlineData: a lone surrogate would not survive the test runner's serialization.
        var lastAuthUser = new[] { "", "\ud800", "%ZZ\ud800" }[which];
        // Token cookies under an empty key ("prefix..idToken") are not a session of any user.
        var header = $"{Prefix}.LastAuthUser={lastAuthUser}; {Prefix}..idToken={Pool.IdToken()}; {Prefix}..accessToken={Pool.AccessToken()}";
        Verdict.Refused(Auth.FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void Cookies_named_like_a_token_cookie_without_its_suffix_are_ignored()
    {
        var key = $"{Prefix}.jane.doe";
        var header = $"{key}=x; {key}.=y; {key}..=z; {Pool.CookieHeader()}";
        Assert.Equal("jane.doe", Verdict.Accepted(Auth.FromCookieHeader(header)).Username);
        Verdict.Refused(Auth.FromCookieHeader($"{Prefix}.LastAuthUser=jane.doe; {key}=x; {key}.=y"), "no-session");
    }

    [Theory]
    [InlineData("idToken")]
    [InlineData("accessToken")]
    public void An_empty_token_cookie_is_no_token(string which)
    {
        var header = Pool.CookieHeader().Replace($".{which}=ey", $".{which}=; x=ey", StringComparison.Ordinal);
        Assert.Contains($".{which}=;", header);
        Verdict.Refused(Auth.FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void The_js_cookie_form_wins_over_the_no_parentheses_form()
    {
        const string User = "bob(admin)";
        var stale = AmplifyCookies.Header(Pool.ClientId, User, Pool.IdToken("bob(admin)"), Pool.Sign(Pool.AccessClaims(User, sub: "other")), encodeParentheses: false);
        var fresh = AmplifyCookies.Header(Pool.ClientId, User, Pool.IdToken(User), Pool.AccessToken(User));
        Verdict.Accepted(Auth.FromCookieHeader($"{stale}; {fresh}"));
    }

    [Fact]
    public void LastAuthUser_is_percent_decoded()
    {
        const string User = "zoë";
        var header = AmplifyCookies.Header(Pool.ClientId, User, Pool.IdToken(User), Pool.AccessToken(User));
        Assert.Contains("LastAuthUser=zo%C3%AB", header);
        Verdict.Accepted(Auth.FromCookieHeader(header));
    }

    [Fact]
    public void LastAuthUser_with_a_plain_at_sign_is_read_as_js_cookie_writes_it()
    {
        const string User = "jane@example.com";
        var header = AmplifyCookies.Header(Pool.ClientId, User, Pool.IdToken(User), Pool.AccessToken(User));
        Assert.Contains("LastAuthUser=jane@example.com", header);
        Verdict.Accepted(Auth.FromCookieHeader(header));
    }

    [Theory]
    [InlineData("%FF", "%FF")]
    [InlineData("a%2", "a%2")]
    [InlineData("100%", "100%")]
    [InlineData("%C3%AB%FF", "%C3%AB%FF")]
    [InlineData("x%20y%ZZ", "x y%ZZ")]
    [InlineData("zo%C3%AB", "zoë")]
    public void Malformed_percent_runs_in_values_are_left_as_they_are(string value, string decoded) =>
        Assert.Equal(decoded, AmplifyCookieNames.DecodeValue(value));

    [Fact]
    public void Quoted_values_lose_their_quotes()
    {
        var header = Pool.CookieHeader().Replace("LastAuthUser=jane.doe", "LastAuthUser=\"jane.doe\"").Replace(".idToken=", ".idToken=\"").Replace("; " + Prefix + ".jane.doe.accessToken", "\"; " + Prefix + ".jane.doe.accessToken");
        Assert.Contains(".idToken=\"ey", header);
        Verdict.Accepted(Auth.FromCookieHeader(header));
    }

    [Fact]
    public void Spaces_and_tabs_around_pairs_are_optional()
    {
        var header = Pool.CookieHeader().Replace("; ", " ;\t ");
        Verdict.Accepted(Auth.FromCookieHeader(header));
        Verdict.Accepted(Auth.FromCookieHeader(Pool.CookieHeader().Replace("; ", ";")));
    }

    [Fact]
    public void Names_are_case_sensitive()
    {
        var header = Pool.CookieHeader().Replace(".LastAuthUser=", ".lastauthuser=");
        Verdict.Refused(Auth.FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void A_pair_without_equals_is_skipped()
    {
        var header = "garbage; " + Pool.CookieHeader() + "; more garbage;;";
        Verdict.Accepted(Auth.FromCookieHeader(header));
    }

    [Fact]
    public void The_first_occurrence_of_a_name_wins()
    {
        var good = Pool.CookieHeader();
        var forged = Pool.CookieHeader().Replace(".idToken=", ".idToken=x");
        Verdict.Accepted(Auth.FromCookieHeader(good + "; " + forged));
        Verdict.Refused(Auth.FromCookieHeader(forged + "; " + good), "malformed");
    }

    [Theory]
    [InlineData("refreshToken", "idToken", "accessToken")]
    [InlineData("refreshToken", "accessToken", "idToken")]
    [InlineData("accessToken", "refreshToken", "idToken")]
    [InlineData("idToken", "refreshToken", "accessToken")]
    public void The_token_cookies_are_found_in_any_order(string first, string second, string third)
    {
        var values = new Dictionary<string, string> { ["idToken"] = Pool.IdToken(), ["accessToken"] = Pool.AccessToken(), ["refreshToken"] = "refresh-token" };
        var header = $"{Prefix}.LastAuthUser=jane.doe; " + string.Join("; ", new[] { first, second, third }.Select(slot => $"{Prefix}.jane.doe.{slot}={values[slot]}"));
        Assert.Equal("refresh-token", Verdict.Accepted(Auth.FromCookieHeader(header)).RefreshToken);
    }

    [Fact]
    public void Amplify_v5_userData_and_clockDrift_are_ignored()
    {
        var extra = new[] { $"{Prefix}.jane.doe.userData=%7B%22UserAttributes%22%3A%5B%5D%7D", $"{Prefix}.jane.doe.clockDrift=-3" };
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.AccessToken(), "refresh", extra: extra);
        Verdict.Accepted(Auth.FromCookieHeader(header));
    }

    [Fact]
    public void Amplify_v6_signInDetails_oauthMetadata_oidcProvider_and_tokenScopesString_are_ignored()
    {
        var extra = new[]
        {
            $"{Prefix}.jane.doe.signInDetails=%7B%22loginId%22%3A%22jane%22%7D",
            $"{Prefix}.jane.doe.oauthMetadata=%7B%22oauthSignIn%22%3Atrue%7D",
            $"{Prefix}.jane.doe.oidcProvider=COGNITO",
            $"{Prefix}.jane.doe.tokenScopesString=openid%20email",
        };
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.AccessToken(), "refresh", extra: extra);
        Verdict.Accepted(Auth.FromCookieHeader(header));
    }

    [Fact]
    public void The_refresh_token_is_optional()
    {
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.AccessToken());
        Assert.Null(Verdict.Accepted(Auth.FromCookieHeader(header)).RefreshToken);
    }

    [Fact]
    public void Cookies_of_other_app_clients_and_sites_are_ignored()
    {
        var other = AmplifyCookies.Header("someotherclient", "john", "a.b.c", "d.e.f");
        var header = $"_ga=GA1.2.3; {other}; {Pool.CookieHeader()}; theme=dark";
        Assert.Equal("jane.doe", Verdict.Accepted(Auth.FromCookieHeader(header)).Username);
    }

    [Fact]
    public void Token_values_with_percent_escapes_are_decoded()
    {
        var id = Pool.IdToken();
        var escaped = "%65" + id[1..]; // 'e' written as %65
        Assert.StartsWith("e", id);
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", escaped, Pool.AccessToken());
        Verdict.Accepted(Auth.FromCookieHeader(header));
    }
}
