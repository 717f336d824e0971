using System.Globalization;
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
        // Stryker disable once Block : equivalent, the reader gives the same text for a string without escapes
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
        // Stryker disable once Block : equivalent, the reader gives the same text for a string without escapes
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
/// Where each claim the verifier knows sits in a payload, and its JSON type, as located by
/// <see cref="JsonShape"/>'s pass over the payload (<see cref="ClaimLocator"/>). Nothing is allocated;
/// the rules (<see cref="ClaimRules"/>) decide what is acceptable.
/// </summary>
internal struct TokenPayload
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

    internal enum Claim
    {
        Other,
        Iss,
        Sub,
        Aud,
        TokenUse,
        ClientId,
        Username,
        CognitoUsername,
        Scope,
        Email,
        EmailVerified,
        Jti,
        Groups,
        Exp,
        Iat,
        Nbf,
        AuthTime,
    }

    internal static Claim Known(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("iss"u8) => Claim.Iss,
        3 when name.SequenceEqual("sub"u8) => Claim.Sub,
        3 when name.SequenceEqual("aud"u8) => Claim.Aud,
        3 when name.SequenceEqual("exp"u8) => Claim.Exp,
        3 when name.SequenceEqual("iat"u8) => Claim.Iat,
        3 when name.SequenceEqual("nbf"u8) => Claim.Nbf,
        3 when name.SequenceEqual("jti"u8) => Claim.Jti,
        5 when name.SequenceEqual("email"u8) => Claim.Email,
        5 when name.SequenceEqual("scope"u8) => Claim.Scope,
        8 when name.SequenceEqual("username"u8) => Claim.Username,
        9 when name.SequenceEqual("token_use"u8) => Claim.TokenUse,
        9 when name.SequenceEqual("client_id"u8) => Claim.ClientId,
        9 when name.SequenceEqual("auth_time"u8) => Claim.AuthTime,
        14 when name.SequenceEqual("email_verified"u8) => Claim.EmailVerified,
        14 when name.SequenceEqual("cognito:groups"u8) => Claim.Groups,
        16 when name.SequenceEqual("cognito:username"u8) => Claim.CognitoUsername,
        _ => Claim.Other,
    };

    internal static ref ClaimValue Slot(ref TokenPayload claims, Claim claim)
    {
        switch (claim)
        {
            case Claim.Iss: return ref claims.Iss;
            case Claim.Sub: return ref claims.Sub;
            case Claim.Aud: return ref claims.Aud;
            case Claim.TokenUse: return ref claims.TokenUse;
            case Claim.ClientId: return ref claims.ClientId;
            case Claim.Username: return ref claims.Username;
            case Claim.CognitoUsername: return ref claims.CognitoUsername;
            case Claim.Scope: return ref claims.Scope;
            case Claim.Email: return ref claims.Email;
            case Claim.EmailVerified: return ref claims.EmailVerified;
            case Claim.Groups: return ref claims.Groups;
            default: return ref claims.Jti;
        }
    }

    internal static ref DateClaim Date(ref TokenPayload claims, Claim claim)
    {
        switch (claim)
        {
            case Claim.Exp: return ref claims.Exp;
            case Claim.Iat: return ref claims.Iat;
            case Claim.Nbf: return ref claims.Nbf;
            default: return ref claims.AuthTime;
        }
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

/// <summary>
/// Notes the top-level members of a payload as <see cref="JsonShape"/> walks it: which known claim a
/// member is, where its value sits, its JSON type, and for <c>cognito:groups</c> whether every element
/// is a string.
/// </summary>
internal struct ClaimLocator(bool enabled)
{
    private TokenPayload.Claim _pending;
    private int _valueStart;
    private bool _isObject;
    private bool _allStrings;

    internal void Member(ReadOnlySpan<byte> name) => _pending = enabled ? TokenPayload.Known(name) : TokenPayload.Claim.Other;

    internal void Scalar(ReadOnlySpan<byte> json, int start, int end, bool escaped, ref TokenPayload claims)
    {
        var claim = _pending;
        _pending = TokenPayload.Claim.Other;
        if (claim == TokenPayload.Claim.Other)
        {
            return;
        }

        var type = json[start] switch
        {
            (byte)'"' => JsonTokenType.String,
            (byte)'t' => JsonTokenType.True,
            (byte)'f' => JsonTokenType.False,
            (byte)'n' => JsonTokenType.Null,
            _ => JsonTokenType.Number,
        };
        if (claim >= TokenPayload.Claim.Exp)
        {
            var seconds = type == JsonTokenType.Number && double.TryParse(json[start..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
            TokenPayload.Date(ref claims, claim) = new DateClaim(type, seconds);
            return;
        }

        // A scalar cognito:groups leaves GroupsAreStrings false (its default; a name appears once).
        TokenPayload.Slot(ref claims, claim) = type == JsonTokenType.String
            ? new ClaimValue(type, start + 1, end - start - 2, escaped)
            : new ClaimValue(type, start, end - start, false);
    }

    internal void Open(bool isObject, int start)
    {
        _valueStart = start;
        _isObject = isObject;
        _allStrings = !isObject;
    }

    /// <summary>A scalar directly inside a top-level array or object value.</summary>
    internal void ElementInValue(byte first) => _allStrings &= first == (byte)'"';

    /// <summary>A container inside a top-level array or object value.</summary>
    internal void NestedInValue() => _allStrings = false;

    internal void Close(int end, ref TokenPayload claims)
    {
        var claim = _pending;
        _pending = TokenPayload.Claim.Other;
        if (claim == TokenPayload.Claim.Other)
        {
            return;
        }

        // Stryker disable once Conditional : equivalent, no rule tells an object from an array: both are not a string, not a date, and not groups unless all strings
        var type = _isObject ? JsonTokenType.StartObject : JsonTokenType.StartArray;
        if (claim >= TokenPayload.Claim.Exp)
        {
            TokenPayload.Date(ref claims, claim) = new DateClaim(type, double.NaN);
            return;
        }

        // Stryker disable once Boolean : equivalent, Escaped is only read for strings
        TokenPayload.Slot(ref claims, claim) = new ClaimValue(type, _valueStart, end - _valueStart, false);
        if (claim == TokenPayload.Claim.Groups)
        {
            claims.GroupsAreStrings = _allStrings;
        }
    }
}
