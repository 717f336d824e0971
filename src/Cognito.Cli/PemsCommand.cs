using System.CommandLine;

namespace Cognito.Cli;

/// <summary>
/// <c>cognito pems</c>: the seed's <c>prepare-pems</c>, hardened. Fetches a pool's JWKS, validates
/// every key, converts them to SPKI PEM and merges them into pems.json (other regions and pools
/// kept, sorted, stable), writing atomically: a failed run leaves the old file byte for byte.
/// </summary>
internal static class PemsCommand
{
    private const string Name = "pems";

    internal static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var region = new Option<string>("--region") { Description = "The user pool's AWS region, e.g. eu-west-1.", Required = true };
        var poolId = new Option<string>("--user-pool-id") { Description = "The user pool id, e.g. eu-west-1_AbC123.", Required = true };
        var output = new Option<string>("--out") { Description = "The pems.json to create or merge into.", DefaultValueFactory = _ => "pems.json" };
        var jwksUrl = new Option<string?>("--jwks-url") { Description = "Where the keys are, when not the pool's own JWKS address (https://cognito-idp.{region}.amazonaws.com/{pool}/.well-known/jwks.json)." };
        var timeout = new Option<string>("--timeout") { Description = "Seconds to wait for the JWKS (more than 0, at most 600).", DefaultValueFactory = _ => "10" };
        var insecure = new Option<bool>("--allow-insecure-http") { Description = "Allow a plain-http --jwks-url that is not a loopback address." };
        jwksUrl.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } url && !IsWebAddress(url, out _))
            {
                result.AddError($"--jwks-url must be an http(s) address, not '{url}'");
            }
        });
        timeout.Validators.Add(result => CommandLine.Number(result, "seconds between 0 and 600", seconds => seconds is > 0 and <= 600));

        var command = new Command(Name, "Fetch a user pool's keys (its JWKS), validate them and merge them into pems.json.")
        {
            region, poolId, output, jwksUrl, timeout, insecure,
        };
        command.SetAction(parsed => RunAsync(
            parsed.GetValue(region)!,
            parsed.GetValue(poolId)!,
            parsed.GetValue(output)!,
            parsed.GetValue(jwksUrl) is { } url && IsWebAddress(url, out var uri) ? uri : null,
            TimeSpan.FromSeconds(double.Parse(parsed.GetValue(timeout)!, System.Globalization.CultureInfo.InvariantCulture)),
            parsed.GetValue(insecure),
            stdout,
            stderr).GetAwaiter().GetResult());
        return command;
    }

    private static bool IsWebAddress(string url, out Uri uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri!) && uri.Scheme is "http" or "https";

    private static async Task<int> RunAsync(string region, string poolId, string out_, Uri? jwksUrl, TimeSpan timeout, bool allowInsecureHttp, TextWriter stdout, TextWriter stderr)
    {
        if (CommandLine.Pool(region, poolId, out var error) is not { } pool)
        {
            return CommandLine.UsageError(stderr, Name, error!);
        }

        var output = Path.GetFullPath(out_);
        var existing = KeySet.Empty;
        if (File.Exists(output))
        {
            var broken = PemsFile.Parse(await File.ReadAllTextAsync(output).ConfigureAwait(false)).MatchUnsafe<string?>(
                Right: keys =>
                {
                    existing = keys;
                    return null;
                },
                Left: error => error.Message);
            if (broken is not null)
            {
                stderr.WriteLine($"cognito: {Name}: the existing {output} cannot be read ({CommandLine.Clause(broken)}); fix or move it, nothing was written");
                return CommandLine.Failed;
            }
        }

        // Redirects are not followed (keys come only from the address given); plain http only to loopback
        // unless --allow-insecure-http. A refused address fails before any network use.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var fetched = await new JwksClient(http, timeout, requireHttps: !allowInsecureHttp).FetchAsync(pool, jwksUrl).ConfigureAwait(false);
        return fetched.Match(
            Right: keys => Write(pool, existing, keys, output, stdout, stderr),
            Left: failure =>
            {
                stderr.WriteLine($"cognito: {Name}: {CommandLine.Clause(failure.Message)}; {output} was not changed");
                return CommandLine.Failed;
            });
    }

    private static int Write(UserPool pool, KeySet existing, KeySet keys, string output, TextWriter stdout, TextWriter stderr)
    {
        var known = existing.KeysOf(pool).Select(k => k.Kid).ToHashSet(StringComparer.Ordinal);
        try
        {
            WriteAtomically(output, PemsFile.Serialize(existing.Merge(keys)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var folder = Path.GetDirectoryName(output)!;
            var reason = !Directory.Exists(folder) ? $"the folder {folder} does not exist"
                : e is UnauthorizedAccessException ? "permission denied"
                : "the file system refused the write";
            stderr.WriteLine($"cognito: {Name}: cannot write {output}: {reason}; the old file was not changed");
            return CommandLine.Failed;
        }

        var kids = keys.Keys.Select(k => known.Contains(k.Kid) ? $"{k.Kid} (already there)" : $"{k.Kid} (added)").ToList();
        stdout.WriteLine($"{output}: {kids.Count} {(kids.Count == 1 ? "key" : "keys")} of user pool {pool.UserPoolId} (region {pool.Region}): {string.Join(", ", kids)}");
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
