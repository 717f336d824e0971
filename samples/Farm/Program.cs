using System.Runtime.InteropServices;
using Cognito.Farm;

// dotnet run --project samples/Farm [-- --urls http://127.0.0.1:PORT] [--instances N] [--metrics]
var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
var options = new FarmOptions
{
    Urls = configuration["urls"] ?? "http://127.0.0.1:5090",
    Instances = int.TryParse(configuration["instances"], out var n) ? n : 3,
    Metrics = args.Contains("--metrics") || string.Equals(configuration["metrics"], "true", StringComparison.OrdinalIgnoreCase),
};

// The program owns the signals (the hosts' lifetimes ignore them): Ctrl-C (SIGINT to the terminal's
// process group), SIGTERM (a service manager, `kill`) and SIGQUIT all stop the whole farm.
using var stop = new CancellationTokenSource();
PosixSignalRegistration[] signals =
[
    .. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        stop.Cancel();
    })),
];

var farm = await Farm.StartAsync(options);
Console.WriteLine($"Cognito web farm on {farm.ProxyAddress}: {farm.Instances.Count} instances of the demo behind a round-robin, non-sticky YARP proxy");
foreach (var instance in farm.Instances)
{
    Console.WriteLine($"  {instance.Name} on {instance.Address}");
}

Console.WriteLine($"  Data Protection key ring in Redis on 127.0.0.1:{farm.Redis!.Port} (key {Farm.KeyRingKey}); development user pool shared; Ctrl-C stops everything");

try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

Console.WriteLine("Stopping the farm: proxy, instances, Redis...");
var stopping = farm.DisposeAsync().AsTask();
if (await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(7))) != stopping)
{
    Console.Error.WriteLine("The farm did not stop within 7 s: Redis ended, exiting anyway");
    farm.Abort();
    return 1;
}

foreach (var signal in signals)
{
    signal.Dispose();
}

Console.WriteLine("Farm stopped");
return 0;
