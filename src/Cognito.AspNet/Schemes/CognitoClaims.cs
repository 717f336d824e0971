using System.Security.Claims;
using System.Text.Json;

namespace Cognito.AspNet;

/// <summary>The claims of the spec's "ASP.NET Core adapter" section (docs/spec.md): sub → name identifier, username → name, groups → roles, scopes, email, custom attributes.</summary>
internal static class CognitoClaims
{
    internal static ClaimsIdentity Identity(AuthTokens tokens, string scheme)
    {
        var issuer = tokens.Id.Issuer;
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        void Add(string type, string value) => identity.AddClaim(new Claim(type, value, ClaimValueTypes.String, issuer));
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
            identity.AddClaim(new Claim("email_verified", verified ? "true" : "false", ClaimValueTypes.Boolean, issuer));
        }

        foreach (var claim in tokens.Id.Payload.EnumerateObject().Where(c => c.Name.StartsWith("custom:", StringComparison.Ordinal)))
        {
            Add(claim.Name, claim.Value.ValueKind == JsonValueKind.String ? claim.Value.GetString()! : claim.Value.GetRawText());
        }

        return identity;
    }

    /// <summary>
    /// An access token given as a bearer token: sub → name identifier (for a machine-to-machine token,
    /// sub is the app client: no name), username → name, groups → roles, each scope → a <c>scope</c>
    /// claim, and <c>client_id</c>.
    /// </summary>
    internal static ClaimsIdentity Identity(AccessTokenClaims access, string scheme)
    {
        var issuer = access.Issuer;
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        void Add(string type, string value) => identity.AddClaim(new Claim(type, value, ClaimValueTypes.String, issuer));
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

        return identity;
    }
}
