using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Cognito;

/// <summary>The member names seen so far in each object of the document <see cref="JsonShape"/> checks.</summary>
internal static partial class JsonShape
{
    /// <summary>
    /// The member names seen so far, by (object, unescaped name), in an open-addressing hash table:
    /// linear in the text whatever the number of members. Plain names are compared where they stand;
    /// escaped ones are unescaped into a scratch buffer first.
    /// </summary>
    private ref struct NameSet(Span<int> entries, Span<int> table, Span<byte> scratch)
    {
        private readonly Span<int> _entries = entries; // owner, start, length, in-scratch: 4 ints each
        private readonly Span<int> _table = table;
        private readonly Span<byte> _scratch = scratch;
        private int _count;
        private int _scratchUsed;

        public bool Add(ReadOnlySpan<byte> json, int owner, int start, int length, bool escaped, out ReadOnlySpan<byte> added)
        {
            var inScratch = 0;
            if (escaped)
            {
                var unescaped = Unescape(json.Slice(start, length), _scratch[_scratchUsed..]);
                (start, length, inScratch) = (_scratchUsed, unescaped, 1);
                _scratchUsed += unescaped;
            }

            var name = inScratch == 1 ? _scratch.Slice(start, length) : json.Slice(start, length);
            added = name;
            var hash = new HashCode();
            // Stryker disable once Statement : equivalent, the hash only spreads names over the table: a match compares owner and bytes
            hash.Add(owner);
            // Stryker disable once Statement : equivalent, the hash only spreads names over the table: a match compares owner and bytes
            hash.AddBytes(name);
            var mask = _table.Length - 1;
            for (var slot = hash.ToHashCode() & mask; ; slot = (slot + 1) & mask)
            {
                var entry = _table[slot];
                if (entry == 0)
                {
                    var e = _count * 4;
                    (_entries[e], _entries[e + 1], _entries[e + 2], _entries[e + 3]) = (owner, start, length, inScratch);
                    _table[slot] = ++_count;
                    return true;
                }

                var at = (entry - 1) * 4;
                if (_entries[at] == owner
                    && (_entries[at + 3] == 1 ? _scratch : json).Slice(_entries[at + 1], _entries[at + 2]).SequenceEqual(name))
                {
                    return false;
                }
            }
        }

        /// <summary>Unescapes a string body that <see cref="TryString"/> accepted; returns the UTF-8 length.</summary>
        private static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
        {
            var written = 0;
            for (var i = 0; i < raw.Length;)
            {
                if (raw[i] != (byte)'\\')
                {
                    destination[written++] = raw[i++];
                    continue;
                }

                var escape = raw[i + 1];
                if (escape != (byte)'u')
                {
                    destination[written++] = escape switch
                    {
                        (byte)'b' => (byte)'\b',
                        (byte)'f' => (byte)'\f',
                        (byte)'n' => (byte)'\n',
                        (byte)'r' => (byte)'\r',
                        (byte)'t' => (byte)'\t',
                        _ => escape,
                    };
                    i += 2;
                    continue;
                }

                TryHex4(raw, i + 2, out var unit);
                i += 6;
                var scalar = unit;
                if (unit is >= 0xD800 and <= 0xDBFF)
                {
                    TryHex4(raw, i + 2, out var low);
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }

                written += new Rune(scalar).EncodeToUtf8(destination[written..]);
            }

            return written;
        }
    }
}
