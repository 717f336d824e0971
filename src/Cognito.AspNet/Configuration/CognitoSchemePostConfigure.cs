using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet;

/// <summary>
/// Fills the defaults of a Cognito scheme's options, and nothing else (checks are in
/// <see cref="CognitoSchemeValidator"/>, the verifier is built by <see cref="CognitoVerifierFactory"/>):
/// the clock.
/// </summary>
internal sealed class CognitoSchemePostConfigure(CognitoSchemes schemes, TimeProvider? timeProvider = null)
    : IPostConfigureOptions<CognitoCookiesOptions>, IPostConfigureOptions<CognitoBearerOptions>
{
    public void PostConfigure(string? name, CognitoCookiesOptions options) => Complete(name, options);

    public void PostConfigure(string? name, CognitoBearerOptions options) => Complete(name, options);

    private void Complete(string? name, AuthenticationSchemeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!schemes.Contains(name))
        {
            return;
        }

        options.TimeProvider ??= timeProvider ?? TimeProvider.System;
    }
}
