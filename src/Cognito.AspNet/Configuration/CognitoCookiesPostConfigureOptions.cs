using Microsoft.Extensions.Options;

namespace Cognito.AspNet;

/// <summary>
/// Fills the defaults of a Cognito scheme's options, and nothing else (checks are in
/// <see cref="CognitoCookiesOptionsValidator"/>, the verifier is built by <see cref="CognitoVerifierFactory"/>):
/// the clock.
/// </summary>
internal sealed class CognitoCookiesPostConfigureOptions(CognitoSchemes schemes, TimeProvider? timeProvider = null)
    : IPostConfigureOptions<CognitoCookiesOptions>
{
    public void PostConfigure(string? name, CognitoCookiesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!schemes.Contains(name))
        {
            return;
        }

        options.TimeProvider ??= timeProvider ?? TimeProvider.System;
    }
}
