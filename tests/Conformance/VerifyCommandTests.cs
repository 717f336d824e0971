using System.Diagnostics;
using System.Text.Json;
using Cognito.Cli;

namespace Cognito.Conformance;

/// <summary>docs/spec.md, "Command-line tool": <c>cognito verify</c>, in-process and as a real process.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private static readonly TestPool Pool = TestPool.Default;
    private readonly string _dir = Directory.CreateTempSubdirectory("cognito-verify-").FullName;
    private readonly string _pems;

    public VerifyCommandTests()
    {
        _pems = Path.Combine(_dir, "pems.json");
        File.WriteAllText(_pems, TestPool.PemsJson(Pool));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Base(params string[] rest) =>
        ["verify", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--client-id", Pool.ClientId, "--pems", _pems, "--now", TestPool.Now.ToUnixTimeSeconds().ToString(), .. rest];

    private static (int Code, string Out, string Err) Run(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void An_accepted_cookie_header_exits_0_with_the_user()
    {
        var (code, output, _) = Run(Base("--cookie-header", Pool.CookieHeader("jane.doe", ["admin"])));
        Assert.Equal(0, code);
        Assert.Contains("accepted jane.doe", output);
        Assert.Contains("admin", output);
    }

    [Fact]
    public void Json_output_for_an_accepted_session()
    {
        var (code, output, _) = Run(Base("--json", "--cookie-header", Pool.CookieHeader("jane.doe", ["admin"])));
        Assert.Equal(0, code);
        using var line = JsonDocument.Parse(output.Trim());
        Assert.True(line.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("jane.doe", line.RootElement.GetProperty("username").GetString());
        Assert.Equal("5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", line.RootElement.GetProperty("sub").GetString());
        Assert.Equal("admin", line.RootElement.GetProperty("groups")[0].GetString());
        Assert.Equal(TestPool.Now.AddHours(1).ToUnixTimeSeconds(), line.RootElement.GetProperty("expiresAt").GetInt64());
    }

    [Fact]
    public void A_cookie_file_is_answered_line_by_line_with_codes_and_exit_1()
    {
        var file = Path.Combine(_dir, "headers.txt");
        var expired = Pool.IdClaims();
        expired["exp"] = TestPool.Now.ToUnixTimeSeconds() - 3600;
        File.WriteAllLines(file,
        [
            Pool.CookieHeader(),
            "",
            "theme=dark",
            AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.Sign(expired), Pool.AccessToken()),
            AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.AccessToken(), Pool.AccessToken()),
        ]);
        var (code, output, _) = Run(Base("--json", "--cookie-file", file));
        Assert.Equal(1, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(4, lines.Length);
        Assert.True(lines[0].GetProperty("ok").GetBoolean());
        Assert.Equal(["no-session", "expired", "wrong-token-use"], lines[1..].Select(l => l.GetProperty("code").GetString()));
        Assert.Equal("id token expired 3600 s ago (exp 1767222000, clock skew 60 s)", lines[2].GetProperty("message").GetString());
        Assert.DoesNotContain(Pool.AccessToken().Split('.')[1], output);
    }

    [Fact]
    public void Now_pins_the_clock_to_replay_a_past_failure()
    {
        var header = Pool.CookieHeader();
        var later = TestPool.Now.AddDays(1).ToUnixTimeSeconds().ToString();
        var args = Base("--json", "--cookie-header", header);
        args[Array.IndexOf(args, "--now") + 1] = later;
        var (code, output, _) = Run(args);
        Assert.Equal(1, code);
        Assert.Contains("\"code\":\"expired\"", output);
    }

    [Fact]
    public void Id_and_access_tokens_can_be_given_directly()
    {
        var (code, output, _) = Run(Base("--id-token", Pool.IdToken(), "--access-token", Pool.AccessToken()));
        Assert.Equal(0, code);
        Assert.Contains("accepted jane.doe", output);
    }

    [Fact]
    public void One_token_alone_is_verified_as_an_API_gets_it()
    {
        var (code, output, _) = Run(Base("--access-token", Pool.AccessToken("jane.doe", ["admin"]), "--json"));
        Assert.Equal(0, code);
        Assert.Equal($"{{\"ok\":true,\"tokenUse\":\"access\",\"sub\":\"5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f\",\"username\":\"jane.doe\",\"clientId\":\"{Pool.ClientId}\",\"scopes\":[\"openid\",\"email\"],\"groups\":[\"admin\"],\"expiresAt\":{TestPool.Now.ToUnixTimeSeconds() + 3600}}}\n", output);

        var machine = Pool.AccessClaims();
        machine.Remove("username");
        machine["sub"] = Pool.ClientId;
        machine["scope"] = "orders/read";
        (code, output, _) = Run(Base("--access-token", Pool.Sign(machine)));
        Assert.Equal(0, code);
        Assert.Equal($"accepted access token of app client {Pool.ClientId} (machine to machine, sub {Pool.ClientId}, scopes [orders/read], expires 2026-01-01T01:00:00Z)\n", output);

        (code, output, _) = Run(Base("--id-token", Pool.IdToken()));
        Assert.Equal(0, code);
        Assert.Equal($"accepted id token of jane.doe for app client {Pool.ClientId} (sub 5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f, groups [], expires 2026-01-01T01:00:00Z)\n", output);

        (code, output, _) = Run(Base("--access-token", Pool.IdToken(), "--json"));
        Assert.Equal(1, code);
        Assert.StartsWith("{\"ok\":false,\"code\":\"wrong-token-use\"", output);
        Assert.Equal(1, Run(Base("--id-token", "a.b.c")).Code);
    }

    [Fact]
    public void The_client_id_may_be_repeated()
    {
        var mobile = new TestPool(Pool.Region, Pool.UserPoolId, "mobileclient000000000000", Pool.Kid, Pool.Key);
        Assert.Equal(1, Run(Base("--cookie-header", mobile.CookieHeader())).Code);
        var (code, output, _) = Run(Base("--client-id", mobile.ClientId, "--cookie-header", mobile.CookieHeader()));
        Assert.Equal(0, code);
        Assert.StartsWith("accepted jane.doe", output);
        Assert.Equal(0, Run(Base("--client-id", mobile.ClientId, "--access-token", mobile.AccessToken())).Code);
        Assert.Equal(2, Run(Base("--client-id", Pool.ClientId, "--cookie-header", "x")).Code); // a client listed twice is a configuration error
    }

    [Theory]
    [InlineData("--bogus", "x")]
    [InlineData("--region", "eu-west-2", "--cookie-header", "a")]
    [InlineData("--cookie-header", "a", "--cookie-file", "b")]
    [InlineData("--now", "yesterday", "--cookie-header", "a")]
    public void Usage_errors_exit_2(params string[] rest)
    {
        var (code, _, err) = Run(Base(rest));
        Assert.Equal(2, code);
        Assert.StartsWith("cognito: ", err);
    }

    [Fact]
    public void A_missing_required_option_exits_2() =>
        Assert.Equal(2, Run(["verify", "--region", "eu-west-1", "--cookie-header", "x"]).Code);

    [Fact]
    public void A_missing_pems_file_is_a_configuration_error_exit_2()
    {
        var args = Base("--cookie-header", "x");
        args[Array.IndexOf(args, "--pems") + 1] = Path.Combine(_dir, "missing.json");
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains("cognito pems", err);
    }

    [Fact]
    public void The_real_tool_runs_as_a_process_with_the_same_exit_codes()
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "cognito.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { tool }.Concat(Base("--json", "--cookie-header", Pool.CookieHeader().Replace(".idToken=", ".idToken=x"))))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(1, process.ExitCode);
        Assert.StartsWith("{\"ok\":false,\"code\":\"malformed\"", output);
    }
}
