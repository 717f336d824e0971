using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cognito.AspNet.JwtBearer;

/// <summary>
/// A <see cref="TokenHandler"/> backed by <see cref="CognitoAuth"/>, for apps that keep their
/// <c>AddJwtBearer</c> set-up, events and policies: it verifies Cognito access tokens with Cognito's
/// rules (<c>client_id</c> one of the configured app clients, <c>token_use</c> = <c>access</c>, both
/// issuer forms, RS256 with the pool's keys, key rotation) instead of the generic JWT rules. Refusals
/// are the IdentityModel exception JwtBearer knows for the case (so its <c>WWW-Authenticate</c> and
/// events behave as usual), with the Cognito code first in the message. The
/// <see cref="TokenValidationParameters"/> are not used: the Cognito options are the rules.
/// </summary>
public sealed class CognitoTokenHandler(CognitoAuth auth) : TokenHandler
{
    private readonly CognitoAuth _auth = auth ?? throw new ArgumentNullException(nameof(auth));

    /// <inheritdoc/>
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var result = await _auth.VerifyAccessTokenAsync(token).ConfigureAwait(false);
        return result.Match(
            Right: claims => new TokenValidationResult
            {
                IsValid = true,
                Issuer = claims.Issuer,
                SecurityToken = new JsonWebToken(claims.Token),
                ClaimsIdentity = CognitoClaims.Identity(claims, validationParameters?.AuthenticationType ?? "CognitoAccessToken"),
            },
            Left: refusal => new TokenValidationResult { IsValid = false, Exception = Exception(refusal) });
    }

    /// <inheritdoc/>
    public override Task<TokenValidationResult> ValidateTokenAsync(SecurityToken token, TokenValidationParameters validationParameters) =>
        token is JsonWebToken jwt
            ? ValidateTokenAsync(jwt.EncodedToken, validationParameters)
            : Task.FromResult(new TokenValidationResult { IsValid = false, Exception = new SecurityTokenMalformedException("malformed: not a JWS") });

    /// <inheritdoc/>
    public override SecurityToken ReadToken(string token) => new JsonWebToken(token);

    /// <summary>The exception JwtBearer expects for each refusal (its error_description and events key on the type).</summary>
    private static Exception Exception(AuthError refusal)
    {
        var message = $"{refusal.Code}: {refusal.Message}";
        return refusal.Failure switch
        {
            AuthFailure.Expired => new SecurityTokenExpiredException(message),
            AuthFailure.NotYetValid => new SecurityTokenNotYetValidException(message),
            AuthFailure.BadSignature => new SecurityTokenInvalidSignatureException(message),
            AuthFailure.UnknownKey => new SecurityTokenSignatureKeyNotFoundException(message),
            AuthFailure.UnknownIssuer => new SecurityTokenInvalidIssuerException(message),
            AuthFailure.WrongClient => new SecurityTokenInvalidAudienceException(message),
            AuthFailure.UnsupportedAlg => new SecurityTokenInvalidAlgorithmException(message),
            AuthFailure.Malformed or AuthFailure.TooLarge or AuthFailure.NoSession => new SecurityTokenMalformedException(message),
            _ => new SecurityTokenValidationException(message),
        };
    }
}
