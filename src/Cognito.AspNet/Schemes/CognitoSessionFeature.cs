using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

internal sealed class CognitoSessionFeature(AuthTokens? tokens) : ICognitoSessionFeature
{
    public AuthTokens? Tokens { get; } = tokens;
}
