using BenchmarkDotNet.Attributes;
using Cognito.AspNet;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cognito.Bench;

/// <summary>
/// What a Blazor revalidation costs the server (issue 26): one <c>GET /auth/session</c> on a cached session
/// through the adapter's pipeline (authentication, the endpoints middleware, the JSON answer), in process.
/// A circuit asks with <c>?circuit=NONCE</c> (the claims sealed with Data Protection), a WebAssembly
/// component with <c>?claims</c>, the tab sync with neither. Baseline: the same pipeline and Cookie header
/// for a path the adapter does not answer (authentication alone, then an empty terminal).
/// </summary>
[MemoryDiagnoser]
public class RevalidationBenchmarks
{
    private readonly string _nonce = CognitoSessionSeal.NewNonce();
    private IServiceProvider _services = null!;
    private RequestDelegate _pipeline = null!;
    private Scenario _scenario = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new Scenario();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        LoadApp.AddSchemes(builder.Services, _scenario);
        builder.Services.Configure<AuthenticationOptions>(o => o.DefaultScheme = CognitoCookiesDefaults.AuthenticationScheme);
        var app = builder.Build();
        app.UseCognitoCookies();
        app.Run(_ => Task.CompletedTask);
        _pipeline = ((IApplicationBuilder)app).Build();
        _services = app.Services;
        if (Request("/other", "") != 200 || Request("/auth/session", "?" + CognitoSessionSeal.QueryName + "=" + _nonce) != 200)
        {
            throw new InvalidOperationException("the pipeline does not answer");
        }
    }

    private int Request(string path, string query)
    {
        using var scope = _services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Request.Headers.Cookie = _scenario.Header;
        _pipeline(context).GetAwaiter().GetResult();
        return context.User.Identity?.IsAuthenticated == true ? context.Response.StatusCode : -1;
    }

    [Benchmark(Baseline = true)]
    public int AuthenticatedRequest() => Request("/other", "");

    /// <summary>The tab sync's question.</summary>
    [Benchmark]
    public int Session() => Request("/auth/session", "");

    /// <summary>A WebAssembly component's question: the claims.</summary>
    [Benchmark]
    public int SessionWithClaims() => Request("/auth/session", "?claims");

    /// <summary>A circuit's question: the claims sealed for its nonce (one revalidation).</summary>
    [Benchmark]
    public int SessionSealedForACircuit() => Request("/auth/session", "?" + CognitoSessionSeal.QueryName + "=" + _nonce);
}
