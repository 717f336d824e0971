using Cognito.AspNet.Development;
using Cognito.Demo;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace Cognito.Farm;

/// <summary>
/// The demo as a web farm on one machine: N instances on loopback ports, each its own process-like app
/// (own container, own caches, own refresh coordinator), their Data Protection key ring and their
/// sign-out store (IDistributedCache) in a real Redis,
/// behind a round-robin, non-sticky YARP proxy. The development pool is one service the instances share,
/// as they would share Cognito.
/// </summary>
public sealed class Farm : IAsyncDisposable
{
    /// <summary>The application name every instance protects its cookies under (one key ring).</summary>
    public const string ApplicationName = "cognito-farm";

    /// <summary>Where in Redis the key ring lives.</summary>
    public const string KeyRingKey = "cognito-farm:data-protection-keys";

    /// <summary>The response header naming the instance that answered.</summary>
    public const string InstanceHeader = "X-Farm-Instance";

    private readonly WebApplication _proxy;

    private Farm(RedisServer? redis, DevelopmentUserPool pool, IReadOnlyList<FarmInstance> instances, WebApplication proxy)
    {
        (Redis, Pool, Instances, _proxy) = (redis, pool, instances, proxy);
        ProxyAddress = new Uri(proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>The Redis holding the key ring (null with an unshared key ring).</summary>
    public RedisServer? Redis { get; }

    /// <summary>The development pool the instances share.</summary>
    public DevelopmentUserPool Pool { get; }

    /// <summary>The instances, in the order the proxy goes round.</summary>
    public IReadOnlyList<FarmInstance> Instances { get; }

    /// <summary>The proxy: the farm's one address.</summary>
    public Uri ProxyAddress { get; }

    /// <summary>The proxy's view of the instances' health (active checks on <c>/health</c> every second, passive on failures).</summary>
    public IProxyStateLookup ProxyState => _proxy.Services.GetRequiredService<IProxyStateLookup>();

    public static async Task<Farm> StartAsync(FarmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Instances is < 1 or > 16)
        {
            throw new InvalidOperationException($"--instances {options.Instances}: from 1 to 16");
        }

        var redis = options.SharedKeyRing ? await RedisServer.StartAsync().ConfigureAwait(false) : null;
        var pool = new DevelopmentUserPool(options.Clock);
        var instances = new List<FarmInstance>();
        for (var i = 1; i <= options.Instances; i++)
        {
            instances.Add(await StartInstanceAsync($"instance-{i}", redis, pool, options).ConfigureAwait(false));
        }

        var proxy = BuildProxy(options.Urls, instances);
        await proxy.StartAsync().ConfigureAwait(false);
        return new Farm(redis, pool, instances, proxy);
    }

    private static async Task<FarmInstance> StartInstanceAsync(string name, RedisServer? redis, DevelopmentUserPool pool, FarmOptions options)
    {
        var app = DemoApp.Build(
            ["--environment", "Development", "--urls", "http://127.0.0.1:0"],
            builder =>
            {
                // Warnings only from the framework (a line per request would be the bottleneck of a load run);
                // the library's own Information events stay.
                builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
                builder.Services.AddSingleton(pool);
                builder.Services.AddSingleton<IHostLifetime, FarmMemberLifetime>();
                if (options.Clock is not null)
                {
                    builder.Services.AddSingleton(options.Clock);
                }

                var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
                if (redis is not null)
                {
                    dataProtection.PersistKeysToStackExchangeRedis(redis.Connection, KeyRingKey);

                    // The sign-out store (IDistributedCache) in the same Redis: a sign-out on one instance holds on all.
                    builder.Services.AddStackExchangeRedisCache(cache =>
                    {
                        cache.InstanceName = "cognito-farm:";
                        cache.ConnectionMultiplexerFactory = () => Task.FromResult(redis.Connection);
                    });
                }
                else
                {
                    // As on separate machines: a key ring of its own, nothing shared through this machine's disk.
                    dataProtection.UseEphemeralDataProtectionProvider();
                }

                builder.Services.AddSingleton<IStartupFilter>(new InstanceStartup(name));
                if (options.Metrics)
                {
                    builder.Services.AddOpenTelemetry()
                        .ConfigureResource(resource => resource.AddService("cognito-farm", serviceInstanceId: name))
                        .WithMetrics(metrics => metrics.AddMeter(CognitoTelemetry.Name).AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000))
                        .WithTracing(tracing => tracing.AddSource(CognitoTelemetry.Name).AddConsoleExporter());
                }

                options.ConfigureInstance?.Invoke(builder);
            });
        await app.StartAsync().ConfigureAwait(false);
        return new FarmInstance(name, app);
    }

    private static WebApplication BuildProxy(string urls, IReadOnlyList<FarmInstance> instances)
    {
        var builder = WebApplication.CreateBuilder(["--urls", urls]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, FarmMemberLifetime>();
        RouteConfig[] routes = [new RouteConfig { RouteId = "demo", ClusterId = "instances", Match = new RouteMatch { Path = "{**path}" } }.WithTransformUseOriginalHostHeader()];
        ClusterConfig[] clusters =
        [
            new ClusterConfig
            {
                ClusterId = "instances",
                LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin, // and no session affinity: every request to the next instance
                Destinations = instances.ToDictionary(i => i.Name, i => new DestinationConfig { Address = i.Address.ToString() }),
                HealthCheck = new HealthCheckConfig
                {
                    Active = new ActiveHealthCheckConfig { Enabled = true, Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1), Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures, Path = "/health" },
                    Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate, ReactivationPeriod = TimeSpan.FromSeconds(30) },
                },
                Metadata = new Dictionary<string, string> { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "1" },
            },
        ];
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        var app = builder.Build();
        app.MapReverseProxy();
        return app;
    }

    /// <summary>Stops one instance at once, as a crash or a scale-in would (no draining).</summary>
    public Task StopInstanceAsync(int index) => Instances[index].StopAsync();

    /// <summary>How long the proxy may take to finish the requests in flight when the farm stops.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(3);

    /// <summary>Ends what could outlive the process at once (Redis, a child process), when stopping took too long.</summary>
    public void Abort() => Redis?.Kill();

    public async ValueTask DisposeAsync()
    {
        using (var drain = new CancellationTokenSource(DrainTime))
        {
            await _proxy.StopAsync(drain.Token).ConfigureAwait(false);
        }

        await _proxy.DisposeAsync().ConfigureAwait(false);
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync().ConfigureAwait(false);
        }

        Pool.Dispose();
    }

    /// <summary>Each instance: the client's address from the proxy's X-Forwarded-For (per-client budgets), and its name on every answer.</summary>
    private sealed class InstanceStartup(string name) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
            app.Use((context, nextMiddleware) =>
            {
                context.Response.Headers[InstanceHeader] = name;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
