namespace Cognito.AspNet;

/// <summary>
/// The bearer scheme's events (<see cref="CognitoBearerOptions.Events"/>), as <c>JwtBearerEvents</c>: set
/// the delegates, or derive and override the methods and register the type with
/// <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/>.
/// </summary>
public class CognitoBearerEvents
{
    /// <summary>An access token verified: add to or replace the principal, or refuse the call (a disabled tenant…).</summary>
    public Func<BearerTokenValidatedContext, Task> OnTokenValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>A bearer token refused, with its error code (never the token).</summary>
    public Func<BearerTokenRefusedContext, Task> OnTokenRefused { get; set; } = _ => Task.CompletedTask;

    /// <summary>The call needs a user and has none: write an answer and call <see cref="BearerChallengeContext.HandleResponse"/>, or let the scheme answer 401.</summary>
    public Func<BearerChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>The caller is known but not allowed: write an answer and call <see cref="BearerForbiddenContext.HandleResponse"/>, or let the scheme answer 403.</summary>
    public Func<BearerForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>Raises <see cref="OnTokenValidated"/>.</summary>
    public virtual Task TokenValidated(BearerTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Raises <see cref="OnTokenRefused"/>.</summary>
    public virtual Task TokenRefused(BearerTokenRefusedContext context) => OnTokenRefused(context);

    /// <summary>Raises <see cref="OnChallenge"/>.</summary>
    public virtual Task Challenge(BearerChallengeContext context) => OnChallenge(context);

    /// <summary>Raises <see cref="OnForbidden"/>.</summary>
    public virtual Task Forbidden(BearerForbiddenContext context) => OnForbidden(context);
}
