namespace Cognito.AspNet;

/// <summary>
/// A session's Set-Cookie headers, planned before any is written (<see cref="AmplifyCookieWriter.Plan"/>),
/// with the largest cookie a browser would drop (over its 4 KB per cookie), or null.
/// </summary>
internal sealed record SessionCookies(IReadOnlyList<string> Headers, (string Kind, int Bytes)? Oversized)
{
    /// <summary>
    /// The bytes these cookies add to the Cookie header a browser sends back: each <c>name=value</c>
    /// (a Set-Cookie header up to its first <c>;</c>) and the <c>"; "</c> that joins it to the next.
    /// </summary>
    internal int CookieHeaderBytes => Headers.Sum(header => (header.IndexOf(';', StringComparison.Ordinal) is var end and >= 0 ? end : header.Length) + 2);
}
