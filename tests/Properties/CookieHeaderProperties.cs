using FsCheck;
using FsCheck.Fluent;

namespace Cognito.Properties;

/// <summary>
/// The vectorised cookie search (<see cref="CookieHeader.PairsStartingWith"/>) is a faster way to list
/// what <see cref="CookieHeader.Pairs"/> lists: for any header and any lead, the same pairs, with the same
/// ranges, in the same order.
/// </summary>
public sealed class CookieHeaderProperties
{
    private const string Lead = "CognitoIdentityServiceProvider.abc";

    /// <summary>Headers of the characters that matter to the syntax, and of the lead itself in every place.</summary>
    private static readonly Gen<string> Headers = Gen.Elements(
            Lead, Lead, Lead + ".LastAuthUser", Lead + ".a%40b.idToken", " C", "  ", "Cognito", "abc", ";", ";", "; ", "=", "=", " ", "\t", "\"", "x", ".", "%", "CognitoIdentityServiceProvider.")
        .ListOf()
        .Select(parts => string.Concat(parts));

    private static readonly Gen<string> Leads = Gen.Elements(Lead, Lead + ".LastAuthUser", "C", "x", "=", " ", ";", "\"", "");

    private static List<(Range, Range)> Reference(string header, string lead)
    {
        var pairs = new List<(Range, Range)>();
        foreach (var (name, value) in new CookieHeader.Pairs(header))
        {
            if (header.AsSpan()[name].StartsWith(lead, StringComparison.Ordinal))
            {
                pairs.Add((name, value));
            }
        }

        return pairs;
    }

    private static List<(Range, Range)> Searched(string header, string lead)
    {
        var pairs = new List<(Range, Range)>();
        foreach (var pair in new CookieHeader.PairsStartingWith(header, lead))
        {
            pairs.Add(pair);
        }

        return pairs;
    }

    [SpecProperty]
    public Property The_vectorised_search_lists_exactly_the_pairs_a_walk_over_every_pair_finds() =>
        Prop.ForAll(Headers.ToArbitrary(), Leads.ToArbitrary(), (header, lead) => Reference(header, lead).SequenceEqual(Searched(header, lead)));

    [SpecProperty]
    public Property The_vectorised_search_agrees_on_any_text() =>
        Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), Leads.ToArbitrary(), (header, lead) =>
            Reference(header.Get, lead).SequenceEqual(Searched(header.Get, lead)));
}
