namespace Cognito;

/// <summary>Why a key source (pems.json, JWKS) could not be loaded; the message names the bad entry.</summary>
public sealed record KeyLoadError(string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
