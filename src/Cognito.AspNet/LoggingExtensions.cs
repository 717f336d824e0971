using Microsoft.Extensions.Logging;

namespace Cognito.AspNet;

/// <summary>The adapter's log events, with fixed ids. None carries a token, a code or a refresh token.</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, EventName = "SessionRefused", Message = "Cognito session refused: {Code} ({Reason})")]
    public static partial void SessionRefused(this ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, EventName = "SessionAccepted", Message = "Cognito session accepted for {Username}")]
    public static partial void SessionAccepted(this ILogger logger, string username);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, EventName = "SessionRefreshed", Message = "Cognito tokens refreshed for {Username}")]
    public static partial void SessionRefreshed(this ILogger logger, string username);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, EventName = "RefreshFailed", Message = "Cognito token refresh failed: {Error}")]
    public static partial void RefreshFailed(this ILogger logger, string error);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, EventName = "SignInFailed", Message = "Cognito sign-in failed: {Reason}")]
    public static partial void SignInFailed(this ILogger logger, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, EventName = "SignedIn", Message = "Signed in {Username}")]
    public static partial void SignedIn(this ILogger logger, string username);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, EventName = "SignedOut", Message = "Signed out {Username}")]
    public static partial void SignedOut(this ILogger logger, string? username);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, EventName = "RevokeFailed", Message = "Cognito refresh token revocation failed (sign-out continues)")]
    public static partial void RevokeFailed(this ILogger logger);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, EventName = "DevelopmentPoolInUse", Message = "The development user pool is in use: sign-in at {Url} accepts any username. Never in production.")]
    public static partial void DevelopmentPoolInUse(this ILogger logger, string url);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, EventName = "KeyFetchFailed", Message = "Fetching the JWKS of user pool {UserPoolId} failed (the keys already loaded stay in use): {Reason}")]
    public static partial void KeyFetchFailed(this ILogger logger, string userPoolId, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, EventName = "HttpsNotRequired", Message = "RequireHttpsMetadata is off for user pool {UserPoolId}: codes, refresh tokens, the client secret and keys may travel over plain http. Only on a network you trust.")]
    public static partial void HttpsNotRequired(this ILogger logger, string userPoolId);
}
