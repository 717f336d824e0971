using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The verified session of a request, once the scheme has authenticated it.</summary>
public interface ICognitoSessionFeature
{
    /// <summary>The verified tokens, or null for an anonymous request.</summary>
    AuthTokens? Tokens { get; }
}

internal sealed class CognitoSessionFeature(AuthTokens? tokens) : ICognitoSessionFeature
{
    public AuthTokens? Tokens { get; } = tokens;
}

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
