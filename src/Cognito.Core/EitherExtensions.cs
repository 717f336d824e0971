using System.Diagnostics.CodeAnalysis;
using LanguageExt;

namespace Cognito;

/// <summary>
/// For the imperative edges (async handlers, the CLI): one <c>Match</c> that hands out both sides, so a
/// caller that must <c>await</c> or <c>return</c> in between branches without casting out of <c>Case</c>.
/// The lambdas are static: no allocation.
/// </summary>
public static class EitherExtensions
{
    /// <summary>True with the right value, or false with the left one; never both, never neither.</summary>
    public static bool TryGetRight<TLeft, TRight>(this Either<TLeft, TRight> either, [NotNullWhen(true)] out TRight? right, [NotNullWhen(false)] out TLeft? left)
        where TLeft : class
        where TRight : class
    {
        (right, left) = either.MatchUnsafe<(TRight?, TLeft?)>(Right: static r => (r, null), Left: static l => (null, l));
        return right is not null;
    }
}
