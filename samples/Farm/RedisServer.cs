using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Cognito.Farm;

/// <summary>
/// A real Redis (Debian's <c>redis-server</c>) on a free loopback port, started for the farm and stopped
/// with it: no persistence, nothing left on disk, reachable from this machine only.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly string[] Executables = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private readonly Process _process;
    private readonly string _directory;

    private RedisServer(Process process, string directory, int port, ConnectionMultiplexer connection) =>
        (_process, _directory, Port, Connection) = (process, directory, port, connection);

    /// <summary>Its port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>A connection to it.</summary>
    public IConnectionMultiplexer Connection { get; }

    /// <summary>Starts <c>redis-server</c> and waits until it answers (at most 15 s).</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var executable = Executables.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is missing: ./test.sh installs Debian's redis-server when run as root; otherwise run 'sudo apt-get install redis-server'.");
        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("cognito-farm-redis-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--protected-mode", "yes", "--save", "", "--appendonly", "no", "--dir", directory })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
                {
                    EndPoints = { new IPEndPoint(IPAddress.Loopback, port) },
                    AbortOnConnectFail = true,
                    ConnectTimeout = 1000,
                }).ConfigureAwait(false);
                return new RedisServer(process, directory, port, connection);
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
            catch (RedisConnectionException e)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"redis-server did not answer on 127.0.0.1:{port} within 15 s", e);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Ends the server at once (idempotent).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile (Ctrl-C reaches it too: it is in the terminal's process group).
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
