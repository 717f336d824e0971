namespace Cognito.AspNet;

/// <summary>
/// What a Cognito scheme runs on, built from its checked options and kept beside them (never in them):
/// the verifier (shared by schemes configured alike), the pool, and the scheme's own guards — the budget
/// of calls to Cognito, the warning throttle, the store of used sign-in states. From <see cref="CognitoRuntimes"/>.
/// </summary>
internal sealed record CognitoRuntime(CognitoAuth Auth, UserPool Pool, BackchannelRateLimiter RateLimiter, WarningThrottle Warnings, SpentStates SpentStates);
