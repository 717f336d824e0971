using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cognito;

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
