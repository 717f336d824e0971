using Microsoft.AspNetCore.Authorization;

namespace Cognito.AspNet;

/// <summary>Authorization by OAuth scope: <c>policy.RequireScope("orders/read")</c>.</summary>
public static class ScopePolicies
{
    /// <summary>
    /// Requires one of <paramref name="scopes"/> (compared ordinally). Reads <c>scope</c> claims as this
    /// library writes them (one claim per scope) and as other handlers do (one space-separated claim,
    /// e.g. JwtBearer's), so a policy works whichever scheme authenticated the request.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Length == 0 || scopes.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one scope, none of them empty.", nameof(scopes));
        }

        return policy.RequireAssertion(context => context.User.FindAll("scope")
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(scope => scopes.Contains(scope, StringComparer.Ordinal)));
    }
}
