using Cognito.Cli;

namespace Cognito.Conformance;

/// <summary>
/// The <c>cognito</c> tool as a new user meets it: help for each command, a version, and errors in one
/// voice (<c>cognito: COMMAND: …</c>) that never leak .NET's own wording, placeholders or temporary
/// file names.
/// </summary>
public sealed class CliVoiceTests : IAsyncLifetime
{
    private static readonly TestPool Pool = TestPool.Default;
    private readonly string _dir = Directory.CreateTempSubdirectory("cognito-cli-").FullName;
    private JwksServer _server = null!;

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

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("verify", "--cookie-header", "--access-token", "--client-id")]
    [InlineData("pems", "--user-pool-id", "--jwks-url", "--allow-insecure-http")]
    public void Each_command_has_its_help(string command, params string[] options)
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var (code, output, err) = Run(command, help);
            Assert.Equal(0, code);
            Assert.Empty(err);
            Assert.Contains($"cognito {command} [options]", output);
            Assert.All(options, option => Assert.Contains(option, output));
        }
    }

    [Fact]
    public void The_tool_has_help_and_a_version()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("pems", output);
        Assert.Contains("verify", output);
        (code, output, _) = Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        var (code, _, err) = Run();
        Assert.Equal(2, code);
        Assert.StartsWith("cognito: ", err);
        Assert.Contains("cognito --help", err);
    }

    [Theory]
    [InlineData("abc", "'abc' is not a user pool id of region eu-west-1: pool ids look like eu-west-1_AbC123")]
    [InlineData("eu-west-2_Abc", "the user pool 'eu-west-2_Abc' is in region eu-west-2, not eu-west-1")]
    [InlineData("", "--user-pool-id must not be empty (e.g. eu-west-1_AbC123)")]
    public void A_pool_id_that_is_not_one_is_said_in_plain_words(string poolId, string message)
    {
        foreach (var command in new[] { "verify", "pems" })
        {
            string[] args = command == "verify"
                ? ["verify", "--region", "eu-west-1", "--user-pool-id", poolId, "--client-id", "x", "--cookie-header", "a"]
                : ["pems", "--region", "eu-west-1", "--user-pool-id", poolId, "--out", Path.Combine(_dir, "p.json")];
            var (code, _, err) = Run(args);
            Assert.Equal(2, code);
            Assert.Equal($"cognito: {command}: {message}{Environment.NewLine}Run `cognito {command} --help` for usage.{Environment.NewLine}", err);
        }
    }

    [Fact]
    public void A_missing_key_set_names_the_real_pool_in_the_command_to_run()
    {
        var missing = Path.Combine(_dir, "missing", "pems.json");
        var (code, _, err) = Run("verify", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--client-id", "x", "--pems", missing, "--cookie-header", "a");
        Assert.Equal(2, code);
        Assert.Contains($"cognito pems --region {Pool.Region} --user-pool-id {Pool.UserPoolId} --out {missing}", err);
        Assert.DoesNotContain("--region R", err);
        Assert.DoesNotContain("..", err.Replace(missing, string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_key_set_is_one_sentence()
    {
        var broken = Path.Combine(_dir, "broken.json");
        File.WriteAllText(broken, "{ nope");
        var (code, _, err) = Run("verify", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--client-id", "x", "--pems", broken, "--cookie-header", "a");
        Assert.Equal(2, code);
        Assert.StartsWith("cognito: verify: ", err);
        Assert.DoesNotContain("(Parameter", err);
        Assert.DoesNotContain("..", err);
    }

    [Fact]
    public void One_key_is_one_key()
    {
        var output = Path.Combine(_dir, "one.json");
        var (code, stdout, _) = Run("pems", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--out", output, "--jwks-url", _server.JwksUri(Pool.UserPoolId).ToString());
        Assert.Equal(0, code);
        Assert.Contains($": 1 key of user pool {Pool.UserPoolId}", stdout);
    }

    [Fact]
    public void An_output_folder_that_does_not_exist_is_named_and_no_temporary_file_is()
    {
        var output = Path.Combine(_dir, "no-such-folder", "pems.json");
        var (code, _, err) = Run("pems", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--out", output, "--jwks-url", _server.JwksUri(Pool.UserPoolId).ToString());
        Assert.Equal(1, code);
        Assert.Equal($"cognito: pems: cannot write {output}: the folder {Path.GetDirectoryName(output)} does not exist; the old file was not changed{Environment.NewLine}", err);
        Assert.DoesNotContain(".tmp", err);
    }

    [Theory]
    [InlineData("--now", "yesterday")]
    [InlineData("--now", "-5")]
    [InlineData("--frobnicate", "1")]
    public void Usage_errors_speak_in_one_voice(string option, string value)
    {
        var (code, _, err) = Run("verify", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--client-id", "x", "--cookie-header", "a", option, value);
        Assert.Equal(2, code);
        Assert.StartsWith("cognito: verify: ", err);
        Assert.EndsWith($"Run `cognito verify --help` for usage.{Environment.NewLine}", err);
        Assert.Equal(2, err.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
