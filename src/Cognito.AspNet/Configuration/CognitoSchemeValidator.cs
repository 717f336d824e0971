using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet;

/// <summary>
/// Checks a Cognito scheme's options at start-up (with <c>ValidateOnStart</c>), its verifier included
/// (keys loaded, pool known), and changes nothing in them: a broken configuration stops the app with a message that names the settings to fix (the
/// <c>Cognito</c> section key and the original package's environment variable). Options of other
/// names are skipped.
/// </summary>
internal sealed class CognitoSchemeValidator(CognitoSchemes schemes, CognitoVerifierFactory verifiers, ILoggerFactory? loggers = null)
    : IValidateOptions<CognitoCookiesOptions>, IValidateOptions<CognitoBearerOptions>
{
    public ValidateOptionsResult Validate(string? name, CognitoCookiesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!schemes.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var settings = VerifierSettings.Of(options);
        var addresses = new List<(string Setting, string? Value)>
        {
            ("Cognito:JwksUri", options.JwksUri?.ToString()),
            ("Cognito:RedirectSignIn (REDIRECT_SIGN_IN)", options.RedirectSignIn),
        };
        if (options.Endpoints is null && !string.IsNullOrWhiteSpace(options.Domain))
        {
            addresses.Add(("Cognito:Domain (IDP_DOMAIN)", CognitoUris.DomainAddress(options)));
        }

        var problem = Required(settings, hostedUi: string.IsNullOrWhiteSpace(options.Domain) && options.Endpoints is null)
            ?? Pool(settings)
            ?? BasePath(options)
            ?? Limits(options)
            ?? Transport(settings, addresses)
            ?? verifiers.Check(settings);
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }

    /// <summary>The bearer scheme's checks: the same pool, client, key and transport rules, no hosted UI.</summary>
    public ValidateOptionsResult Validate(string? name, CognitoBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!schemes.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var settings = VerifierSettings.Of(options);
        var problem = Required(settings, hostedUi: false)
            ?? Pool(settings)
            ?? SignOutCheckInterval(options.SignOutCheckInterval)
            ?? Transport(settings, [("Cognito:JwksUri", options.JwksUri?.ToString())])
            ?? verifiers.Check(settings);
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }

    private static string? Required(VerifierSettings options, bool hostedUi)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Region))
        {
            missing.Add("Cognito:Region (USER_POOL_REGION)");
        }

        if (string.IsNullOrWhiteSpace(options.UserPoolId))
        {
            missing.Add("Cognito:UserPoolId (USER_POOL_ID)");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            missing.Add("Cognito:ClientId (USER_POOL_CLIENT_ID)");
        }

        if (hostedUi)
        {
            missing.Add("Cognito:Domain (IDP_DOMAIN, the hosted UI domain)");
        }

        return missing.Count == 0 ? null
            : $"Cognito: missing settings: {string.Join(", ", missing)}. Set them in the Cognito configuration section or as environment variables, " +
              "or add the development user pool (package Cognito.AspNet.Development: services.AddCognitoDevelopmentPool(), Development environment only).";
    }

    private static string? Pool(VerifierSettings options)
    {
        try
        {
            _ = new UserPool(options.Region!, options.UserPoolId!);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"Cognito: {e.Message}";
        }
    }

    private static string? BasePath(CognitoCookiesOptions options) =>
        !options.BasePath.HasValue || options.BasePath.Value!.EndsWith('/')
            ? $"Cognito: BasePath must be a path like /auth, not '{options.BasePath}'."
            : null;

    private static string? Limits(CognitoCookiesOptions options) =>
        options.BackchannelTimeout <= TimeSpan.Zero
            ? $"Cognito: BackchannelTimeout must be positive, not {options.BackchannelTimeout}."
        : options.BackchannelCallsPerClientPerMinute < 0 || options.BackchannelCallsPerSecond < 0
            ? "Cognito: BackchannelCallsPerClientPerMinute and BackchannelCallsPerSecond must be 0 (no limit) or more."
        : options.RefreshTokenGracePeriod < TimeSpan.Zero || options.RefreshTokenGracePeriod > TimeSpan.FromSeconds(60)
            ? $"Cognito: RefreshTokenGracePeriod must be between 0 and 60 s (the app client's RetryGracePeriodSeconds), not {options.RefreshTokenGracePeriod}."
        : SignOutCheckInterval(options.SignOutCheckInterval);

    private static string? SignOutCheckInterval(TimeSpan interval) =>
        interval < TimeSpan.Zero || interval > TimeSpan.FromMinutes(5)
            ? $"Cognito: SignOutCheckInterval must be between 0 (read the sign-out store on every request) and 5 minutes, not {interval}."
            : null;

    /// <summary>
    /// docs/spec.md, "Limits and faults": the hosted UI domain (and so the token and revoke endpoints),
    /// the JWKS address and the callback URL are https, loopback aside, unless
    /// <see cref="CognitoCookiesOptions.RequireHttpsMetadata"/> is off (which is logged as a warning).
    /// </summary>
    private string? Transport(VerifierSettings options, List<(string Setting, string? Value)> addresses)
    {
        if (!options.RequireHttpsMetadata)
        {
            (loggers ?? NullLoggerFactory.Instance).CreateLogger("Cognito.AspNet").HttpsNotRequired(options.UserPoolId!);
            return null;
        }

        foreach (var (setting, value) in addresses)
        {
            if (value is { Length: > 0 } && (!Uri.TryCreate(value, UriKind.Absolute, out var address) || SecureTransport.Refusal(address, setting) is not null))
            {
                return $"Cognito: {setting} is '{value}', which is not https: codes, refresh tokens, the client secret and keys would travel unprotected. " +
                       "Use https (plain http is allowed only to loopback addresses), or set Cognito:RequireHttpsMetadata=false on a network you trust.";
            }
        }

        return null;
    }
}
