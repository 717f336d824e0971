using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>Reading the session from a request: the server-side equivalent of the seed's <c>getServerSideAuth(req)</c>.</summary>
public static class HttpContextCognitoExtensions
{
    /// <summary>The verified <see cref="AuthTokens"/> of this request (after authentication), or null when anonymous.</summary>
    public static AuthTokens? GetCognitoTokens(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ICognitoSessionFeature>()?.Tokens;
    }
}
