namespace Cognito.Conformance;

/// <summary>
/// docs/spec.md, "Cookie format", the header syntax on its own: how one cookie is found in a Cookie header (RFC 6265 §5.4 pairs,
/// optional whitespace, one pair of quotes, the first occurrence wins, pairs without '=' skipped).
/// </summary>
public sealed class CookieHeaderTests
{
    private static string? Find(string header, string name1, string name2 = "", string name3 = "") =>
        CookieHeader.TryFind(header, name1, name2, name3, out var start, out var length) ? header.Substring(start, length) : null;

    [Theory]
    [InlineData("b=2", "2")]
    [InlineData("a=1; b=2", "2")]
    [InlineData("a=1;b=2", "2")]
    [InlineData("a=1;  b=2  ;c=3", "2")]
    [InlineData("a=1;\tb\t=\t2\t", "2")]
    [InlineData(" \t b \t = \t 2 \t ; c=3", "2")]
    [InlineData("b=1; b=2", "1")]
    [InlineData("bb=1; b=2", "2")]
    [InlineData("b b=1; b=2", "2")]
    [InlineData("B=1; b=2", "2")]
    [InlineData("novalue; b=2", "2")]
    [InlineData("b; b=2", "2")]
    [InlineData(";;b=2;;", "2")]
    [InlineData("=x; b=2", "2")]
    [InlineData("b=a=c", "a=c")]
    [InlineData("b=", "")]
    [InlineData("b= ;c=3", "")]
    [InlineData("b=\"2\"", "2")]
    [InlineData("b= \"2\" ", "2")]
    [InlineData("b=\" 2 \"", " 2 ")]
    [InlineData("b=\"\"", "")]
    [InlineData("b=\"", "\"")]
    [InlineData("b=\"2", "\"2")]
    [InlineData("b=2\"", "2\"")]
    [InlineData("b=\"\"\"", "\"")]
    [InlineData("b=x y", "x y")]
    public void One_cookie_is_found_by_its_exact_name(string header, string expected) =>
        Assert.Equal(expected, Find(header, "b"));

    [Theory]
    [InlineData("")]
    [InlineData(";")]
    [InlineData("b")]
    [InlineData("a=1")]
    [InlineData("bb=1")]
    [InlineData("a=b")]
    [InlineData("a=1; b")]
    [InlineData("a=\"b=1\"")]
    public void A_header_without_the_cookie_finds_nothing(string header) =>
        Assert.Null(Find(header, "b"));

    [Theory]
    [InlineData("Cognito.x=1", "Cognito", ".", "x", "1")]
    [InlineData("Cognito.xy=1; Cognito.x=2", "Cognito", ".", "x", "2")]
    [InlineData("Cognito.x=1", "Cog", "nito", ".x", "1")]
    [InlineData("Cognito.x=1", "Cognito.x", "", "", "1")]
    [InlineData("Cognito.x=1", "", "", "Cognito.x", "1")]
    [InlineData("Cognitox.=1; Cognito.x=2", "Cognito", "x", ".", "1")]
    [InlineData("CognitoX.x=1; Cognito.x=2", "Cognito", ".", "x", "2")]
    [InlineData("Cognito.X=1; Cognito.x=2", "Cognito", ".", "x", "2")]
    public void A_name_given_in_parts_matches_only_the_whole_name(string header, string name1, string name2, string name3, string expected) =>
        Assert.Equal(expected, Find(header, name1, name2, name3));

    [Fact]
    public void The_value_range_points_into_the_header()
    {
        const string header = "a=1; b=\"xyz\"; c=3";
        Assert.True(CookieHeader.TryFind(header, "b", "", "", out var start, out var length));
        Assert.Equal((8, 3), (start, length));
        Assert.True(CookieHeader.TryFind(header, "c", "", "", out start, out length));
        Assert.Equal((header.Length - 1, 1), (start, length));
        Assert.False(CookieHeader.TryFind(header, "d", "", "", out start, out length));
        Assert.Equal((0, 0), (start, length));
    }

    [Fact]
    public void Every_pair_is_listed_in_order_with_names_and_values_trimmed()
    {
        const string header = " a = 1 ;b=\"2\"; novalue ;;c=;d=4=5";
        var pairs = new List<(string, string)>();
        foreach (var (name, value) in new CookieHeader.Pairs(header))
        {
            pairs.Add((header[name], header[value]));
        }

        Assert.Equal([("a", "1"), ("b", "2"), ("c", ""), ("d", "4=5")], pairs);
    }

    [Theory]
    [InlineData("C.a=1; C.b=2", "C.", "C.a=1|C.b=2")]
    [InlineData("x=C.a; C.b=2", "C.", "C.b=2")]
    [InlineData("x= C.a=1; C.b=2", "C.", "C.b=2")]
    [InlineData("xC.a=1;C.b=2", "C.", "C.b=2")]
    [InlineData("x=\"C.a=1\"; C.b=2", "C.", "C.b=2")]
    [InlineData(" \t C.a = 1 \t ;\tC.b=\"2\"", "C.", "C.a=1|C.b=2")]
    [InlineData("C.a; C.b=2", "C.", "C.b=2")]
    [InlineData("C.a=1=2;C.b", "C.", "C.a=1=2")]
    [InlineData("C=.a=1; C.b=2", "C.", "C.b=2")]
    [InlineData("C.C.a=1", "C.", "C.C.a=1")]
    [InlineData("C.a=C.b=1", "C.", "C.a=C.b=1")]
    [InlineData("C.a=1;", "C.", "C.a=1")]
    [InlineData("a=1; b=2", "", "a=1|b=2")]
    [InlineData("=x; b=2", "", "=x|b=2")]
    [InlineData(" = x ;b", "", "=x")]
    [InlineData("a=1; b=2", "C.", "")]
    public void The_vectorised_search_finds_names_only_where_a_pair_starts(string header, string lead, string expected)
    {
        var found = new List<string>();
        foreach (var (name, value) in new CookieHeader.PairsStartingWith(header, lead))
        {
            found.Add($"{header[name]}={header[value]}");
        }

        Assert.Equal(expected, string.Join("|", found));
    }
}
