using System.Runtime.CompilerServices;

namespace Cognito.AspNet;

/// <summary>
/// The runtime of each Cognito scheme, built on first use from its options instance and kept as long as
/// that instance lives: the options stay plain settings, and every configuration step (the app's
/// <c>Configure</c>/<c>PostConfigure</c>, the development pool's) has run before anything is built from
/// them. Options reloaded from configuration are a new instance, so they get a new runtime.
/// </summary>
internal sealed class CognitoRuntimes(CognitoVerifierFactory verifiers)
{
    private readonly ConditionalWeakTable<CognitoCookiesOptions, CognitoRuntime> _built = new();
    private readonly ConditionalWeakTable<CognitoBearerOptions, CognitoAuth> _verifiers = new();

    /// <summary>The runtime of a scheme's options; they were checked at start-up (<c>ValidateOnStart</c>).</summary>
    /// <exception cref="InvalidOperationException">The options cannot be used (only when they were never validated).</exception>
    internal CognitoRuntime Of(CognitoCookiesOptions options) => _built.GetValue(options, Build);

    /// <summary>The verifier of a bearer scheme's options (a bearer scheme calls Cognito for keys only).</summary>
    /// <exception cref="InvalidOperationException">The options cannot be used (only when they were never validated).</exception>
    internal CognitoAuth VerifierOf(CognitoBearerOptions options) =>
        _verifiers.GetValue(options, o => Verifier(VerifierSettings.Of(o)));

    private CognitoAuth Verifier(VerifierSettings settings) =>
        verifiers.Verifier(settings, out var problem)
        ?? throw new InvalidOperationException($"{problem} (These options were used without the start-up check: register the scheme with AddCognitoCookies/AddCognitoBearer/AddCognito.)");

    private CognitoRuntime Build(CognitoCookiesOptions options)
    {
        var auth = Verifier(VerifierSettings.Of(options));
        return new CognitoRuntime(
            auth,
            auth.Options.UserPools[0],
            new BackchannelRateLimiter(options.BackchannelCallsPerClientPerMinute, options.BackchannelCallsPerSecond),
            new WarningThrottle(options.TimeProvider!),
            new SpentStates());
    }
}
