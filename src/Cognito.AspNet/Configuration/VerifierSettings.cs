namespace Cognito.AspNet;

/// <summary>
/// What a scheme's verifier is built from, read alike from the cookie and the bearer scheme's options
/// (<see cref="CognitoVerifierFactory"/>, the start-up checks of <see cref="CognitoSchemeValidator"/>).
/// </summary>
internal sealed record VerifierSettings(
    string? Region,
    string? UserPoolId,
    string? ClientId,
    IList<string> AdditionalClientIds,
    string PemsPath,
    KeySet? Keys,
    bool FollowKeyRotation,
    Uri? JwksUri,
    LiveKeySet? LiveKeys,
    TimeSpan ClockSkew,
    bool RequireHttpsMetadata,
    TimeSpan SignOutCheckInterval,
    TimeProvider? TimeProvider)
{
    internal static VerifierSettings Of(CognitoCookiesOptions o) =>
        new(o.Region, o.UserPoolId, o.ClientId, o.AdditionalClientIds, o.PemsPath, o.Keys, o.FollowKeyRotation, o.JwksUri, o.LiveKeys, o.ClockSkew, o.RequireHttpsMetadata, o.SignOutCheckInterval, o.TimeProvider);

    internal static VerifierSettings Of(CognitoBearerOptions o) =>
        new(o.Region, o.UserPoolId, o.ClientId, o.AdditionalClientIds, o.PemsPath, o.Keys, o.FollowKeyRotation, o.JwksUri, o.LiveKeys, o.ClockSkew, o.RequireHttpsMetadata, o.SignOutCheckInterval, o.TimeProvider);

    /// <summary>The bearer scheme of <c>AddCognito()</c> verifies as the cookie scheme does: its pool, clients and keys.</summary>
    internal static void Copy(CognitoCookiesOptions from, CognitoBearerOptions to)
    {
        (to.Region, to.UserPoolId, to.ClientId) = (from.Region, from.UserPoolId, from.ClientId);
        to.AdditionalClientIds.Clear();
        foreach (var id in from.AdditionalClientIds)
        {
            to.AdditionalClientIds.Add(id);
        }

        (to.PemsPath, to.Keys, to.FollowKeyRotation, to.JwksUri, to.LiveKeys) = (from.PemsPath, from.Keys, from.FollowKeyRotation, from.JwksUri, from.LiveKeys);
        (to.ClockSkew, to.RequireHttpsMetadata, to.SignOutCheckInterval, to.TimeProvider) = (from.ClockSkew, from.RequireHttpsMetadata, from.SignOutCheckInterval, from.TimeProvider);
    }
}
