using System.Net;
using System.Text;
using System.Text.Json;
using Cognito.AspNet.Development;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The part of Cognito's user pool API the development pool answers for Amplify in the browser
/// (token refresh, revocation) and its CORS answers, on real Kestrel: what Amplify sends, and what a
/// careless or hostile client sends.
/// </summary>
public sealed class DevelopmentPoolApiTests : IAsyncLifetime
{
    private const string Api = DevelopmentUserPool.PathBase + "/";
    private DemoServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> SignedInRefreshTokenAsync(string username = "jane.doe")
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync(username);
        return browser.Cookies.GetCookies(_server.BaseAddress)[$"CognitoIdentityServiceProvider.{DevelopmentUserPool.ClientId}.{username}.refreshToken"]!.Value;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> CallAsync(string operation, object body, string origin = "https://app.example")
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, Api)
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        request.Headers.Add("Origin", origin);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    [Fact]
    public async Task GetTokensFromRefreshToken_answers_new_tokens_for_the_same_user_as_Cognito_shapes_them()
    {
        var refreshToken = await SignedInRefreshTokenAsync();

        var (status, body, response) = await CallAsync("GetTokensFromRefreshToken", new { ClientId = DevelopmentUserPool.ClientId, RefreshToken = refreshToken });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/x-amz-json-1.1", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var result = body.GetProperty("AuthenticationResult");
        Assert.Equal("Bearer", result.GetProperty("TokenType").GetString());
        Assert.Equal(3600, result.GetProperty("ExpiresIn").GetInt32());
        Assert.False(result.TryGetProperty("RefreshToken", out _)); // no rotation: the refresh token stays
        var auth = new CognitoAuth(new CognitoOptions
        {
            UserPools = [_server.Pool.Pool], ClientId = DevelopmentUserPool.ClientId,
            Keys = _server.Pool.Keys, TimeProvider = _server.Clock,
        });
        var verified = auth.FromTokens(result.GetProperty("IdToken").GetString(), result.GetProperty("AccessToken").GetString())
            .MatchUnsafe<AuthTokens?>(tokens => tokens, error => throw new Xunit.Sdk.XunitException(error.Code));
        Assert.Equal("jane.doe", verified!.Username);
    }

    [Fact]
    public async Task InitiateAuth_with_REFRESH_TOKEN_AUTH_answers_like_GetTokensFromRefreshToken_with_ChallengeParameters()
    {
        var refreshToken = await SignedInRefreshTokenAsync();

        var (status, body, _) = await CallAsync("InitiateAuth", new { AuthFlow = "REFRESH_TOKEN_AUTH", ClientId = DevelopmentUserPool.ClientId, AuthParameters = new { REFRESH_TOKEN = refreshToken } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("AuthenticationResult").TryGetProperty("IdToken", out _));
        Assert.Equal(JsonValueKind.Object, body.GetProperty("ChallengeParameters").ValueKind);
    }

    [Fact]
    public async Task A_revoked_refresh_token_refreshes_no_more()
    {
        var refreshToken = await SignedInRefreshTokenAsync();

        var (revoked, _, _) = await CallAsync("RevokeToken", new { ClientId = DevelopmentUserPool.ClientId, Token = refreshToken });
        var (status, body, response) = await CallAsync("GetTokensFromRefreshToken", new { ClientId = DevelopmentUserPool.ClientId, RefreshToken = refreshToken });

        Assert.Equal(HttpStatusCode.OK, revoked);
        Assert.Equal(1, _server.Probe.RevokeRequests);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("NotAuthorizedException", body.GetProperty("__type").GetString());
        Assert.Equal("NotAuthorizedException:", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Theory]
    [InlineData("GetTokensFromRefreshToken", "{\"ClientId\":\"someoneelse\",\"RefreshToken\":\"x\"}", "ResourceNotFoundException")]
    [InlineData("GetTokensFromRefreshToken", "{\"ClientId\":\"localdevelopmentclient0000\",\"RefreshToken\":\"made-up\"}", "NotAuthorizedException")]
    [InlineData("GetTokensFromRefreshToken", "{\"ClientId\":\"localdevelopmentclient0000\",\"RefreshToken\":42}", "NotAuthorizedException")]
    [InlineData("GetTokensFromRefreshToken", "{\"ClientId\":\"localdevelopmentclient0000\"", "SerializationException")]
    [InlineData("GetTokensFromRefreshToken", "[\"ClientId\"]", "SerializationException")]
    [InlineData("GetTokensFromRefreshToken", "", "SerializationException")]
    [InlineData("InitiateAuth", "{\"ClientId\":\"localdevelopmentclient0000\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":{\"USERNAME\":\"a\",\"PASSWORD\":\"b\"}}", "InvalidParameterException")]
    [InlineData("InitiateAuth", "{\"ClientId\":\"localdevelopmentclient0000\",\"AuthFlow\":\"REFRESH_TOKEN_AUTH\",\"AuthParameters\":\"x\"}", "NotAuthorizedException")]
    [InlineData("AdminCreateUser", "{\"ClientId\":\"localdevelopmentclient0000\"}", "InvalidParameterException")]
    public async Task Requests_it_cannot_answer_get_Cognito_error_types_never_a_500(string operation, string body, string type)
    {
        var (status, answer, _) = await CallAsync(operation, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(type, answer.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task A_request_without_the_service_target_or_with_a_body_over_64_KB_is_refused()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var untargeted = await http.PostAsync(Api, new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.1"));
        using var request = new HttpRequestMessage(HttpMethod.Post, Api)
        {
            Content = new StringContent("{\"ClientId\":\"" + new string('a', 70_000) + "\"}", Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "AWSCognitoIdentityProviderService.GetTokensFromRefreshToken");
        var huge = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, untargeted.StatusCode);
        Assert.Contains("UnknownOperationException", await untargeted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("SerializationException", await huge.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("oauth2/token")]
    [InlineData("oauth2/revoke")]
    [InlineData("")]
    public async Task A_preflight_from_another_origin_allows_POST_with_Amplify_headers_and_no_credentials(string path)
    {
        var preflight = await _server.SendAsync(HttpMethod.Options, DevelopmentUserPool.PathBase + "/" + path, cookie: null,
            ("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent,cache-control"));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());
        var allowed = preflight.Headers.GetValues("Access-Control-Allow-Headers").Single().Split(", ");
        Assert.Superset(new HashSet<string> { "content-type", "x-amz-target", "x-amz-user-agent", "cache-control" }, allowed.ToHashSet());
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task The_token_endpoint_answers_another_origin_but_the_authorize_page_may_not_be_framed_or_read()
    {
        var token = await _server.SendAsync(HttpMethod.Post, DevelopmentUserPool.PathBase + "/oauth2/token", cookie: null, ("Origin", "https://app.example"));
        var authorize = await _server.SendAsync(HttpMethod.Get, DevelopmentUserPool.PathBase + "/oauth2/authorize?client_id=" + DevelopmentUserPool.ClientId, cookie: null, ("Origin", "https://app.example"));

        Assert.Equal("*", token.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(authorize.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
