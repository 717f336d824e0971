using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cognito.Properties;

/// <summary>What must always hold of FromCookieHeader, stated as properties (1,000 cases each by default; see SpecPropertyAttribute).</summary>
public sealed class VerificationProperties
{
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly Gen<string> CookieishText = Gen.OneOf(
        ArbMap.Default.GeneratorFor<string>(),
        Gen.Elements(Sessions.Header, Sessions.IdToken, "CognitoIdentityServiceProvider.", ".LastAuthUser=", ".idToken=", ";", "=", "\"", "%", "%C3", " ", ".", "eyJ", Sessions.Pool.ClientId, "jane.doe"),
        Gen.Choose(0, Sessions.Header.Length).Select(n => Sessions.Header[..n]))
        .ListOf().Select(parts => string.Concat(parts));

    [SpecProperty]
    public bool Any_string_null_included_gives_a_Left_or_a_Right_and_never_throws(string? header)
    {
        var result = Sessions.Auth.FromCookieHeader(header);
        return result.IsLeft || result.IsRight;
    }

    [SpecProperty]
    public Property Any_mix_of_cookie_fragments_never_throws() =>
        Prop.ForAll(CookieishText.ToArbitrary(), text =>
        {
            var result = Sessions.Auth.FromCookieHeader(text);
            return result.IsLeft || result.IsRight;
        });

    [SpecProperty]
    public Property Any_token_text_given_directly_never_throws() =>
        Prop.ForAll(CookieishText.ToArbitrary(), text =>
        {
            var id = Sessions.Auth.VerifyIdToken(text);
            var access = Sessions.Auth.VerifyAccessToken(text);
            var pair = Sessions.Auth.FromTokens(text, text);
            return (id.IsLeft || id.IsRight) && (access.IsLeft || access.IsRight) && pair.IsLeft;
        });

    [SpecProperty]
    public Property Changing_any_single_character_of_a_valid_token_gives_a_Left()
    {
        var change =
            from useId in ArbMap.Default.GeneratorFor<bool>()
            let token = useId ? Sessions.IdToken : Sessions.AccessToken
            from index in Gen.Choose(0, token.Length - 1)
            from replacement in Gen.OneOf(Gen.Elements((Base64UrlAlphabet + ".=+/ %\"").ToCharArray()), ArbMap.Default.GeneratorFor<char>())
            where token[index] != replacement
            select (useId, token[..index] + replacement + token[(index + 1)..]);
        return Prop.ForAll(change.ToArbitrary(), c =>
        {
            var header = c.useId ? Sessions.With(c.Item2, Sessions.AccessToken) : Sessions.With(Sessions.IdToken, c.Item2);
            return Sessions.Auth.FromCookieHeader(header).IsLeft;
        });
    }

    [SpecProperty]
    public Property Changing_any_byte_of_the_signature_gives_bad_signature()
    {
        var signature = Jws.FromBase64Url(Sessions.IdToken.Split('.')[2]);
        var change =
            from index in Gen.Choose(0, signature.Length - 1)
            from flip in Gen.Choose(1, 255)
            select (index, (byte)flip);
        return Prop.ForAll(change.ToArbitrary(), c =>
        {
            var forged = (byte[])signature.Clone();
            forged[c.index] ^= c.Item2;
            var parts = Sessions.IdToken.Split('.');
            var token = $"{parts[0]}.{parts[1]}.{Jws.Base64Url(forged)}";
            return Sessions.Code(Sessions.Auth.FromCookieHeader(Sessions.With(token, Sessions.AccessToken))) == "bad-signature";
        });
    }

    [SpecProperty]
    public Property Adding_unrelated_cookies_anywhere_does_not_change_the_result()
    {
        var name = Gen.Elements("_ga", "theme", "session", "CognitoIdentityServiceProvider.otherclient.LastAuthUser", "CognitoIdentityServiceProvider.x.jane.doe.idToken", "a b", "");
        var value = Gen.OneOf(Gen.Elements("1", "\"quoted\"", "%E2%9C%93", "eyJ.x.y", ""), ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get.Replace(";", "", StringComparison.Ordinal)));
        var cookie = from n in name from v in value select $"{n}={v}";
        var insertion =
            from cookies in cookie.NonEmptyListOf()
            from positions in Gen.Choose(0, 5).ArrayOf(cookies.Count)
            select (cookies, positions);
        return Prop.ForAll(insertion.ToArbitrary(), ins =>
        {
            var pairs = Sessions.Header.Split("; ").ToList();
            for (var i = 0; i < ins.cookies.Count; i++)
            {
                pairs.Insert(Math.Min(ins.positions[i], pairs.Count), ins.cookies[i]);
            }

            var result = Sessions.Auth.FromCookieHeader(string.Join("; ", pairs));
            return result.Match(Right: t => t.Username == "jane.doe" && t.IdToken == Sessions.IdToken && t.RefreshToken == "refresh-token-value", Left: _ => false);
        });
    }

    [SpecProperty]
    public Property A_session_depends_only_on_the_first_occurrence_of_each_cookie_name()
    {
        var prefix = AmplifyCookieNames.Prefix(Sessions.Pool.ClientId);
        var names = new[] { $"{prefix}.LastAuthUser", $"{prefix}.jane.doe.idToken", $"{prefix}.jane.doe.accessToken", $"{prefix}.jane.doe.refreshToken" };
        var later =
            from n in Gen.Elements(names)
            from v in Gen.OneOf(Gen.Elements("john", "x.y.z", Sessions.AccessToken, Sessions.IdToken, ""), ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get.Replace(";", "", StringComparison.Ordinal)))
            select $"{n}={v}";
        return Prop.ForAll(later.NonEmptyListOf().ToArbitrary(), duplicates =>
        {
            var header = Sessions.Header + "; " + string.Join("; ", duplicates);
            return Sessions.Auth.FromCookieHeader(header).Match(
                Right: t => t.IdToken == Sessions.IdToken && t.AccessToken == Sessions.AccessToken && t.RefreshToken == "refresh-token-value",
                Left: _ => false);
        });
    }

    [SpecProperty]
    public Property A_token_is_accepted_at_exp_minus_skew_minus_1_and_refused_at_exp_plus_skew()
    {
        var exp = TestPool.Now.AddHours(1);
        return Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), skewSeconds =>
        {
            var skew = TimeSpan.FromSeconds(skewSeconds);
            var before = Sessions.Pool.Auth(now: exp - skew - TimeSpan.FromSeconds(1), skew: skew, keys: Sessions.Keys).FromCookieHeader(Sessions.Header);
            var at = Sessions.Pool.Auth(now: exp + skew, skew: skew, keys: Sessions.Keys).FromCookieHeader(Sessions.Header);
            var justBefore = Sessions.Pool.Auth(now: exp + skew - TimeSpan.FromMilliseconds(1), skew: skew, keys: Sessions.Keys).FromCookieHeader(Sessions.Header);
            return before.IsRight && justBefore.IsRight && Sessions.Code(at) == "expired";
        });
    }

    [SpecProperty]
    public Property Every_Left_message_is_free_of_the_token_text()
    {
        var tokens = new[] { Sessions.IdToken, Sessions.AccessToken };
        var mutated =
            from t in Gen.Elements(tokens)
            from index in Gen.Choose(0, t.Length - 1)
            from replacement in Gen.Elements((Base64UrlAlphabet + ".%\"").ToCharArray())
            from swap in ArbMap.Default.GeneratorFor<bool>()
            let changed = t[..index] + replacement + t[(index + 1)..]
            select swap ? (changed, Sessions.IdToken) : (Sessions.IdToken, changed);
        return Prop.ForAll(mutated.ToArbitrary(), pair =>
        {
            var result = Sessions.Auth.FromCookieHeader(Sessions.With(pair.Item1, pair.Item2));
            return result.Match(
                Right: _ => true,
                Left: e => new[] { pair.Item1, pair.Item2 }.SelectMany(t => t.Split('.')).Where(s => s.Length >= 8).All(s => !e.Message.Contains(s, StringComparison.Ordinal)));
        });
    }
}
