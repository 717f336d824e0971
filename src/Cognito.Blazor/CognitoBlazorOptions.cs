namespace Cognito.Blazor;

/// <summary>How the Blazor side follows the browser's Cognito session.</summary>
public sealed class CognitoBlazorOptions
{
    /// <summary>
    /// How often a live component asks the server for the session (one <c>GET /auth/session</c>). Never
    /// longer than the session's remaining life: it asks again when the tokens expire (the server then
    /// refreshes them or ends the session). It also asks when the tab becomes visible and at once when
    /// another tab signs in or out. Default 1 minute; at least 1 second.
    /// </summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The session endpoint, relative to the page's base address (default <c>auth/session</c>).</summary>
    public string SessionPath { get; set; } = "auth/session";

    /// <summary>The sign-in endpoint, relative to the page's base address (default <c>auth/login</c>).</summary>
    public string LoginPath { get; set; } = "auth/login";

    /// <summary>The sign-out endpoint, relative to the page's base address (default <c>auth/logout</c>).</summary>
    public string LogoutPath { get; set; } = "auth/logout";

    /// <summary>What is wrong with these options, or null.</summary>
    internal string? Problem() =>
        RevalidationInterval < TimeSpan.FromSeconds(1) ? $"RevalidationInterval must be at least 1 second (is {RevalidationInterval})."
        : RevalidationInterval > TimeSpan.FromDays(1) ? $"RevalidationInterval must be at most 1 day (is {RevalidationInterval})."
        : new[] { SessionPath, LoginPath, LogoutPath }.Any(p => string.IsNullOrWhiteSpace(p) || p.StartsWith("//", StringComparison.Ordinal) || p.Contains(':', StringComparison.Ordinal))
            ? "SessionPath, LoginPath and LogoutPath must be paths of this site (no scheme, no leading //)."
            : null;
}
