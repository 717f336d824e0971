using Cognito.Farm;

// dotnet run --project samples/Farm [-- --urls http://127.0.0.1:PORT] [--instances N] [--metrics]
var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
var options = new FarmOptions
{
    Urls = configuration["urls"] ?? "http://127.0.0.1:5090",
    Instances = int.TryParse(configuration["instances"], out var n) ? n : 3,
    Metrics = args.Contains("--metrics") || string.Equals(configuration["metrics"], "true", StringComparison.OrdinalIgnoreCase),
};

await using var farm = await Farm.StartAsync(options);
Console.WriteLine($"Cognito web farm on {farm.ProxyAddress}: {farm.Instances.Count} instances of the demo behind a round-robin, non-sticky YARP proxy");
foreach (var instance in farm.Instances)
{
    Console.WriteLine($"  {instance.Name} on {instance.Address}");
}

Console.WriteLine($"  Data Protection key ring in Redis on 127.0.0.1:{farm.Redis!.Port} (key {Farm.KeyRingKey}); development user pool shared; Ctrl-C stops everything");

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
await stop.Task;
