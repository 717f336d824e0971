using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cognito;

/// <summary>
/// A verified session: both tokens from Amplify's cookies, verified and of one user. The server-side
/// equivalent of the original package's <c>getServerSideAuth(req)</c>.
/// </summary>
/// <param name="Id">The verified id token.</param>
/// <param name="Access">The verified access token.</param>
/// <param name="RefreshToken">The refresh token cookie, when present: opaque and not verified here (only Cognito can). Never log it.</param>
public sealed record AuthTokens(IdTokenClaims Id, AccessTokenClaims Access, string? RefreshToken)
{
    /// <summary>The raw id token.</summary>
    public string IdToken => Id.Token;

    /// <summary>The raw access token.</summary>
    public string AccessToken => Access.Token;

    /// <summary>The user's Cognito username.</summary>
    public string Username => Id.Username;

    /// <summary>The user's <c>sub</c>.</summary>
    public string Sub => Id.Sub;

    /// <summary>The user's groups (<c>cognito:groups</c> of the id token).</summary>
    public IReadOnlyList<string> Groups => Id.Groups;

    /// <summary>When the session stops being accepted: the earlier of the two tokens' <c>exp</c>.</summary>
    public DateTimeOffset ExpiresAt => Id.ExpiresAt < Access.ExpiresAt ? Id.ExpiresAt : Access.ExpiresAt;

    /// <summary>Never prints a token.</summary>
    public override string ToString() => $"AuthTokens {{ Username = {Username}, Sub = {Sub}, ExpiresAt = {ExpiresAt:O} }}";

    /// <summary>
    /// Writes who the session is — <c>username</c>, <c>sub</c>, <c>groups</c>, <c>expiresAt</c> (Unix
    /// seconds) — as members of the JSON object being written; never a token.
    /// </summary>
    public void WriteSummary(System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("username", Username);
        writer.WriteString("sub", Sub);
        writer.WriteStartArray("groups");
        foreach (var group in Groups)
        {
            writer.WriteStringValue(group);
        }

        writer.WriteEndArray();
        writer.WriteNumber("expiresAt", ExpiresAt.ToUnixTimeSeconds());
    }
}
