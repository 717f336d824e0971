using BenchmarkDotNet.Attributes;
using Cognito.AspNet;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cognito.Bench;

/// <summary>
/// One request's authentication, in process and without the network: a fresh <see cref="HttpContext"/>
/// and request scope, the scheme's handler, <see cref="AuthenticationHttpContextExtensions.AuthenticateAsync(HttpContext, string)"/>
/// (what the authorization middleware calls) — the part of a request's cost the scheme decides, which
/// bench/load.sh measures under wrk with the rest of Kestrel around it. Baseline: a handler that verifies
/// nothing and returns one claim (the framework's floor), on the same Cookie header.
/// </summary>
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private IServiceProvider _services = null!;
    private Scenario _scenario = null!;
    private string _bearer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new Scenario();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        LoadApp.AddSchemes(builder.Services, _scenario);
        _services = builder.Build().Services;
        _bearer = $"Bearer {_scenario.AccessToken}";
        if (!Floor() || !CognitoCookies() || !CognitoBearer() || !JwtBearer())
        {
            throw new InvalidOperationException("a scheme refuses the scenario");
        }
    }

    private bool Authenticate(string scheme, string header, string value)
    {
        using var scope = _services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers[header] = value;
        var result = context.AuthenticateAsync(scheme).GetAwaiter().GetResult();
        return result.Succeeded;
    }

    [Benchmark(Baseline = true)]
    public bool Floor() => Authenticate("floor", "Cookie", _scenario.Header);

    /// <summary>AddCognitoCookies with the scenario's session, verified before (the session cache's hit).</summary>
    [Benchmark]
    public bool CognitoCookies() => Authenticate(CognitoCookiesDefaults.AuthenticationScheme, "Cookie", _scenario.Header);

    [Benchmark]
    public bool CognitoBearer() => Authenticate(CognitoCookiesDefaults.BearerScheme, "Authorization", _bearer);

    [Benchmark]
    public bool JwtBearer() => Authenticate(JwtBearerDefaults.AuthenticationScheme, "Authorization", _bearer);
}
