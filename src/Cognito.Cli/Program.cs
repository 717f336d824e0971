using Cognito.Cli;

return CommandLine.Run(args, Console.Out, Console.Error);
