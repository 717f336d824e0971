using System.Runtime.InteropServices;

namespace Cognito;

/// <summary>
/// Compares token texts exactly, but hashes only their last 16 characters (96 bits of the RSA
/// signature, as good as random for tokens Cognito signed): hashing a whole 1–2 KB token on every
/// lookup would cost more than the rest of a hit. Equality is still the full text, and only verified
/// tokens are ever stored, so an attacker cannot fill a bucket.
/// </summary>
internal sealed class TokenTextComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
{
    internal static readonly TokenTextComparer Instance = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<char> alternate) => Hash(alternate);

    public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();

    private static int Hash(ReadOnlySpan<char> text)
    {
        if (text.Length < 16)
        {
            return string.GetHashCode(text, StringComparison.Ordinal);
        }

        // Four 64-bit reads of the last 16 characters, mixed with HashCode's per-process seed.
        var tail = MemoryMarshal.Cast<char, ulong>(text[^16..]);
        return HashCode.Combine(tail[0], tail[1], tail[2], tail[3]);
    }
}
