using System.Globalization;
using System.Security.Claims;

namespace Cognito.Blazor;

/// <summary>
/// Who is signed in, as a component sees it (the original package's <c>useAuth()</c>): cascaded by
/// <c>AddCognitoBlazor()</c> / <c>AddCognitoBlazorClient()</c> and kept current as the session changes —
/// <c>[CascadingParameter] public CognitoUser User { get; set; }</c>. Read from the principal's claims
/// (the adapter's: <c>sub</c>, <c>cognito:username</c>, <c>cognito:groups</c>, <c>scope</c>, <c>email</c>,
/// <c>email_verified</c>, <c>custom:*</c>, <c>exp</c>); never a token.
/// </summary>
public sealed class CognitoUser
{
    /// <summary>No one is signed in.</summary>
    public static CognitoUser Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private CognitoUser(ClaimsPrincipal principal)
    {
        Principal = principal;
        IsSignedIn = principal.Identity?.IsAuthenticated == true;
        if (!IsSignedIn)
        {
            return;
        }

        Sub = principal.FindFirst("sub")?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        Username = principal.FindFirst("cognito:username")?.Value ?? principal.FindFirst("username")?.Value ?? principal.Identity?.Name;
        Groups = Values(principal, "cognito:groups");
        Scopes = Values(principal, "scope");
        Email = principal.FindFirst("email")?.Value;
        EmailVerified = principal.FindFirst("email_verified")?.Value switch
        {
            "true" => true,
            "false" => false,
            _ => null,
        };
        Attributes = principal.Claims
            .Where(c => c.Type.StartsWith("custom:", StringComparison.Ordinal))
            .GroupBy(c => c.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        ExpiresAt = long.TryParse(principal.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            && exp <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : null;
    }

    /// <summary>The user for <paramref name="principal"/> (anonymous when it is not authenticated).</summary>
    public static CognitoUser From(ClaimsPrincipal? principal) =>
        principal?.Identity?.IsAuthenticated == true ? new CognitoUser(principal) : Anonymous;

    /// <summary>Whether someone is signed in.</summary>
    public bool IsSignedIn { get; }

    /// <summary>The user's <c>sub</c>.</summary>
    public string? Sub { get; }

    /// <summary>The user's username (<c>cognito:username</c>).</summary>
    public string? Username { get; }

    /// <summary>The user's groups (<c>cognito:groups</c>; ASP.NET Core roles too).</summary>
    public IReadOnlyList<string> Groups { get; } = [];

    /// <summary>The access token's scopes.</summary>
    public IReadOnlyList<string> Scopes { get; } = [];

    /// <summary>The user's email, when the id token has one.</summary>
    public string? Email { get; }

    /// <summary>The id token's <c>email_verified</c>, when it has one.</summary>
    public bool? EmailVerified { get; }

    /// <summary>The id token's custom attributes, by their full name (<c>custom:tenant</c>).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The session's horizon: when its tokens expire (the earlier of the two). The server refreshes a
    /// session with a refresh token before then, and the live user follows; without one it ends there.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>The principal this user was read from.</summary>
    public ClaimsPrincipal Principal { get; }

    /// <summary>Whether the user is in <paramref name="group"/>.</summary>
    public bool IsInGroup(string group) => Groups.Contains(group, StringComparer.Ordinal);

    /// <summary>Whether the session was granted <paramref name="scope"/>.</summary>
    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    private static string[] Values(ClaimsPrincipal principal, string type) =>
        [.. principal.FindAll(type).Select(c => c.Value)];
}
