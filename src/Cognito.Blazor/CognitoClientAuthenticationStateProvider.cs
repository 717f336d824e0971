using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace Cognito.Blazor;

/// <summary>
/// The WebAssembly side's authentication state: it starts from the state the server rendered the page
/// with (the platform's <c>AddAuthenticationStateSerialization</c>, all claims) and follows the session
/// endpoint's answers with their claims (<c>?claims</c>). What a WebAssembly component believes is only
/// ever the browser's business: every API it calls verifies the cookies again on the server.
/// </summary>
public sealed class CognitoClientAuthenticationStateProvider : CognitoSessionStateProvider
{
    // The platform's key for the serialized authentication state ("must match all versions of the
    // server-side AuthenticationStateSerializer.PersistenceKey", in ASP.NET Core's own source).
    private const string PersistenceKey = "__internal__AuthenticationState";

    /// <summary>Creates the provider from the page's persisted state, and starts following the session.</summary>
    public CognitoClientAuthenticationStateProvider(IJSRuntime js, IOptions<CognitoBlazorOptions> options, PersistentComponentState persisted)
        : base(js, options?.Value!)
    {
        ArgumentNullException.ThrowIfNull(persisted);
        if (TakePersisted(persisted) is { } data)
        {
            var identity = new ClaimsIdentity(
                data.Claims.Select(c => new Claim(c.Type, c.Value)),
                authenticationType: "Cognito",
                nameType: data.NameClaimType,
                roleType: data.RoleClaimType);
            SetInitialState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(identity))));
        }

        _ = StartAsync();
    }

    /// <inheritdoc />
    protected override string Query(out string? nonce)
    {
        nonce = null;
        return "?claims";
    }

    /// <inheritdoc />
    protected override ClaimsPrincipal? PrincipalOf(JsonElement answer, string? nonce)
    {
        if (!answer.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<Claim>();
        foreach (var claim in claims.EnumerateArray())
        {
            if (claim.ValueKind != JsonValueKind.Object
                || !claim.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !claim.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            list.Add(new Claim(type.GetString()!, value.GetString()!));
        }

        var authenticationType = answer.TryGetProperty("authenticationType", out var kind) && kind.ValueKind == JsonValueKind.String
            ? kind.GetString()
            : "Cognito";
        return new ClaimsPrincipal(new ClaimsIdentity(list, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "AuthenticationStateData and ClaimData are kept by the DynamicDependency attributes.")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicProperties, typeof(AuthenticationStateData))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicProperties, typeof(ClaimData))]
    private static AuthenticationStateData? TakePersisted(PersistentComponentState persisted) =>
        persisted.TryTakeFromJson<AuthenticationStateData>(PersistenceKey, out var data) ? data : null;
}
