namespace Cognito.AspNet;

/// <summary>
/// What an app can hook into, in the style of <c>JwtBearerEvents</c>: set a delegate
/// (<c>options.Events.OnSessionValidated = context => …</c>) or derive and register the type
/// (<c>options.EventsType</c>). Every event may be async; none sees a token it did not already hold.
/// </summary>
public class CognitoCookiesEvents
{
    /// <summary>A session (cookies) or bearer access token verified; the principal may be changed or the request refused.</summary>
    public Func<SessionValidatedContext, Task> OnSessionValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>A session or bearer token was refused (its <see cref="AuthError"/> code and message); the request is anonymous.</summary>
    public Func<SessionRefusedContext, Task> OnSessionRefused { get; set; } = _ => Task.CompletedTask;

    /// <summary>An expired (or nearly expired) session was refreshed with its refresh token, and its cookies rewritten.</summary>
    public Func<SessionRefreshedContext, Task> OnRefreshed { get; set; } = _ => Task.CompletedTask;

    /// <summary>A sign-in came back from the hosted UI with verified tokens, before the cookies are written; the return URL may be changed.</summary>
    public Func<SigningInContext, Task> OnSigningIn { get; set; } = _ => Task.CompletedTask;

    /// <summary>A sign-out was asked for, before the refresh token is revoked and the cookies expired.</summary>
    public Func<SigningOutContext, Task> OnSigningOut { get; set; } = _ => Task.CompletedTask;

    /// <summary>A request needs a signed-in user and has none; the app may write its own answer (<see cref="CognitoChallengeContext.HandleResponse"/>).</summary>
    public Func<CognitoChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>A signed-in user lacks what the endpoint requires; the app may write its own answer (<see cref="CognitoForbiddenContext.HandleResponse"/>).</summary>
    public Func<CognitoForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnSessionValidated"/>.</summary>
    public virtual Task SessionValidated(SessionValidatedContext context) => OnSessionValidated(context);

    /// <summary>Invokes <see cref="OnSessionRefused"/>.</summary>
    public virtual Task SessionRefused(SessionRefusedContext context) => OnSessionRefused(context);

    /// <summary>Invokes <see cref="OnRefreshed"/>.</summary>
    public virtual Task Refreshed(SessionRefreshedContext context) => OnRefreshed(context);

    /// <summary>Invokes <see cref="OnSigningIn"/>.</summary>
    public virtual Task SigningIn(SigningInContext context) => OnSigningIn(context);

    /// <summary>Invokes <see cref="OnSigningOut"/>.</summary>
    public virtual Task SigningOut(SigningOutContext context) => OnSigningOut(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    public virtual Task Challenge(CognitoChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    public virtual Task Forbidden(CognitoForbiddenContext context) => OnForbidden(context);
}
