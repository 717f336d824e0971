using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cognito.Blazor.Tests;

/// <summary>
/// <c>samples/BlazorDemo</c> as a user runs it (its own process, Development, the development pool),
/// on a free port of 127.0.0.1, with short-lived tokens so refresh and expiry happen within a test.
/// </summary>
internal sealed partial class BlazorDemoProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BlazorDemoProcess(Process process, Uri address) => (_process, Address) = (process, address);

    internal Uri Address { get; }

    /// <summary>The process's resident set (VmRSS), in KiB.</summary>
    internal long ResidentKiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    internal static async Task<BlazorDemoProcess> StartAsync(IDictionary<string, string> settings)
    {
        var root = RepositoryRoot();
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var project = Path.Combine(root, "samples", "BlazorDemo");
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "Cognito.BlazorDemo.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first.");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var found = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                found.TrySetException(new InvalidOperationException("BlazorDemo exited:\n" + string.Join('\n', output)));
                return;
            }

            output.Enqueue(e.Data);
            if (AddressLine().Match(e.Data) is { Success: true } match)
            {
                found.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = await found.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new BlazorDemoProcess(process, address);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cognito.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Cognito.slnx) is not above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Cognito Blazor demo on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex AddressLine();
}
