using LanguageExt;

namespace Cognito.Conformance;

/// <summary><c>TryGetRight</c>, the adapter's way out of an Either without a cast: each side handed out once, the other null.</summary>
public sealed class EitherExtensionsTests
{
    [Fact]
    public void A_right_hands_out_the_value_and_no_error()
    {
        var tokens = Verdict.Accepted(TestPool.Default.Auth().FromCookieHeader(TestPool.Default.CookieHeader()));
        Assert.True(Either<AuthError, AuthTokens>.Right(tokens).TryGetRight(out var right, out var left));
        Assert.Same(tokens, right);
        Assert.Null(left);
    }

    [Fact]
    public void A_left_hands_out_the_error_and_no_value()
    {
        var error = Verdict.Refused(TestPool.Default.Auth().FromCookieHeader(null), "no-session");
        Assert.False(Either<AuthError, AuthTokens>.Left(error).TryGetRight(out var right, out var left));
        Assert.Null(right);
        Assert.Same(error, left);
    }
}
