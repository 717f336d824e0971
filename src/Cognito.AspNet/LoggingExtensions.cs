using Microsoft.Extensions.Logging;

namespace Cognito.AspNet;

/// <summary>
/// The adapter's log events, with fixed ids. None carries a token, a code or a refresh token; above
/// Debug, users are named by <c>sub</c>, never by username (often an e-mail address); anything taken
/// from a request is a fixed reason or a sanitised, length-capped code, so no one can write a line
/// break (a forged log line) into the log. Warnings anyone can cause go through a <see cref="WarningThrottle"/>.
/// </summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, EventName = "SessionRefused", Message = "Cognito session refused: {Code} ({Reason})")]
    public static partial void SessionRefused(this ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, EventName = "SessionAccepted", Message = "Cognito session accepted for {Username}")]
    public static partial void SessionAccepted(this ILogger logger, string username);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, EventName = "SessionRefreshed", Message = "Cognito tokens refreshed for sub {Sub}")]
    public static partial void SessionRefreshed(this ILogger logger, string sub);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, EventName = "RefreshFailed", Message = "Cognito token refresh failed: {Error}")]
    public static partial void RefreshFailed(this ILogger logger, string error);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, EventName = "SignInFailed", Message = "Cognito sign-in failed: {Reason}")]
    public static partial void SignInFailed(this ILogger logger, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, EventName = "SignedIn", Message = "Signed in sub {Sub}")]
    public static partial void SignedIn(this ILogger logger, string sub);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, EventName = "SignedOut", Message = "Signed out sub {Sub}")]
    public static partial void SignedOut(this ILogger logger, string? sub);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, EventName = "RevokeFailed", Message = "Cognito refresh token revocation failed (sign-out continues)")]
    public static partial void RevokeFailed(this ILogger logger);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, EventName = "KeyFetchFailed", Message = "Fetching the JWKS of user pool {UserPoolId} failed (the keys already loaded stay in use): {Reason}")]
    public static partial void KeyFetchFailed(this ILogger logger, string userPoolId, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, EventName = "HttpsNotRequired", Message = "RequireHttpsMetadata is off for user pool {UserPoolId}: codes, refresh tokens, the client secret and keys may travel over plain http. Only on a network you trust.")]
    public static partial void HttpsNotRequired(this ILogger logger, string userPoolId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, EventName = "DuplicateSessionCookies", Message = "A Cookie header carries one of the app client's Amplify cookie names more than once (a cookie tossed by another site or path?): the session is not refreshed")]
    public static partial void DuplicateSessionCookies(this ILogger logger);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, EventName = "RefreshedAnotherUser", Message = "A refresh returned tokens of another user than the session's (sub {Sub}): refused, the cookies are not rewritten")]
    public static partial void RefreshedAnotherUser(this ILogger logger, string sub);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, EventName = "BackchannelRateLimited", Message = "A call to Cognito ({Call}) was not made: the rate limit for this client or for the server is reached")]
    public static partial void BackchannelRateLimited(this ILogger logger, string call);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, EventName = "CrossSiteSignOutRefused", Message = "A sign-out request came from another site ({Evidence}): refused")]
    public static partial void CrossSiteSignOutRefused(this ILogger logger, string evidence);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, EventName = "WarningsSuppressed", Message = "{Count} more {Kind} warnings were left out in the last minute")]
    public static partial void WarningsSuppressed(this ILogger logger, int count, string kind);

    [LoggerMessage(EventId = 17, Level = LogLevel.Debug, EventName = "SessionRefusedByApp", Message = "Cognito session verified but refused by the application's OnSessionValidated: {Reason}")]
    public static partial void SessionRefusedByApp(this ILogger logger, string reason);

    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, EventName = "SignInStateUnreadable", Message = "Cognito sign-in state could not be read: the sign-in cookie was protected with a Data Protection key this instance does not have. When the app runs on several instances (a web farm, containers, a scale set), they must share one Data Protection key ring: persist the keys to a shared store (Redis, a database, blob storage, a shared folder) with one application name; see {Help}")]
    public static partial void SignInStateUnreadable(this ILogger logger, string help);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning, EventName = "CookieTooLarge", Message = "Cognito {Kind} cookie is {Bytes} bytes, over the {Limit} bytes a browser keeps per cookie: the browser drops it without a word and the user looks signed out. Make the tokens smaller: fewer groups, fewer or shorter custom claims (a pre-token-generation Lambda adds them)")]
    public static partial void CookieTooLarge(this ILogger logger, string kind, int bytes, int limit);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, EventName = "SignOutStoreFailed", Message = "The sign-out store (IDistributedCache) could not be {Operation} ({Exception}): sessions it cannot check are refused until it answers")]
    public static partial void SignOutStoreFailed(this ILogger logger, string operation, string exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, EventName = "SessionTooLargeForServer", Message = "Cognito session cookies would make a Cookie header of {Bytes} bytes, over the {Limit} bytes this server accepts in a request's headers (Kestrel's MaxRequestHeadersTotalSize, less room for the other headers): the cookies are not written, or every later request, sign-out included, would be refused with 431. Make the tokens smaller (fewer groups, fewer or shorter custom claims) or raise the server's limit")]
    public static partial void SessionTooLargeForServer(this ILogger logger, int bytes, int limit);

    /// <summary>Writes a warning through <paramref name="throttle"/>: at most a few of one kind a minute, then a count of the rest.</summary>
    public static void Throttled(this ILogger logger, WarningThrottle throttle, string kind, Action<ILogger> write)
    {
        if (!throttle.Allow(kind, out var suppressed))
        {
            return;
        }

        if (suppressed > 0)
        {
            logger.WarningsSuppressed(suppressed, kind);
        }

        write(logger);
    }
}
