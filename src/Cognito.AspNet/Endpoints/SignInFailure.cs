using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cognito.AspNet;

/// <summary>A sign-in that cannot complete: a short page saying why (never a token or a code), and a throttled warning.</summary>
internal static class SignInFailure
{
    internal static async Task Write(HttpContext context, WarningThrottle warnings, ILogger logger, int status, string reason)
    {
        logger.Throttled(warnings, "SignInFailed", log => log.SignInFailed(reason));
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var html = HtmlEncoder.Default;
        await context.Response.WriteAsync(Assets.Fill("sign-in-failed.html", ("reason", html.Encode(reason)), ("home", html.Encode(context.Request.PathBase + "/")))).ConfigureAwait(false);
    }

    /// <summary>An OAuth error code from the query as it may be logged and shown: RFC 6749's characters, at most 64 of them.</summary>
    internal static string OAuthCode(string error) =>
        error.Length is > 0 and <= 64 && error.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? error
            : "(an error code that is not one)";
}
