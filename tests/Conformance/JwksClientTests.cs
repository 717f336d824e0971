using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cognito.Conformance;

/// <summary>
/// docs/spec.md, "Key sets": fetching a pool's JWKS from a real HTTP server on 127.0.0.1 — every way the endpoint can
/// fail gives a load error that says what to check, and a good answer gives exactly its keys.
/// </summary>
public sealed class JwksClientTests : IAsyncLifetime
{
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly HttpClient Http = new();
    private JwksServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await JwksServer.StartAsync();
        _server.Keys[Pool.Kid] = Pool.Key;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Uri Address => _server.JwksUri(Pool.UserPoolId);

    private async Task<string> Failure(TimeSpan? timeout = null)
    {
        var result = await new JwksClient(Http, timeout ?? TimeSpan.FromSeconds(30)).FetchAsync(Pool.Pool, Address);
        return result.Match(Right: _ => throw new Xunit.Sdk.XunitException("expected a load error"), Left: e => e.Message);
    }

    [Fact]
    public async Task A_good_answer_gives_exactly_the_served_keys()
    {
        _server.Keys["key-2"] = TestPool.SecondKey;
        var keys = Verdict.Accepted(await new JwksClient(Http, TimeSpan.FromSeconds(30)).FetchAsync(Pool.Pool, Address));
        Assert.Equal(["key-1", "key-2"], keys.Keys.Select(k => k.Kid).Order());
        Assert.All(keys.Keys, k => Assert.Equal(Pool.Pool, k.Pool));
        Verdict.Accepted(Pool.Auth(keys: keys).FromCookieHeader(Pool.CookieHeader()));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(400)]
    public async Task Not_found_or_bad_request_means_no_such_pool(int status)
    {
        _server.Override = c =>
        {
            c.Response.StatusCode = status;
            return Task.CompletedTask;
        };
        Assert.Equal($"no such user pool: {Address} answered {status} — check the region (eu-west-1) and user pool id (eu-west-1_TestPool1)", await Failure());
    }

    [Theory]
    [InlineData(500, "Internal Server Error")]
    [InlineData(503, "Service Unavailable")]
    [InlineData(403, "Forbidden")]
    public async Task Any_other_failure_status_says_to_try_again(int status, string reason)
    {
        _server.Override = c =>
        {
            c.Response.StatusCode = status;
            return Task.CompletedTask;
        };
        Assert.Equal($"{Address} answered {status} {reason}: the JWKS endpoint failed, try again later", await Failure());
    }

    [Fact]
    public async Task Headers_that_never_come_are_a_timeout()
    {
        _server.Override = c => Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
        Assert.Equal($"timed out after 0.3 s fetching {Address}: check the network, a proxy, or the address", await Failure(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_body_that_never_ends_is_a_timeout()
    {
        _server.Override = async c =>
        {
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("{\"keys\":[", c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
        };
        Assert.StartsWith("timed out after 0.3 s", await Failure(TimeSpan.FromMilliseconds(300)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_that_cancels_gets_its_cancellation_not_a_load_error()
    {
        _server.Override = c => Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new JwksClient(Http, TimeSpan.FromSeconds(30)).FetchAsync(Pool.Pool, Address, cancel.Token));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task More_than_a_mebibyte_is_not_a_JWKS(bool announced)
    {
        _server.Override = async c =>
        {
            var body = new string(' ', JwksClient.MaxBodyBytes + 1);
            if (announced)
            {
                c.Response.ContentLength = body.Length;
            }

            await c.Response.WriteAsync(body, c.RequestAborted);
        };
        Assert.Equal($"{Address} sent more than 1048576 bytes: that is not a Cognito JWKS", await Failure());
    }

    [Fact]
    public async Task Exactly_a_mebibyte_is_read()
    {
        var document = JwksServer.Document([new(Pool.Kid, Pool.Key)]);
        _server.Override = c => c.Response.WriteAsync(document + new string(' ', JwksClient.MaxBodyBytes - document.Length), c.RequestAborted);
        var keys = Verdict.Accepted(await new JwksClient(Http, TimeSpan.FromSeconds(30)).FetchAsync(Pool.Pool, Address));
        Assert.Single(keys.Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_body_announced_at_or_under_a_mebibyte_is_read(int padding)
    {
        var document = JwksServer.Document([new(Pool.Kid, Pool.Key)]);
        var body = padding == 0 ? document : document + new string(' ', JwksClient.MaxBodyBytes - document.Length);
        _server.Override = c =>
        {
            c.Response.ContentLength = body.Length;
            return c.Response.WriteAsync(body, c.RequestAborted);
        };
        var keys = Verdict.Accepted(await new JwksClient(Http, TimeSpan.FromSeconds(30)).FetchAsync(Pool.Pool, Address));
        Assert.Single(keys.Keys);
    }

    [Fact]
    public async Task A_body_in_many_chunks_is_read_whole()
    {
        var document = JwksServer.Document([new(Pool.Kid, Pool.Key), new("key-2", TestPool.SecondKey)]);
        _server.Override = async c =>
        {
            foreach (var chunk in document.Chunk(100))
            {
                await c.Response.WriteAsync(new string(chunk), c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
            }
        };
        var keys = Verdict.Accepted(await new JwksClient(Http, TimeSpan.FromSeconds(30)).FetchAsync(Pool.Pool, Address));
        Assert.Equal(2, keys.Keys.Count());
    }

    [Fact]
    public async Task Garbage_is_a_load_error_naming_the_source()
    {
        _server.Override = c => c.Response.WriteAsync("<html>", c.RequestAborted);
        Assert.Contains("not JSON", await Failure(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_address_names_the_region()
    {
        var address = _server.BaseAddress;
        await _server.DisposeAsync();
        var result = await new JwksClient(Http, TimeSpan.FromSeconds(30)).FetchAsync(Pool.Pool, new Uri(address, "/x/.well-known/jwks.json"));
        var message = result.Match(Right: _ => "", Left: e => e.Message);
        Assert.StartsWith($"cannot reach {address}x/.well-known/jwks.json: ", message, StringComparison.Ordinal);
        Assert.EndsWith("— check the network and the region (eu-west-1)", message, StringComparison.Ordinal);
        _server = await JwksServer.StartAsync();
    }

    [Fact]
    public void The_default_address_is_Cognitos() =>
        Assert.Equal(new Uri("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1/.well-known/jwks.json"), Pool.Pool.JwksUri);

    [Fact]
    public void A_timeout_must_be_positive_and_a_client_given()
    {
        Assert.StartsWith("The JWKS fetch timeout must be positive.", Assert.Throws<ArgumentOutOfRangeException>("timeout", () => new JwksClient(Http, TimeSpan.Zero)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new JwksClient(Http, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentNullException>(() => new JwksClient(null!, TimeSpan.FromSeconds(1)));
        Assert.NotNull(new JwksClient(Http, TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void An_RSA_key_the_platform_cannot_import_is_a_load_error()
    {
        // A 2048-bit modulus with the public exponent 1: the platform (OpenSSL here) refuses to import it.
        var p = Pool.Key.ExportParameters(false);
        var jwk = new JsonObject { ["kty"] = "RSA", ["kid"] = "odd", ["alg"] = "RS256", ["n"] = Jws.Base64Url(p.Modulus!), ["e"] = Jws.Base64Url([1]) };
        var error = JwkError(jwk);
        Assert.StartsWith("JWKS of user pool eu-west-1_TestPool1 (region eu-west-1): key 'odd' is not a usable RSA key (", error, StringComparison.Ordinal);
    }

    private static string JwkError(JsonObject jwk) =>
        Jwks.Parse(Pool.Pool, new JsonObject { ["keys"] = new JsonArray(jwk.DeepClone()) }.ToJsonString()).Match(Right: _ => "", Left: e => e.Message);

    [Theory]
    [InlineData("n")]
    [InlineData("e")]
    public void A_JWK_without_a_string_modulus_or_exponent_is_a_load_error(string missing)
    {
        var jwk = JwksServer.Jwk("k", Pool.Key);
        jwk.Remove(missing);
        Assert.EndsWith("key 'k' has no valid base64url modulus n and exponent e", JwkError(jwk), StringComparison.Ordinal);
        jwk[missing] = 65537;
        Assert.EndsWith("key 'k' has no valid base64url modulus n and exponent e", JwkError(jwk), StringComparison.Ordinal);
    }

    [Fact]
    public void Leading_zero_bytes_of_the_modulus_and_exponent_are_not_part_of_the_key()
    {
        var p = Pool.Key.ExportParameters(false);
        var jwk = JwksServer.Jwk(Pool.Kid, Pool.Key);
        jwk["n"] = Jws.Base64Url([0, 0, .. p.Modulus!]);
        jwk["e"] = Jws.Base64Url([0, .. p.Exponent!]);
        var keys = Verdict.Accepted(Jwks.Parse(Pool.Pool, new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString()));
        Verdict.Accepted(Pool.Auth(keys: keys).FromCookieHeader(Pool.CookieHeader()));
    }
}
