using System.Text.Json;
using Cognito.Cli;

namespace Cognito.Conformance;

/// <summary>The README's run command, on the committed samples, answers what the README says.</summary>
public sealed class SampleTests
{
    private static string Root([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));

    [Fact]
    public void The_sample_cookie_headers_give_the_codes_the_README_shows()
    {
        var root = Root();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(
            ["verify", "--region", "eu-west-1", "--user-pool-id", "eu-west-1_SamplePool", "--client-id", "4sample0client0id0demo0abc",
             "--pems", Path.Combine(root, "pems.json"), "--now", "1767225600", "--json", "--cookie-file", Path.Combine(root, "samples", "cookie-headers.txt")],
            stdout,
            stderr);
        Assert.Equal(1, code);
        var codes = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(r => r.GetProperty("ok").GetBoolean() ? "ok" : r.GetProperty("code").GetString()!)
            .ToArray();
        Assert.Equal(["ok", "ok", "expired", "wrong-client", "wrong-token-use", "bad-signature", "no-session"], codes);
    }
}
