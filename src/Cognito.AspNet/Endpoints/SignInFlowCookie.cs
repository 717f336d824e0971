using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// The sign-in in progress (state, PKCE verifier, return URL, callback URL), kept between
/// <c>/auth/login</c> and <c>/auth/callback</c> in a short-lived, HttpOnly cookie protected with ASP.NET
/// Core Data Protection and scoped to the endpoints' path.
/// </summary>
internal sealed class SignInFlowCookie(IDataProtectionProvider dataProtection)
{
    internal const string Name = ".Cognito.SignIn";
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Cognito.AspNet.SignIn.v1");

    internal void Write(HttpContext context, CognitoCookiesOptions options, SignInFlow flow) =>
        SetCookie.Append(context, Cookie(context, options, _protector.Protect(JsonSerializer.Serialize(flow, AdapterJson.Default.SignInFlow)), expire: false));

    /// <summary>
    /// The flow of this browser, or null: no cookie, a cookie this server cannot unprotect, or one older
    /// than <see cref="Lifetime"/>. <paramref name="unreadable"/> tells the second case apart: a cookie
    /// protected with a key this server's key ring does not hold — on a web farm, the sign-in started on
    /// an instance with another key ring.
    /// </summary>
    internal SignInFlow? Read(HttpContext context, CognitoCookiesOptions options, out bool unreadable)
    {
        unreadable = false;
        if (context.Request.Cookies[Name] is not { Length: > 0 } protectedFlow)
        {
            return null;
        }

        try
        {
            var flow = JsonSerializer.Deserialize(_protector.Unprotect(protectedFlow), AdapterJson.Default.SignInFlow);
            return flow is not null && flow.ExpiresAt > options.TimeProvider!.GetUtcNow() ? flow : null;
        }
        catch (CryptographicException)
        {
            unreadable = true;
            return null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    internal static void Expire(HttpContext context, CognitoCookiesOptions options) =>
        SetCookie.Append(context, Cookie(context, options, "", expire: true));

    private static string Cookie(HttpContext context, CognitoCookiesOptions options, string value, bool expire) =>
        SetCookie.Header(
            Name,
            value,
            SetCookie.Own(context, $"{context.Request.PathBase}{options.BasePath}"),
            expires: expire ? DateTimeOffset.UnixEpoch : null,
            maxAge: expire ? TimeSpan.Zero : Lifetime);
}
