using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet;

/// <summary>
/// Routes the endpoints of docs/spec.md, "Flows", under <see cref="CognitoCookiesOptions.BasePath"/>,
/// one class per flow: <c>login</c> (<see cref="SignInEndpoint"/>), <c>callback</c>
/// (<see cref="CallbackEndpoint"/>), <c>logout</c> (POST, <see cref="SignOutEndpoint"/>), <c>session</c>
/// (<see cref="SessionEndpoint"/>), <c>sync.js</c>, and <c>token</c> (browser-Amplify mode,
/// <see cref="TokenPage"/>). Anything else goes on down the pipeline.
/// </summary>
internal sealed class CognitoEndpointsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IOptionsMonitor<CognitoCookiesOptions> _optionsMonitor;
    private readonly CognitoRuntimes _runtimes;
    private readonly string _scheme;
    private readonly SignInEndpoint _signIn;
    private readonly CallbackEndpoint _callback;
    private readonly SignOutEndpoint _signOut;
    private readonly IDataProtectionProvider _dataProtection;

    public CognitoEndpointsMiddleware(
        RequestDelegate next,
        IOptionsMonitor<CognitoCookiesOptions> optionsMonitor,
        CognitoRuntimes runtimes,
        IDataProtectionProvider dataProtection,
        CognitoTokenClient tokenClient,
        RefreshCoordinator refresher,
        SignedOutSessions signedOut,
        ILogger<CognitoEndpointsMiddleware> logger,
        string scheme)
    {
        (_next, _optionsMonitor, _runtimes, _scheme, _dataProtection) = (next, optionsMonitor, runtimes, scheme, dataProtection);
        // One flow cookie (one Data Protection protector) for the endpoint that writes it and the one that reads it.
        var flows = new SignInFlowCookie(dataProtection);
        _signIn = new SignInEndpoint(flows);
        _callback = new CallbackEndpoint(flows, tokenClient, logger, scheme);
        _signOut = new SignOutEndpoint(tokenClient, refresher, signedOut, logger, scheme);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var options = _optionsMonitor.Get(_scheme);
        if (RefreshRace.TryRetry(context, options))
        {
            return Task.CompletedTask;
        }

        if (!context.Request.Path.StartsWithSegments(options.BasePath, out var rest))
        {
            return _next(context);
        }

        return (context.Request.Method, rest.Value) switch
        {
            ("GET", "/login") => _signIn.Handle(context, options),
            ("GET", "/callback") => _callback.Handle(context, options, _runtimes.Of(options)),
            ("POST", "/logout") => _signOut.Handle(context, options, _runtimes.Of(options)),
            ("GET", "/logout") => MethodNotAllowed(context, "POST"),
            ("GET", "/session") => SessionEndpoint.Handle(context, _dataProtection, _scheme),
            ("GET", "/sync.js") => StaticScript.Write(context, "sync.js"),
            ("GET", "/token") when options.BrowserAmplify => TokenPage.Write(context, options),
            _ => _next(context),
        };
    }

    private static Task MethodNotAllowed(HttpContext context, string allow)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = allow;
        return Task.CompletedTask;
    }
}
