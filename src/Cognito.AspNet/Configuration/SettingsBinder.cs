using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Cognito.AspNet;

/// <summary>
/// The <c>Cognito</c> section onto a scheme's options, setting by setting: no reflection (Native AOT and
/// trimming bind exactly what the JIT binds), every public setting that configuration can carry, and a
/// value that does not parse stops the start-up with the key that holds it. A list in configuration
/// replaces the default list (<c>Cognito:Scopes:0</c>, <c>:1</c>…).
/// </summary>
internal static class SettingsBinder
{
    internal static void Bind(IConfigurationSection section, CognitoCookiesOptions options)
    {
        Text(section, nameof(options.Region), v => options.Region = v);
        Text(section, nameof(options.UserPoolId), v => options.UserPoolId = v);
        Text(section, nameof(options.ClientId), v => options.ClientId = v);
        List(section, nameof(options.AdditionalClientIds), options.AdditionalClientIds, v => v);
        Text(section, nameof(options.ClientSecret), v => options.ClientSecret = v);
        Text(section, nameof(options.Domain), v => options.Domain = v);
        Text(section, nameof(options.RedirectSignIn), v => options.RedirectSignIn = v);
        Text(section, nameof(options.RedirectSignOut), v => options.RedirectSignOut = v);
        List(section, nameof(options.Scopes), options.Scopes, v => v);
        Text(section, nameof(options.IdentityProvider), v => options.IdentityProvider = v);
        Text(section, nameof(options.PemsPath), v => options.PemsPath = v);
        Parsed(section, nameof(options.FollowKeyRotation), bool.Parse, v => options.FollowKeyRotation = v);
        Parsed(section, nameof(options.JwksUri), v => new Uri(v, UriKind.RelativeOrAbsolute), v => options.JwksUri = v);
        Parsed(section, nameof(options.ClockSkew), Span, v => options.ClockSkew = v);
        Text(section, nameof(options.CookieDomain), v => options.CookieDomain = v);
        Text(section, nameof(options.CookiePath), v => options.CookiePath = v);
        Parsed(section, nameof(options.CookieSecure), v => Enum.Parse<CookieSecurePolicy>(v, ignoreCase: true), v => options.CookieSecure = v);
        Parsed(section, nameof(options.CookieSameSite), v => Enum.Parse<SameSiteMode>(v, ignoreCase: true), v => options.CookieSameSite = v);
        Parsed(section, nameof(options.CookieHttpOnly), bool.Parse, v => options.CookieHttpOnly = v);
        Parsed(section, nameof(options.CookieLifetime), Span, v => options.CookieLifetime = v);
        Parsed(section, nameof(options.BrowserAmplify), bool.Parse, v => options.BrowserAmplify = v);
        Text(section, nameof(options.TokenPageScript), v => options.TokenPageScript = v);
        Parsed(section, nameof(options.RefreshMargin), Span, v => options.RefreshMargin = v);
        Text(section, nameof(options.BasePath), v => options.BasePath = new PathString(v));
        List(section, nameof(options.ApiPaths), options.ApiPaths, v => new PathString(v));
        Parsed(section, nameof(options.RequireHttpsMetadata), bool.Parse, v => options.RequireHttpsMetadata = v);
        Parsed(section, nameof(options.BackchannelTimeout), Span, v => options.BackchannelTimeout = v);
        Parsed(section, nameof(options.BackchannelCallsPerClientPerMinute), Integer, v => options.BackchannelCallsPerClientPerMinute = v);
        Parsed(section, nameof(options.BackchannelCallsPerSecond), Integer, v => options.BackchannelCallsPerSecond = v);
        Parsed(section, nameof(options.RefreshTokenGracePeriod), Span, v => options.RefreshTokenGracePeriod = v);
        Parsed(section, nameof(options.SignOutCheckInterval), Span, v => options.SignOutCheckInterval = v);

        SchemeBasics(section, options);
    }

    /// <summary>AuthenticationSchemeOptions' own settings.</summary>
    private static void SchemeBasics(IConfigurationSection section, AuthenticationSchemeOptions options)
    {
        Text(section, nameof(options.ClaimsIssuer), v => options.ClaimsIssuer = v);
        Text(section, nameof(options.ForwardDefault), v => options.ForwardDefault = v);
        Text(section, nameof(options.ForwardAuthenticate), v => options.ForwardAuthenticate = v);
        Text(section, nameof(options.ForwardChallenge), v => options.ForwardChallenge = v);
        Text(section, nameof(options.ForwardForbid), v => options.ForwardForbid = v);
        Text(section, nameof(options.ForwardSignIn), v => options.ForwardSignIn = v);
        Text(section, nameof(options.ForwardSignOut), v => options.ForwardSignOut = v);
    }

    /// <summary>The bearer scheme's settings, under the same keys as the cookie scheme's.</summary>
    internal static void Bind(IConfigurationSection section, CognitoBearerOptions options)
    {
        Text(section, nameof(options.Region), v => options.Region = v);
        Text(section, nameof(options.UserPoolId), v => options.UserPoolId = v);
        Text(section, nameof(options.ClientId), v => options.ClientId = v);
        List(section, nameof(options.AdditionalClientIds), options.AdditionalClientIds, v => v);
        Text(section, nameof(options.PemsPath), v => options.PemsPath = v);
        Parsed(section, nameof(options.FollowKeyRotation), bool.Parse, v => options.FollowKeyRotation = v);
        Parsed(section, nameof(options.JwksUri), v => new Uri(v, UriKind.RelativeOrAbsolute), v => options.JwksUri = v);
        Parsed(section, nameof(options.ClockSkew), Span, v => options.ClockSkew = v);
        Parsed(section, nameof(options.RequireHttpsMetadata), bool.Parse, v => options.RequireHttpsMetadata = v);
        Parsed(section, nameof(options.SignOutCheckInterval), Span, v => options.SignOutCheckInterval = v);
        SchemeBasics(section, options);
    }

    private static TimeSpan Span(string value) => TimeSpan.Parse(value, CultureInfo.InvariantCulture);

    private static int Integer(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static void Text(IConfigurationSection section, string key, Action<string> set)
    {
        if (section[key] is { } value)
        {
            set(value);
        }
    }

    private static void Parsed<T>(IConfigurationSection section, string key, Func<string, T> parse, Action<T> set)
    {
        if (section[key] is not { Length: > 0 } value)
        {
            return;
        }

        T parsed;
        try
        {
            parsed = parse(value.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"The configuration value at '{section.Path}:{key}' is not a {typeof(T).Name}: fix it in the app's configuration (appsettings.json, environment variable {section.Path}__{key}).",
                e);
        }

        set(parsed);
    }

    private static void List<T>(IConfigurationSection section, string key, IList<T> list, Func<string, T> item)
    {
        var values = section.GetSection(key).GetChildren().Select(child => child.Value).OfType<string>().ToList();
        if (values.Count == 0)
        {
            return;
        }

        list.Clear();
        foreach (var value in values)
        {
            list.Add(item(value));
        }
    }
}
