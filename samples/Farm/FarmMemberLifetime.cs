namespace Cognito.Farm;

/// <summary>
/// The lifetime of each host in the farm (the proxy and every instance): started and stopped by the
/// farm alone. The default console lifetime of each host would take SIGINT and SIGTERM for itself —
/// every one of them cancelling the signal, so the farm's own handler never ran (Ctrl-C left the
/// instances serving; SIGTERM left the process waiting for minutes). Signals are the program's
/// (<c>Program.cs</c>), which then stops the whole farm.
/// </summary>
internal sealed class FarmMemberLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
