namespace Cognito;

/// <summary>
/// When a verified token (or the pair of a session) may be used: its exact <c>exp</c>, <c>nbf</c>
/// (negative infinity when absent) and <c>iat</c>. The one home of the time rules, applied by the
/// claims stage to a fresh token and by the caches to every hit.
/// </summary>
internal readonly record struct ValidityWindow(double Exp, double Nbf, double Iat)
{
    /// <summary>The window of a payload's date claims (their shapes already checked).</summary>
    internal static ValidityWindow Of(scoped ref TokenPayload claims) =>
        new(claims.Exp.Seconds, claims.Nbf.IsPresent ? claims.Nbf.Seconds : double.NegativeInfinity, claims.Iat.Seconds);

    /// <summary>Both tokens of a session: the earlier <c>exp</c>, the later <c>nbf</c> and <c>iat</c>.</summary>
    internal static ValidityWindow Of(ValidityWindow id, ValidityWindow access) =>
        new(Math.Min(id.Exp, access.Exp), Math.Max(id.Nbf, access.Nbf), Math.Max(id.Iat, access.Iat));

    /// <summary>The time rule the window breaks at <paramref name="now"/> with one skew, in this order: expired, not yet valid, issued in the future; null when it holds.</summary>
    internal AuthFailure? Failure(double now, double skew) =>
        now >= Exp + skew ? AuthFailure.Expired
        : now < Nbf - skew ? AuthFailure.NotYetValid
        : Iat > now + skew ? AuthFailure.IssuedInFuture
        : null;
}
