using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The verified session of a request, once the scheme has authenticated it.</summary>
public interface ICognitoSessionFeature
{
    /// <summary>The verified tokens, or null for an anonymous request.</summary>
    AuthTokens? Tokens { get; }
}
