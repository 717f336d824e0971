using LanguageExt;

namespace Cognito.Conformance;

/// <summary>Assertions on verdicts: the exact code of a refusal, or the session of an acceptance.</summary>
internal static class Verdict
{
    internal static AuthError Refused<T>(Either<AuthError, T> result, string code)
    {
        var error = result.Match(
            Right: value => throw new Xunit.Sdk.XunitException($"expected refusal '{code}', but it was accepted: {value}"),
            Left: e => e);
        Assert.Equal(code, error.Code);
        return error;
    }

    internal static T Accepted<TLeft, T>(Either<TLeft, T> result) =>
        result.Match(
            Right: value => value,
            Left: e => throw new Xunit.Sdk.XunitException($"expected acceptance, but refused: {e}"));
}
