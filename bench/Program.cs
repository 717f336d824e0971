using BenchmarkDotNet.Running;
using Cognito.Bench;

if (args.Length > 0 && args[0] == "serve")
{
    await LoadApp.RunAsync(args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "interleaved")
{
    return Interleaved.Run(args[1..]);
}

// `dotnet run -c Release` runs every benchmark; BenchmarkDotNet's own flags (--filter, --job) select.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
