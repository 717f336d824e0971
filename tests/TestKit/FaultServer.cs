using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Cognito.TestKit;

/// <summary>The faults a <see cref="FaultServer"/> injects, one per request.</summary>
public enum Fault
{
    /// <summary>Nothing listens on the port: the connection is refused.</summary>
    ConnectionRefused,

    /// <summary>The request is read, then the connection is reset (RST) before a status line.</summary>
    ResetBeforeStatus,

    /// <summary>Half a header block, then a reset.</summary>
    ResetMidHeaders,

    /// <summary>Headers announcing 20,000 bytes, 100 of them, then the connection closes.</summary>
    BodyCut,

    /// <summary>Headers and a few bytes, then nothing until long past any timeout.</summary>
    StalledBody,

    /// <summary>A 200 with 1 MB of random bytes as its body.</summary>
    Garbage,

    /// <summary>A 200 with an HTML page (a captive portal, a proxy's error page).</summary>
    Html,

    /// <summary>A 503 with an HTML body.</summary>
    ServerError,

    /// <summary>A 307 to another server (which counts what reaches it).</summary>
    RedirectElsewhere,

    /// <summary>The good answer, late but inside the timeout.</summary>
    SlowButInTime,
}

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 (a socket, not Kestrel, so it can misbehave at any byte): reads
/// each request, then answers with <see cref="Good"/> or with the <see cref="Mode"/> fault. Every
/// answer closes the connection. Counts requests; keeps the last request's text for assertions.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<Task> _connections = [];
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;
    private Fault? _mode;
    private int _requests;

    private FaultServer(int port) => Port = port;

    /// <summary>The port (stays the same while <see cref="Fault.ConnectionRefused"/> closes the listener).</summary>
    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>The good answer: status, content type and body.</summary>
    public Func<(int Status, string ContentType, string Body)> Good { get; set; } = () => (200, "application/json", "{}");

    /// <summary>How long <see cref="Fault.SlowButInTime"/> waits before answering.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>How long <see cref="Fault.StalledBody"/> holds the connection (or until disposal).</summary>
    public TimeSpan Stall { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where <see cref="Fault.RedirectElsewhere"/> sends the client.</summary>
    public Uri? RedirectTarget { get; set; }

    /// <summary>Requests read (a refused connection is none).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The text of the last request read (request line, headers, body).</summary>
    public string LastRequest { get; private set; } = "";

    /// <summary>The fault for the next requests; null answers <see cref="Good"/>.</summary>
    public Fault? Mode
    {
        get => _mode;
        set
        {
            lock (_gate)
            {
                _mode = value;
                if (value == Fault.ConnectionRefused)
                {
                    _listener?.Stop();
                    _listener = null;
                }
                else if (_listener is null)
                {
                    Listen();
                }
            }
        }
    }

    public static FaultServer Start()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new FaultServer(port);
        lock (server._gate)
        {
            server.Listen();
        }

        return server;
    }

    private void Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _accepting = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return; // stopped (ConnectionRefused mode, or disposal)
            }

            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                if (!await ReadRequestAsync(stream).ConfigureAwait(false))
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                await AnswerAsync(client, stream, Mode).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client gave up first (its timeout): nothing to do.
            }
        }
    }

    private async Task<bool> ReadRequestAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString([.. received.Take(headerEnd)]);
        var length = head.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        while (received.Count < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        LastRequest = Encoding.UTF8.GetString([.. received]);
        return true;
    }

    private static int IndexOfHeaderEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private async Task AnswerAsync(TcpClient client, NetworkStream stream, Fault? fault)
    {
        async Task Send(string text) => await stream.WriteAsync(Encoding.UTF8.GetBytes(text), _stop.Token).ConfigureAwait(false);
        static string Head(int status, string reason, string contentType, long length, string extra = "") =>
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {length}\r\nConnection: close\r\n{extra}\r\n";

        switch (fault)
        {
            case Fault.ResetBeforeStatus:
                Reset(client);
                return;
            case Fault.ResetMidHeaders:
                await Send("HTTP/1.1 200 OK\r\nContent-Type: appl").ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
                Reset(client);
                return;
            case Fault.BodyCut:
                await Send(Head(200, "OK", "application/json", 20_000) + "{\"keys\":[" + new string(' ', 91)).ConfigureAwait(false);
                return; // closes after 100 of 20,000 bytes
            case Fault.StalledBody:
                await Send(Head(200, "OK", "application/json", 20_000) + "{\"keys\":[").ConfigureAwait(false);
                await Task.Delay(Stall, _stop.Token).ConfigureAwait(false);
                return;
            case Fault.Garbage:
                var garbage = RandomNumberGenerator.GetBytes(1024 * 1024);
                await Send(Head(200, "OK", "application/json", garbage.Length)).ConfigureAwait(false);
                await stream.WriteAsync(garbage, _stop.Token).ConfigureAwait(false);
                return;
            case Fault.Html:
                const string page = "<!doctype html><html><body><h1>Welcome to the hotel network</h1></body></html>";
                await Send(Head(200, "OK", "text/html", Encoding.UTF8.GetByteCount(page)) + page).ConfigureAwait(false);
                return;
            case Fault.ServerError:
                const string error = "<html><body>503 Service Unavailable</body></html>";
                await Send(Head(503, "Service Unavailable", "text/html", error.Length) + error).ConfigureAwait(false);
                return;
            case Fault.RedirectElsewhere:
                await Send(Head(307, "Temporary Redirect", "text/plain", 0, $"Location: {RedirectTarget}\r\n")).ConfigureAwait(false);
                return;
            case Fault.SlowButInTime:
                await Task.Delay(SlowDelay, _stop.Token).ConfigureAwait(false);
                break;
        }

        var (status, contentType, body) = Good();
        await Send(Head(status, status == 200 ? "OK" : "Error", contentType, Encoding.UTF8.GetByteCount(body)) + body).ConfigureAwait(false);
    }

    private static void Reset(TcpClient client)
    {
        client.Client.LingerState = new LingerOption(true, 0);
        client.Client.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _listener?.Stop();
        }

        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections.Append(_accepting)).ConfigureAwait(false);
        _stop.Dispose();
    }
}
