namespace Cognito;

/// <summary>
/// Nothing secret over plain http (docs/spec.md, "Limits and faults"): an address that serves keys or receives codes, tokens or a
/// client secret must be https. Plain http is allowed only to a loopback address (tests, the
/// development pool), or when the caller explicitly opts out.
/// </summary>
public static class SecureTransport
{
    /// <summary>
    /// Why <paramref name="address"/> may not carry secrets or keys, or null when it may: https, or http
    /// to a loopback address (<c>127.0.0.0/8</c>, <c>[::1]</c>, <c>localhost</c>), or http anywhere when
    /// <paramref name="allowPlainHttp"/> (the explicit opt-out). Any other scheme, or a relative
    /// address, never.
    /// </summary>
    /// <param name="address">The address to check.</param>
    /// <param name="what">What the address is, for the message (e.g. "the JWKS address").</param>
    /// <param name="allowPlainHttp">The opt-out: plain http to any host.</param>
    public static string? Refusal(Uri address, string what, bool allowPlainHttp = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || address.Scheme is not ("https" or "http"))
        {
            return $"{what} must be an absolute https URL, not '{address}'";
        }

        return address.Scheme == "https" || address.IsLoopback || allowPlainHttp
            ? null
            : $"{what} {address.GetLeftPart(UriPartial.Authority)} is plain http: keys, codes and tokens would travel unprotected; use https (plain http is allowed only to loopback addresses, or with the explicit opt-out)";
    }
}
