using System.Globalization;

namespace Cognito.Cli;

/// <summary>
/// <c>cognito pems</c>: the seed's <c>prepare-pems</c>, hardened. Fetches a pool's JWKS, validates
/// every key, converts them to SPKI PEM and merges them into pems.json (other regions and pools
/// kept, sorted, stable), writing atomically: a failed run leaves the old file byte for byte.
/// </summary>
internal static class PemsCommand
{
    private static readonly HashSet<string> Options = ["region", "user-pool-id", "out", "jwks-url", "timeout"];
    private static readonly HashSet<string> Flags = ["allow-insecure-http"];

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = Arguments.Parse(args, Options, Flags, out var error);
        if (parsed is null)
        {
            return CommandLine.UsageError(stderr, $"pems: {error}");
        }

        foreach (var required in new[] { "region", "user-pool-id" })
        {
            if (string.IsNullOrEmpty(parsed[required]))
            {
                return CommandLine.UsageError(stderr, $"pems: --{required} is required");
            }
        }

        UserPool pool;
        try
        {
            pool = new UserPool(parsed["region"]!, parsed["user-pool-id"]!);
        }
        catch (ArgumentException e)
        {
            return CommandLine.UsageError(stderr, $"pems: {e.Message}");
        }

        Uri? uri = null;
        if (parsed["jwks-url"] is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
        {
            return CommandLine.UsageError(stderr, $"pems: --jwks-url must be an http(s) URL, not '{url}'");
        }

        var timeout = TimeSpan.FromSeconds(10);
        if (parsed["timeout"] is { } seconds)
        {
            if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s <= 0 || s > 600)
            {
                return CommandLine.UsageError(stderr, $"pems: --timeout must be seconds between 0 and 600, not '{seconds}'");
            }

            timeout = TimeSpan.FromSeconds(s);
        }

        var output = Path.GetFullPath(parsed["out"] ?? "pems.json");
        var existing = KeySet.Empty;
        if (File.Exists(output))
        {
            var loaded = PemsFile.Parse(await File.ReadAllTextAsync(output).ConfigureAwait(false));
            if (loaded.Case is KeyLoadError broken)
            {
                stderr.WriteLine($"cognito: pems: the existing {output} cannot be read ({broken.Message}); fix or move it, nothing was written");
                return CommandLine.Failed;
            }

            existing = (KeySet)loaded.Case!;
        }

        // Redirects are not followed (keys come only from the address given); plain http only to loopback
        // unless --allow-insecure-http. A refused address fails before any network use.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var fetched = await new JwksClient(http, timeout, requireHttps: !parsed.Has("allow-insecure-http")).FetchAsync(pool, uri).ConfigureAwait(false);
        if (fetched.Case is KeyLoadError failure)
        {
            stderr.WriteLine($"cognito: pems: {failure.Message}; {output} was not changed");
            return CommandLine.Failed;
        }

        var keys = (KeySet)fetched.Case!;
        var known = existing.KeysOf(pool).Select(k => k.Kid).ToHashSet(StringComparer.Ordinal);
        var merged = existing.Merge(keys);
        try
        {
            WriteAtomically(output, PemsFile.Serialize(merged));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cognito: pems: cannot write {output}: {e.Message}; the old file was not changed");
            return CommandLine.Failed;
        }

        var kids = keys.Keys.Select(k => known.Contains(k.Kid) ? $"{k.Kid} (already there)" : $"{k.Kid} (added)");
        stdout.WriteLine($"{output}: {keys.Keys.Count()} keys of user pool {pool.UserPoolId} (region {pool.Region}): {string.Join(", ", kids)}");
        return CommandLine.Ok;
    }

    /// <summary>Temp file in the same folder, flushed to disk, then renamed over the target.</summary>
    private static void WriteAtomically(string path, string content)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var bytes = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
