using Microsoft.Extensions.Logging;

namespace Cognito.AspNet.Development;

/// <summary>The development pool's log line (event id 9, as when it was part of Cognito.AspNet).</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, EventName = "DevelopmentPoolInUse", Message = "The development user pool is in use: sign-in at {Url} accepts any username. Never in production.")]
    public static partial void DevelopmentPoolInUse(this ILogger logger, string url);
}
