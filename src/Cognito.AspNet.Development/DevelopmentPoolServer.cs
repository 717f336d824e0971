namespace Cognito.AspNet.Development;

/// <summary>
/// This app's own address as the development pool's back channel, pinned when the server started: one
/// per app (a singleton of its container), so instances sharing one <see cref="DevelopmentUserPool"/>
/// — a web farm in one process — each post to themselves.
/// </summary>
internal sealed class DevelopmentPoolServer
{
    internal Uri? Address { get; set; }
}
