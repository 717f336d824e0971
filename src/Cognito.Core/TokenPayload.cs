using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Cognito;

/// <summary>Where one claim's value sits in the decoded payload, and its JSON type.</summary>
internal readonly record struct ClaimValue(JsonTokenType Type, int Start, int Length, bool Escaped)
{
    internal bool IsPresent => Type != JsonTokenType.None;

    internal bool IsString => Type == JsonTokenType.String;

    /// <summary>The value as a .NET string (strings only).</summary>
    internal string ToString(ReadOnlySpan<byte> payload)
    {
        if (!Escaped)
        {
            return Encoding.UTF8.GetString(payload.Slice(Start, Length));
        }

        // Re-read the quoted string so the reader unescapes it.
        var reader = new Utf8JsonReader(payload.Slice(Start - 1, Length + 2));
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>Whether a string value equals <paramref name="expected"/> (UTF-8), after unescaping.</summary>
    internal bool TextEquals(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> expected)
    {
        if (!Escaped)
        {
            return payload.Slice(Start, Length).SequenceEqual(expected);
        }

        var reader = new Utf8JsonReader(payload.Slice(Start - 1, Length + 2));
        reader.Read();
        return reader.ValueTextEquals(expected);
    }
}

/// <summary>A NumericDate claim (RFC 7519 §2): absent, a number, or not a number.</summary>
internal readonly record struct DateClaim(JsonTokenType Type, double Seconds)
{
    /// <summary>Latest NumericDate a <see cref="DateTimeOffset"/> can hold (9999-12-31T23:59:59Z).</summary>
    private const double MaxSeconds = 253402300799;

    internal bool IsPresent => Type != JsonTokenType.None;

    /// <summary>A number between 1970 and 9999: anything else cannot be a Cognito time.</summary>
    internal bool IsValid => Type == JsonTokenType.Number && Seconds is >= 0 and <= MaxSeconds;

    internal DateTimeOffset ToDateTimeOffset() => DateTimeOffset.UnixEpoch.AddSeconds(Math.Floor(Seconds));
}

/// <summary>
/// Stage 5 (claims, reading): one pass of <see cref="Utf8JsonReader"/> over the top level of a payload
/// that passed <see cref="JsonShape.Check"/>, noting where each claim the verifier knows sits and its
/// JSON type. Nothing is allocated; the rules (<see cref="ClaimRules"/>) decide what is acceptable.
/// </summary>
internal ref struct TokenPayload
{
    internal ClaimValue Iss;
    internal ClaimValue Sub;
    internal ClaimValue Aud;
    internal ClaimValue TokenUse;
    internal ClaimValue ClientId;
    internal ClaimValue Username;
    internal ClaimValue CognitoUsername;
    internal ClaimValue Scope;
    internal ClaimValue Email;
    internal ClaimValue EmailVerified;
    internal ClaimValue Jti;
    internal ClaimValue Groups;
    internal bool GroupsAreStrings;
    internal DateClaim Exp;
    internal DateClaim Iat;
    internal DateClaim Nbf;
    internal DateClaim AuthTime;

    internal static TokenPayload Read(ReadOnlySpan<byte> payload)
    {
        var claims = default(TokenPayload);
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = JsonShape.MaxDepth + 1 });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("exp"u8))
            {
                claims.Exp = ReadDate(ref reader);
            }
            else if (reader.ValueTextEquals("iat"u8))
            {
                claims.Iat = ReadDate(ref reader);
            }
            else if (reader.ValueTextEquals("nbf"u8))
            {
                claims.Nbf = ReadDate(ref reader);
            }
            else if (reader.ValueTextEquals("auth_time"u8))
            {
                claims.AuthTime = ReadDate(ref reader);
            }
            else if (reader.ValueTextEquals("cognito:groups"u8))
            {
                claims.Groups = ReadGroups(ref reader, out claims.GroupsAreStrings);
            }
            else
            {
                ref var slot = ref Slot(ref claims, ref reader);
                reader.Read();
                if (!Unsafe.IsNullRef(ref slot))
                {
                    slot = Value(ref reader);
                }

                reader.Skip();
            }
        }

        return claims;
    }

    private static ref ClaimValue Slot(ref TokenPayload claims, ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("iss"u8)) { return ref claims.Iss; }
        if (reader.ValueTextEquals("sub"u8)) { return ref claims.Sub; }
        if (reader.ValueTextEquals("aud"u8)) { return ref claims.Aud; }
        if (reader.ValueTextEquals("token_use"u8)) { return ref claims.TokenUse; }
        if (reader.ValueTextEquals("client_id"u8)) { return ref claims.ClientId; }
        if (reader.ValueTextEquals("username"u8)) { return ref claims.Username; }
        if (reader.ValueTextEquals("cognito:username"u8)) { return ref claims.CognitoUsername; }
        if (reader.ValueTextEquals("scope"u8)) { return ref claims.Scope; }
        if (reader.ValueTextEquals("email"u8)) { return ref claims.Email; }
        if (reader.ValueTextEquals("email_verified"u8)) { return ref claims.EmailVerified; }
        if (reader.ValueTextEquals("jti"u8)) { return ref claims.Jti; }
        return ref Unsafe.NullRef<ClaimValue>();
    }

    private static ClaimValue Value(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        return reader.TokenType == JsonTokenType.String
            ? new ClaimValue(JsonTokenType.String, start + 1, reader.ValueSpan.Length, reader.ValueIsEscaped)
            : new ClaimValue(reader.TokenType, start, 0, false);
    }

    private static DateClaim ReadDate(ref Utf8JsonReader reader)
    {
        reader.Read();
        var type = reader.TokenType;
        var seconds = type == JsonTokenType.Number && reader.TryGetDouble(out var value) ? value : double.NaN;
        reader.Skip();
        return new DateClaim(type, seconds);
    }

    private static ClaimValue ReadGroups(ref Utf8JsonReader reader, out bool allStrings)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        allStrings = reader.TokenType == JsonTokenType.StartArray;
        if (!allStrings)
        {
            var type = reader.TokenType;
            reader.Skip();
            return new ClaimValue(type, start, 0, false);
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            allStrings &= reader.TokenType == JsonTokenType.String;
            reader.Skip();
        }

        return new ClaimValue(JsonTokenType.StartArray, start, (int)reader.BytesConsumed - start, false);
    }

    /// <summary>The strings of a <c>cognito:groups</c> array that passed the type rule.</summary>
    internal static string[] ReadStrings(ReadOnlySpan<byte> payload, ClaimValue array)
    {
        if (!array.IsPresent)
        {
            return [];
        }

        var reader = new Utf8JsonReader(payload.Slice(array.Start, array.Length));
        reader.Read();
        var strings = new List<string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            strings.Add(reader.GetString()!);
        }

        return [.. strings];
    }
}
