using System.CommandLine;
using System.CommandLine.Help;

namespace Cognito.Cli;

/// <summary>
/// The <c>cognito</c> tool on System.CommandLine: per-command help (<c>--help</c>), <c>--version</c>, and
/// one voice for errors (<c>cognito: COMMAND: what is wrong</c>, then where to read more). Exit codes:
/// 0 ok, 1 refused or failed, 2 usage or configuration error.
/// </summary>
internal static class CommandLine
{
    internal const int Ok = 0;
    internal const int Failed = 1;
    internal const int Usage = 2;

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // A command named "cognito" (a RootCommand takes the process's name, "dotnet" or a test host's).
        var root = new Command("cognito", "AWS Cognito for .NET: fetch a user pool's keys into pems.json, and explain why a session or token is accepted or refused.")
        {
            new HelpOption { Recursive = true },
            new VersionOption(),
            PemsCommand.Create(stdout, stderr),
            VerifyCommand.Create(stdout, stderr),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command;
            return UsageError(stderr, command == root ? null : command.Name, Clause(parsed.Errors[0].Message));
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>A usage or configuration error: <c>cognito: verify: --now must be …</c>, and where the help is; exit 2.</summary>
    internal static int UsageError(TextWriter stderr, string? command, string message)
    {
        stderr.WriteLine(command is null ? $"cognito: {message}" : $"cognito: {command}: {message}");
        stderr.WriteLine(command is null ? "Run `cognito --help` for usage." : $"Run `cognito {command} --help` for usage.");
        return Usage;
    }

    /// <summary>The user pool of <c>--region</c> and <c>--user-pool-id</c>, or why they do not name one.</summary>
    internal static UserPool? Pool(string region, string userPoolId, out string? error)
    {
        error = string.IsNullOrWhiteSpace(region) ? "--region must not be empty (e.g. eu-west-1)"
            : string.IsNullOrWhiteSpace(userPoolId) ? "--user-pool-id must not be empty (e.g. eu-west-1_AbC123)"
            : userPoolId.IndexOf('_', StringComparison.Ordinal) is var underscore and > 0 && UserPool.IsPoolIdOf(userPoolId[..underscore], userPoolId) && userPoolId[..underscore] != region
                ? $"the user pool '{userPoolId}' is in region {userPoolId[..underscore]}, not {region}"
            : !UserPool.IsPoolIdOf(region, userPoolId)
                ? $"'{userPoolId}' is not a user pool id of region {region}: pool ids look like {region}_AbC123"
            : null;
        return error is null ? new UserPool(region, userPoolId) : null;
    }

    /// <summary>A number given as text, in the tool's own words when it is not one.</summary>
    internal static void Number(System.CommandLine.Parsing.OptionResult result, string rule, Func<double, bool> allowed)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
        if (text is not null && !(double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && allowed(value)))
        {
            result.AddError($"{result.IdentifierToken?.Value ?? result.Option.Name} must be {rule}, not '{text}'");
        }
    }

    /// <summary>An exception's message as one clause of a sentence: no trailing period.</summary>
    internal static string Clause(string message) => message.TrimEnd().TrimEnd('.');
}
