using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cognito;

/// <summary>
/// What both Cognito tokens carry once verified: the raw token, the user pool, the typed claims both
/// have, and read access to every other claim (custom attributes such as <c>custom:tenant</c>,
/// <c>identities</c> for federated users) through <see cref="Payload"/> and <see cref="TryGetClaim"/>.
/// </summary>
public abstract class TokenClaims
{
    // A box, so that threads sharing a cached session publish the decoded payload atomically.
    private StrongBox<JsonElement>? _payload;

    private protected TokenClaims(string token, UserPool pool, string sub, IReadOnlyList<string> groups, DateTimeOffset issuedAt, DateTimeOffset expiresAt, DateTimeOffset? notBefore)
    {
        Token = token;
        Pool = pool;
        Sub = sub;
        Groups = groups;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
        NotBefore = notBefore;
    }

    /// <summary>The verified token as it came (a JWS compact string). Never log it.</summary>
    public string Token { get; }

    /// <summary>The user pool that issued the token.</summary>
    public UserPool Pool { get; }

    /// <summary>The <c>iss</c> claim: one of the pool's two issuer forms (<see cref="UserPool.Issuer"/> or <see cref="UserPool.UpdatedIssuer"/>).</summary>
    public string Issuer { get; private set; } = null!;

    /// <summary>The <c>sub</c> claim: the user's stable id in the pool.</summary>
    public string Sub { get; }

    /// <summary>
    /// The user's Cognito username (<c>cognito:username</c> or <c>username</c>); null only for an access
    /// token without <c>username</c> (a machine-to-machine token of the client-credentials grant).
    /// </summary>
    public abstract string? Username { get; }

    /// <summary>The <c>cognito:groups</c> claim (empty when absent).</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>The <c>iat</c> claim.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The <c>exp</c> claim.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The <c>nbf</c> claim, when present.</summary>
    public DateTimeOffset? NotBefore { get; }

    /// <summary>The key the signature verified with (the session cache drops entries whose key left the key set).</summary>
    internal PoolKey Key { get; private set; } = null!;

    /// <summary>The exact NumericDates, for the caches' re-checks.</summary>
    internal ValidityWindow Window { get; private set; }

    /// <summary>Records how the token verified: its key, issuer form and exact times (set once, by the verifier).</summary>
    internal TokenClaims Verified(PoolKey key, string issuer, ValidityWindow window)
    {
        (Key, Issuer, Window) = (key, issuer, window);
        return this;
    }

    /// <summary>The whole payload as JSON, decoded on first use.</summary>
    public JsonElement Payload => (Volatile.Read(ref _payload) ?? Interlocked.CompareExchange(ref _payload, new StrongBox<JsonElement>(DecodePayload(Token)), null) ?? _payload!).Value;

    /// <summary>Reads any claim, e.g. <c>TryGetClaim("custom:tenant", out var tenant)</c>.</summary>
    public bool TryGetClaim(string name, out JsonElement value) => Payload.TryGetProperty(name, out value);

    /// <summary>A string claim, or null when absent or not a string.</summary>
    public string? GetString(string name) =>
        TryGetClaim(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement DecodePayload(string token)
    {
        var segments = TokenText.Split(token)!.Value;
        var text = token.AsSpan()[segments.Payload];
        var bytes = new byte[TokenText.DecodedLength(text.Length)];
        TokenText.TryDecode(text, bytes, out _);
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }
}
