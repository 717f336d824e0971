using System.Security.Claims;
using System.Text.Json;
using Cognito.AspNet;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace Cognito.Blazor.Server;

/// <summary>
/// An Interactive Server circuit's authentication state: the principal of the request that started it,
/// then what the session endpoint answers through the browser. A circuit cannot see the browser's cookies,
/// and what comes back through JS interop is the browser user's to change; so a signed-in answer counts
/// only with a seal (<see cref="CognitoSessionSeal"/>) made by this app's key ring for the nonce of this very
/// question, within two minutes. A signed-out answer, or one without a good seal, makes the circuit anonymous.
/// </summary>
public sealed class CognitoCircuitAuthenticationStateProvider : CognitoSessionStateProvider, IHostEnvironmentAuthenticationStateProvider
{
    private readonly IDataProtectionProvider _dataProtection;

    /// <summary>Creates the circuit's provider.</summary>
    public CognitoCircuitAuthenticationStateProvider(IJSRuntime js, IOptions<CognitoBlazorOptions> options, IDataProtectionProvider dataProtection, TimeProvider? time = null)
        : base(js, options?.Value!, time)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        _dataProtection = dataProtection;
    }

    /// <summary>The state of the request (prerendering) or of the circuit's connection, set by the framework.</summary>
    public void SetAuthenticationState(Task<AuthenticationState> authenticationStateTask) => SetInitialState(authenticationStateTask);

    /// <inheritdoc />
    protected override string Query(out string? nonce)
    {
        nonce = CognitoSessionSeal.NewNonce();
        return "?" + CognitoSessionSeal.QueryName + "=" + nonce;
    }

    /// <inheritdoc />
    protected override ClaimsPrincipal? PrincipalOf(JsonElement answer, string? nonce) =>
        nonce is not null && answer.TryGetProperty("seal", out var seal) && seal.ValueKind == JsonValueKind.String
            ? CognitoSessionSeal.Open(_dataProtection, seal.GetString(), nonce)
            : null;
}
