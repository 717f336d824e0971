using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet.Development;

/// <summary>The development pool's back channel: <c>/oauth2/token</c> (its three grants and client authentication) and <c>/oauth2/revoke</c>.</summary>
internal sealed partial class DevelopmentUserPoolMiddleware
{
    private bool ClientAuthenticated(HttpContext context, IFormCollection form)
    {
        if (pool.ClientSecret is null)
        {
            return form["client_id"] == DevelopmentUserPool.ClientId;
        }

        return BasicCredentials(context, DevelopmentUserPool.ClientId, pool.ClientSecret);
    }

    /// <summary>RFC 6749 §2.3.1: HTTP Basic with the form-urlencoded client id and secret, compared in constant time.</summary>
    private static bool BasicCredentials(HttpContext context, string clientId, string secret)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        var expected = OAuthRules.BasicCredentials(clientId, secret);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(header[6..]), Encoding.ASCII.GetBytes(expected));
    }

    /// <summary>
    /// The client-credentials grant of the machine client: HTTP Basic with its id and secret, scopes
    /// among its custom scopes (all of them when none is asked), an access token alone.
    /// </summary>
    private Task ClientCredentials(HttpContext context, IFormCollection form)
    {
        if (!BasicCredentials(context, DevelopmentUserPool.MachineClientId, pool.MachineClientSecret))
        {
            return Error(context, "invalid_client");
        }

        var asked = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (asked.Any(scope => !pool.MachineScopes.Contains(scope, StringComparer.Ordinal)))
        {
            return Error(context, "invalid_scope");
        }

        var access = pool.MintMachine(string.Join(' ', asked.Length > 0 ? asked : pool.MachineScopes));
        return Json(context, 200, new JsonObject
        {
            ["access_token"] = access,
            ["expires_in"] = (int)pool.TokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
        }.ToJsonString());
    }

    private async Task Token(HttpContext context)
    {
        AllowAnyOrigin(context.Response);
        if (await ReadForm(context).ConfigureAwait(false) is not { } form)
        {
            await Error(context, "invalid_request").ConfigureAwait(false);
            return;
        }

        var grantType = form["grant_type"].ToString();
        if (grantType == "client_credentials")
        {
            await ClientCredentials(context, form).ConfigureAwait(false);
            return;
        }

        if (!ClientAuthenticated(context, form))
        {
            await Error(context, "invalid_client").ConfigureAwait(false);
            return;
        }

        if (grantType == "authorization_code")
        {
            var code = pool.TakeCode(form["code"].ToString());
            if (code is null || code.RedirectUri != form["redirect_uri"] || !PkceHolds(code.CodeChallenge, form["code_verifier"].ToString()))
            {
                await Error(context, "invalid_grant").ConfigureAwait(false);
                return;
            }

            var (id, access) = pool.Mint(code.Grant);
            await Tokens(context, id, access, pool.IssueRefreshToken(code.Grant)).ConfigureAwait(false);
        }
        else if (grantType == "refresh_token")
        {
            if (pool.UseRefreshToken(form["refresh_token"].ToString()) is not var (grant, replacement))
            {
                await Error(context, "invalid_grant").ConfigureAwait(false);
                return;
            }

            var (id, access) = pool.Mint(grant);
            await Tokens(context, id, access, replacement).ConfigureAwait(false);
        }
        else
        {
            await Error(context, "unsupported_grant_type").ConfigureAwait(false);
        }
    }

    /// <summary>RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) == code_challenge; a challenge needs a verifier.</summary>
    private static bool PkceHolds(string? challenge, string verifier)
    {
        if (string.IsNullOrEmpty(challenge))
        {
            return true;
        }

        if (verifier.Length is < 43 or > 128)
        {
            return false;
        }

        var computed = OAuthRules.S256Challenge(verifier);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private Task Tokens(HttpContext context, string id, string access, string? refreshToken)
    {
        var body = new JsonObject
        {
            ["id_token"] = id,
            ["access_token"] = access,
            ["expires_in"] = (int)pool.TokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
        };
        if (refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
        }

        return Json(context, 200, body.ToJsonString());
    }

    private async Task Revoke(HttpContext context)
    {
        AllowAnyOrigin(context.Response);
        if (await ReadForm(context).ConfigureAwait(false) is not { } form)
        {
            await Error(context, "invalid_request").ConfigureAwait(false);
            return;
        }

        if (!ClientAuthenticated(context, form))
        {
            await Error(context, "invalid_client").ConfigureAwait(false);
            return;
        }

        pool.Revoke(form["token"].ToString());
        context.Response.StatusCode = 200;
    }
}
