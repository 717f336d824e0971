using System.Diagnostics;
using System.Security.Cryptography;
using Cognito.Cli;
using Microsoft.AspNetCore.Http;

namespace Cognito.Conformance;

/// <summary>docs/spec.md, "Command-line tool": <c>cognito pems</c> against a real JWKS server on 127.0.0.1.</summary>
public sealed class PemsCommandTests : IAsyncLifetime
{
    private static readonly TestPool Pool = TestPool.Default;
    private readonly string _dir = Directory.CreateTempSubdirectory("cognito-pems-").FullName;
    private JwksServer _server = null!;

    private string Out => Path.Combine(_dir, "pems.json");

    public async Task InitializeAsync()
    {
        _server = await JwksServer.StartAsync();
        _server.Keys[Pool.Kid] = Pool.Key;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private (int Code, string Out, string Err) Pems(params string[] extra)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(
            ["pems", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--out", Out, "--jwks-url", _server.JwksUri(Pool.UserPoolId).ToString(), .. extra],
            stdout,
            stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Fetched_keys_are_merged_into_an_existing_file_keeping_other_pools()
    {
        File.WriteAllText(Out, TestPool.PemsJson(TestPool.Other));
        var (code, output, _) = Pems();
        Assert.Equal(0, code);
        Assert.Contains("key-1 (added)", output);
        var keys = Verdict.Accepted(PemsFile.Parse(File.ReadAllText(Out)));
        Assert.Single(keys.KeysOf(Pool.Pool));
        Assert.Single(keys.KeysOf(TestPool.Other.Pool));
        Verdict.Accepted(Pool.Auth(keys: keys).FromCookieHeader(Pool.CookieHeader()));
    }

    [Fact]
    public void The_file_accepted_by_cognito_verify()
    {
        Assert.Equal(0, Pems().Code);
        using var stdout = new StringWriter();
        var code = CommandLine.Run(
            ["verify", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--client-id", Pool.ClientId, "--pems", Out, "--now", TestPool.Now.ToUnixTimeSeconds().ToString(), "--cookie-header", Pool.CookieHeader()],
            stdout,
            new StringWriter());
        Assert.Equal(0, code);
    }

    [Fact]
    public void A_second_run_after_rotation_adds_the_new_key_and_keeps_the_old()
    {
        Assert.Equal(0, Pems().Code);
        _server.Keys["key-2"] = TestPool.SecondKey;
        var (code, output, _) = Pems();
        Assert.Equal(0, code);
        Assert.Contains("key-1 (already there)", output);
        Assert.Contains("key-2 (added)", output);
        var keys = Verdict.Accepted(PemsFile.Parse(File.ReadAllText(Out)));
        Assert.Equal(["key-1", "key-2"], keys.KeysOf(Pool.Pool).Select(k => k.Kid));
    }

    [Fact]
    public void The_output_is_identical_across_runs()
    {
        Assert.Equal(0, Pems().Code);
        var first = File.ReadAllBytes(Out);
        Assert.Equal(0, Pems().Code);
        Assert.Equal(first, File.ReadAllBytes(Out));
        Assert.EndsWith("}\n", File.ReadAllText(Out));
    }

    public static TheoryData<string, string> Failures() => new()
    {
        { "404", "no such user pool" },
        { "400", "check the region" },
        { "500", "answered 500" },
        { "timeout", "timed out" },
        { "slow-body", "timed out" },
        { "not-json", "not JSON" },
        { "empty-keys", "has no keys" },
        { "rsa-1024", "1024-bit" },
        { "ec", "not an RSA key" },
        { "huge", "more than" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failed_fetch_exits_1_with_a_clear_error_and_leaves_the_old_file_byte_for_byte(string failure, string expected)
    {
        File.WriteAllText(Out, TestPool.PemsJson(TestPool.Other));
        var before = File.ReadAllBytes(Out);
        using var small = RSA.Create(1024);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _server.Override = failure switch
        {
            "404" => c => Status(c, 404),
            "400" => c => Status(c, 400),
            "500" => c => Status(c, 500),
            "timeout" => async c => await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted),
            "slow-body" => async c =>
            {
                await c.Response.WriteAsync("{\"keys\":[");
                await c.Response.Body.FlushAsync();
                await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted);
            },
            "not-json" => c => c.Response.WriteAsync("<html>Service Unavailable</html>"),
            "empty-keys" => c => c.Response.WriteAsync("{\"keys\":[]}"),
            "rsa-1024" => c => c.Response.WriteAsync(JwksServer.Document([new("small-kid", small)])),
            "ec" => c => c.Response.WriteAsync($"{{\"keys\":[{JwksServer.Jwk("ec-kid", ec).ToJsonString()}]}}"),
            "huge" => c => c.Response.WriteAsync(new string(' ', 2 * 1024 * 1024)),
            _ => throw new ArgumentOutOfRangeException(nameof(failure)),
        };
        // A short timeout only where the server stalls on purpose; a busy machine must not turn a 500 into a timeout.
        var (code, _, err) = Pems("--timeout", failure is "timeout" or "slow-body" ? "0.5" : "30");
        Assert.Equal(1, code);
        Assert.Contains(expected, err);
        Assert.Contains("was not changed", err);
        Assert.Equal(before, File.ReadAllBytes(Out));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    private static Task Status(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    [Fact]
    public void An_unreachable_address_is_a_network_error()
    {
        using var stderr = new StringWriter();
        var code = CommandLine.Run(["pems", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--out", Out, "--jwks-url", "http://127.0.0.1:9/jwks.json"], new StringWriter(), stderr);
        Assert.Equal(1, code);
        Assert.Contains("cannot reach", stderr.ToString());
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public void A_broken_existing_file_is_not_overwritten()
    {
        File.WriteAllText(Out, "{ broken");
        var (code, _, err) = Pems();
        Assert.Equal(1, code);
        Assert.Contains("cannot be read", err);
        Assert.Equal("{ broken", File.ReadAllText(Out));
    }

    [Theory]
    [InlineData("--region", "")]
    [InlineData("--jwks-url", "ftp://x")]
    [InlineData("--timeout", "-1")]
    [InlineData("--bogus", "1")]
    public void Usage_errors_exit_2(string option, string value)
    {
        var args = new List<string> { "pems", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--out", Out };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        Assert.Equal(2, CommandLine.Run([.. args], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void The_PEM_loads_in_OpenSSL()
    {
        Assert.Equal(0, Pems().Code);
        var pem = Verdict.Accepted(PemsFile.Parse(File.ReadAllText(Out))).KeysOf(Pool.Pool)[0].ToPem();
        var file = Path.Combine(_dir, "key.pem");
        File.WriteAllText(file, pem);
        var (code, output) = Run("openssl", "pkey", "-pubin", "-in", file, "-noout", "-text");
        Assert.Equal(0, code);
        Assert.Contains("Public-Key: (2048 bit)", output);
    }

    [Fact]
    public void The_PEM_loads_in_Node_crypto_createPublicKey()
    {
        Assert.Equal(0, Pems().Code);
        var pem = Verdict.Accepted(PemsFile.Parse(File.ReadAllText(Out))).KeysOf(Pool.Pool)[0].ToPem();
        var script = Path.Combine(_dir, "load.js");
        File.WriteAllText(script, "const k = require('crypto').createPublicKey(require('fs').readFileSync(process.argv[2], 'utf8')); console.log(k.asymmetricKeyType, k.asymmetricKeyDetails.modulusLength);");
        var file = Path.Combine(_dir, "key.pem");
        File.WriteAllText(file, pem);
        var (code, output) = Run("node", script, file);
        Assert.Equal(0, code);
        Assert.Equal("rsa 2048", output.Trim());
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // openssl and node are on every machine of this project (see README); a missing one fails loudly.
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
