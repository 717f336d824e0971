namespace Cognito;

/// <summary>The configured app clients, as text and UTF-8, in configured order.</summary>
internal sealed class Audience(IReadOnlyList<string> clientIds)
{
    private readonly string[] _ids = [.. clientIds];
    private readonly byte[][] _utf8 = [.. clientIds.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>The expected clients, for messages: <c>'a'</c>, or <c>one of 'a', 'b'</c>.</summary>
    internal string Expected { get; } = clientIds.Count == 1 ? $"'{clientIds[0]}'" : $"one of {string.Join(", ", clientIds.Select(id => $"'{id}'"))}";

    /// <summary>The configured client id the claim names (the configured string itself), or null.</summary>
    internal string? Find(ClaimValue value, ReadOnlySpan<byte> payload)
    {
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (value.TextEquals(payload, _utf8[i]))
            {
                return _ids[i];
            }
        }

        return null;
    }
}
