using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;

namespace Cognito.AspNet;

/// <summary>
/// The claims of the spec's "ASP.NET Core adapter" section (docs/spec.md): sub → name identifier, username → name, groups → roles, scopes, email, custom attributes.
/// </summary>
/// <remarks>
/// A verified session (or bearer token) found in the core's cache is the same object on every request,
/// so what ASP.NET gets from it is worked out once and kept beside it (a weak table: it leaves with the
/// session): the claims, and the ticket's properties. Each request still gets its own
/// <see cref="ClaimsIdentity"/> (copies of the claims, sharing their strings) and its own properties, so an
/// app that changes the principal or the properties of one request never changes another's.
/// </remarks>
internal static class CognitoClaims
{
    private static readonly ConditionalWeakTable<AuthTokens, Parts> Sessions = new();
    private static readonly ConditionalWeakTable<AccessTokenClaims, Parts> BearerTokens = new();

    /// <summary>The principal of a verified session, for one request.</summary>
    internal static ClaimsPrincipal Principal(AuthTokens tokens, string scheme, out AuthenticationProperties properties)
    {
        properties = Of(tokens).Properties.Clone();
        return new ClaimsPrincipal(Identity(tokens, scheme));
    }

    /// <summary>The principal of a verified bearer token, for one request.</summary>
    internal static ClaimsPrincipal Principal(AccessTokenClaims access, string scheme, out AuthenticationProperties properties)
    {
        properties = Of(access).Properties.Clone();
        return new ClaimsPrincipal(Identity(access, scheme));
    }

    /// <summary>The identity of a verified session, for one request.</summary>
    internal static ClaimsIdentity Identity(AuthTokens tokens, string scheme) => new(Of(tokens).Claims, scheme, ClaimTypes.Name, ClaimTypes.Role);

    /// <summary>The identity of a verified access token, for one request (also what the JwtBearer bridge hands AddJwtBearer).</summary>
    internal static ClaimsIdentity Identity(AccessTokenClaims access, string scheme) => new(Of(access).Claims, scheme, ClaimTypes.Name, ClaimTypes.Role);

    private static Parts Of(AuthTokens tokens) =>
        Sessions.GetValue(tokens, static t => new Parts([.. Claims(t)], new AuthenticationProperties { ExpiresUtc = t.ExpiresAt, IssuedUtc = t.Id.IssuedAt }));

    private static Parts Of(AccessTokenClaims access) =>
        BearerTokens.GetValue(access, static a => new Parts([.. Claims(a)], new AuthenticationProperties { ExpiresUtc = a.ExpiresAt, IssuedUtc = a.IssuedAt }));

    private static List<Claim> Claims(AuthTokens tokens)
    {
        var issuer = tokens.Id.Issuer;
        var claims = new List<Claim>(16);
        void Add(string type, string value) => claims.Add(new Claim(type, value, ClaimValueTypes.String, issuer));
        Add(ClaimTypes.NameIdentifier, tokens.Sub);
        Add(ClaimTypes.Name, tokens.Username);
        Add("sub", tokens.Sub);
        Add("cognito:username", tokens.Username);
        foreach (var group in tokens.Groups)
        {
            Add(ClaimTypes.Role, group);
            Add("cognito:groups", group);
        }

        foreach (var scope in tokens.Access.Scopes)
        {
            Add("scope", scope);
        }

        if (tokens.Id.Email is { } email)
        {
            Add(ClaimTypes.Email, email);
            Add("email", email);
        }

        if (tokens.Id.EmailVerified is { } verified)
        {
            claims.Add(new Claim("email_verified", verified ? "true" : "false", ClaimValueTypes.Boolean, issuer));
        }

        foreach (var claim in tokens.Id.Payload.EnumerateObject().Where(c => c.Name.StartsWith("custom:", StringComparison.Ordinal)))
        {
            Add(claim.Name, claim.Value.ValueKind == JsonValueKind.String ? claim.Value.GetString()! : claim.Value.GetRawText());
        }

        // The session's horizon (the earlier of the two tokens' exp, Unix seconds): what a live UI needs to
        // know when to look again, on the principal because that is all Blazor's authentication state carries.
        claims.Add(new Claim("exp", tokens.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64, issuer));
        return claims;
    }

    /// <summary>
    /// An access token given as a bearer token: sub → name identifier (for a machine-to-machine token,
    /// sub is the app client: no name), username → name, groups → roles, each scope → a <c>scope</c>
    /// claim, and <c>client_id</c>.
    /// </summary>
    private static List<Claim> Claims(AccessTokenClaims access)
    {
        var issuer = access.Issuer;
        var claims = new List<Claim>(8);
        void Add(string type, string value) => claims.Add(new Claim(type, value, ClaimValueTypes.String, issuer));
        Add(ClaimTypes.NameIdentifier, access.Sub);
        Add("sub", access.Sub);
        Add("client_id", access.ClientId);
        if (access.Username is { } username)
        {
            Add(ClaimTypes.Name, username);
            Add("username", username);
        }

        foreach (var group in access.Groups)
        {
            Add(ClaimTypes.Role, group);
            Add("cognito:groups", group);
        }

        foreach (var scope in access.Scopes)
        {
            Add("scope", scope);
        }

        return claims;
    }

    /// <summary>What a verified session or token gives ASP.NET, kept beside it; never handed out itself (claims are copied, properties cloned).</summary>
    private sealed record Parts(Claim[] Claims, AuthenticationProperties Properties);
}
