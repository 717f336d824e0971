using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cognito;

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
