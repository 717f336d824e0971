using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cognito.AspNet;

/// <summary>The events of a scheme outside its handler (the sign-in and sign-out endpoints), resolved as the handler resolves them.</summary>
internal static class EventsOf
{
    internal static async Task<(AuthenticationScheme Scheme, CognitoCookiesEvents Events)> SchemeAsync(HttpContext context, string scheme, CognitoCookiesOptions options)
    {
        var resolved = await context.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(scheme).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Cognito: no authentication scheme named '{scheme}' is registered.");
        var events = options.EventsType is { } type
            ? (CognitoCookiesEvents)context.RequestServices.GetRequiredService(type)
            : options.Events ?? new CognitoCookiesEvents();
        return (resolved, events);
    }
}
