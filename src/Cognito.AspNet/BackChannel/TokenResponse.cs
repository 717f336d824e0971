using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cognito.AspNet;

/// <summary>What the token endpoint answered: tokens, or an OAuth error code (never a token in it).</summary>
internal sealed record TokenResponse(string? IdToken, string? AccessToken, string? RefreshToken, string? Error)
{
    internal bool Succeeded => Error is null && IdToken is not null && AccessToken is not null;

    internal static TokenResponse Failed(string error) => new(null, null, null, error);
}
