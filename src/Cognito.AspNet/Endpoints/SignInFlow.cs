namespace Cognito.AspNet;

/// <summary>One sign-in between the redirect to the hosted UI and its callback.</summary>
internal sealed record SignInFlow(string State, string Verifier, string ReturnUrl, string RedirectUri, DateTimeOffset ExpiresAt);
