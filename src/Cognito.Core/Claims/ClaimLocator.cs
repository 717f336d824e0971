using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cognito;

/// <summary>
/// The claims' reader plugged into <see cref="JsonShape"/>: notes, for each top-level member of a payload
/// that is a claim the verifier knows, where its value sits, its JSON type, and for
/// <c>cognito:groups</c> whether every element is a string — so the payload is read once.
/// </summary>
internal struct ClaimLocator : IJsonMembers
{
    private TokenPayload _claims;
    private TokenPayload.Claim _pending;
    private int _valueStart;
    private bool _isObject;
    private bool _allStrings;

    /// <summary>Checks a payload's JSON (<see cref="JsonShape"/>) and locates its claims in the same pass.</summary>
    internal static JsonShapeFault CheckAndLocate(ReadOnlySpan<byte> payload, ref TokenPayload claims)
    {
        var locator = default(ClaimLocator);
        var fault = JsonShape.Check(payload, ref locator);
        claims = locator._claims;
        return fault;
    }

    public void Member(ReadOnlySpan<byte> name) => _pending = TokenPayload.Known(name);

    public void Scalar(ReadOnlySpan<byte> json, int start, int end, bool escaped)
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
            var seconds = type == JsonTokenType.Number ? Seconds(json[start..end]) : double.NaN;
            TokenPayload.Date(ref _claims, claim) = new DateClaim(type, seconds);
            return;
        }

        // A scalar cognito:groups leaves GroupsAreStrings false (its default; a name appears once).
        TokenPayload.Slot(ref _claims, claim) = type == JsonTokenType.String
            ? new ClaimValue(type, start + 1, end - start - 2, escaped)
            : new ClaimValue(type, start, end - start, false);
    }

    /// <summary>
    /// A NumericDate's value. The grammar has been checked: plain digits (what Cognito writes) are a
    /// whole number, exact as a double up to 15 digits and read directly; anything else (a sign, a
    /// fraction, an exponent, more digits) goes to the platform's parser.
    /// </summary>
    private static double Seconds(ReadOnlySpan<byte> number)
    {
        if (number.Length <= 15 && !number.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            var whole = 0L;
            foreach (var digit in number)
            {
                whole = (whole * 10) + (digit - '0');
            }

            return whole;
        }

        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
    }

    public void Open(bool isObject, int start)
    {
        _valueStart = start;
        _isObject = isObject;
        _allStrings = !isObject;
    }

    /// <summary>A scalar directly inside a top-level array or object value.</summary>
    public void ElementInValue(byte first) => _allStrings &= first == (byte)'"';

    /// <summary>A container inside a top-level array or object value.</summary>
    public void NestedInValue() => _allStrings = false;

    public void Close(int end)
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
            TokenPayload.Date(ref _claims, claim) = new DateClaim(type, double.NaN);
            return;
        }

        // Stryker disable once Boolean : equivalent, Escaped is only read for strings
        TokenPayload.Slot(ref _claims, claim) = new ClaimValue(type, _valueStart, end - _valueStart, false);
        if (claim == TokenPayload.Claim.Groups)
        {
            _claims.GroupsAreStrings = _allStrings;
        }
    }
}
