using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Cognito.Blazor.Server;

/// <summary>Starts following the browser's session when a circuit connects (JS interop works from then on), and asks again on a reconnection.</summary>
internal sealed class CognitoCircuitHandler(AuthenticationStateProvider provider) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (provider is CognitoCircuitAuthenticationStateProvider cognito)
        {
            _ = cognito.StartAsync(); // not awaited: the circuit's start does not wait on the browser's answer
        }

        return Task.CompletedTask;
    }
}
