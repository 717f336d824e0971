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

/// <summary>The verified claims of a Cognito id token (<c>token_use</c> = <c>id</c>).</summary>
public sealed class IdTokenClaims : TokenClaims
{
    internal IdTokenClaims(string token, UserPool pool, string sub, string username, string audience, string? email, bool? emailVerified, IReadOnlyList<string> groups, DateTimeOffset? authTime, DateTimeOffset issuedAt, DateTimeOffset expiresAt, DateTimeOffset? notBefore)
        : base(token, pool, sub, groups, issuedAt, expiresAt, notBefore)
    {
        Username = username;
        Audience = audience;
        Email = email;
        EmailVerified = emailVerified;
        AuthTime = authTime;
    }

    /// <summary>The <c>cognito:username</c> claim.</summary>
    public override string Username { get; }

    /// <summary>The <c>aud</c> claim: the app client id.</summary>
    public string Audience { get; }

    /// <summary>The <c>email</c> claim, when present.</summary>
    public string? Email { get; }

    /// <summary>The <c>email_verified</c> claim (a boolean, or the strings "true"/"false" some pools send).</summary>
    public bool? EmailVerified { get; }

    /// <summary>The <c>auth_time</c> claim: when the user last signed in.</summary>
    public DateTimeOffset? AuthTime { get; }
}

/// <summary>The verified claims of a Cognito access token (<c>token_use</c> = <c>access</c>).</summary>
public sealed class AccessTokenClaims : TokenClaims
{
    internal AccessTokenClaims(string token, UserPool pool, string sub, string? username, string clientId, IReadOnlyList<string> scopes, IReadOnlyList<string> groups, string? jti, DateTimeOffset? authTime, DateTimeOffset issuedAt, DateTimeOffset expiresAt, DateTimeOffset? notBefore)
        : base(token, pool, sub, groups, issuedAt, expiresAt, notBefore)
    {
        Username = username;
        ClientId = clientId;
        Scopes = scopes;
        Jti = jti;
        AuthTime = authTime;
    }

    /// <summary>The <c>username</c> claim; null for a machine-to-machine token (client-credentials grant), whose <c>sub</c> is the app client.</summary>
    public override string? Username { get; }

    /// <summary>True for a token of the client-credentials grant: no user, only an app client (no <c>username</c>).</summary>
    public bool IsMachineToMachine => Username is null;

    /// <summary>True when the <c>scope</c> claim holds <paramref name="scope"/> (e.g. <c>orders/read</c>), compared ordinally.</summary>
    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>The <c>client_id</c> claim: the app client id.</summary>
    public string ClientId { get; }

    /// <summary>The <c>scope</c> claim split on spaces (e.g. <c>openid</c>, <c>email</c>, <c>aws.cognito.signin.user.admin</c>).</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>The <c>jti</c> claim, when present.</summary>
    public string? Jti { get; }

    /// <summary>The <c>auth_time</c> claim, when present.</summary>
    public DateTimeOffset? AuthTime { get; }
}

/// <summary>
/// A verified session: both tokens from Amplify's cookies, verified and of one user. The server-side
/// equivalent of the original package's <c>getServerSideAuth(req)</c>.
/// </summary>
/// <param name="Id">The verified id token.</param>
/// <param name="Access">The verified access token.</param>
/// <param name="RefreshToken">The refresh token cookie, when present: opaque and not verified here (only Cognito can). Never log it.</param>
public sealed record AuthTokens(IdTokenClaims Id, AccessTokenClaims Access, string? RefreshToken)
{
    /// <summary>The raw id token.</summary>
    public string IdToken => Id.Token;

    /// <summary>The raw access token.</summary>
    public string AccessToken => Access.Token;

    /// <summary>The user's Cognito username.</summary>
    public string Username => Id.Username;

    /// <summary>The user's <c>sub</c>.</summary>
    public string Sub => Id.Sub;

    /// <summary>The user's groups (<c>cognito:groups</c> of the id token).</summary>
    public IReadOnlyList<string> Groups => Id.Groups;

    /// <summary>When the session stops being accepted: the earlier of the two tokens' <c>exp</c>.</summary>
    public DateTimeOffset ExpiresAt => Id.ExpiresAt < Access.ExpiresAt ? Id.ExpiresAt : Access.ExpiresAt;

    /// <summary>Never prints a token.</summary>
    public override string ToString() => $"AuthTokens {{ Username = {Username}, Sub = {Sub}, ExpiresAt = {ExpiresAt:O} }}";

    /// <summary>
    /// Writes who the session is — <c>username</c>, <c>sub</c>, <c>groups</c>, <c>expiresAt</c> (Unix
    /// seconds) — as members of the JSON object being written; never a token.
    /// </summary>
    public void WriteSummary(System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("username", Username);
        writer.WriteString("sub", Sub);
        writer.WriteStartArray("groups");
        foreach (var group in Groups)
        {
            writer.WriteStringValue(group);
        }

        writer.WriteEndArray();
        writer.WriteNumber("expiresAt", ExpiresAt.ToUnixTimeSeconds());
    }
}
