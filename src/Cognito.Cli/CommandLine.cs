namespace Cognito.Cli;

/// <summary>The <c>cognito</c> tool: dispatch to a command; exit codes 0 ok, 1 refused/failed, 2 usage.</summary>
internal static class CommandLine
{
    internal const int Ok = 0;
    internal const int Failed = 1;
    internal const int Usage = 2;

    internal const string Help = """
        cognito — AWS Cognito cookies for .NET

        Commands:
          pems     fetch a user pool's JWKS, validate the keys and merge them into pems.json
                   --region R --user-pool-id P [--out pems.json] [--jwks-url URL] [--timeout SECONDS] [--allow-insecure-http]
          verify   explain why a session is accepted or refused
                   --region R --user-pool-id P --client-id C [--client-id C2 ...] [--pems pems.json] [--now UNIX_SECONDS] [--json]
                   (--cookie-header H | --cookie-file F | --id-token T --access-token T | --id-token T | --access-token T)

        Exit codes: 0 ok (every session accepted), 1 failure (a session refused), 2 usage or configuration error.
        """;

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Help);
            return args.Length == 0 ? Usage : Ok;
        }

        var rest = args[1..];
        return args[0] switch
        {
            "verify" => VerifyCommand.Run(rest, stdout, stderr),
            "pems" => PemsCommand.Run(rest, stdout, stderr),
            _ => UsageError(stderr, $"unknown command '{args[0]}'"),
        };
    }

    internal static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"cognito: {message}");
        stderr.WriteLine("Run `cognito --help` for usage.");
        return Usage;
    }
}
