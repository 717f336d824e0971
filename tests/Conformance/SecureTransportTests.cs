using Cognito.Cli;

namespace Cognito.Conformance;

/// <summary>
/// docs/spec.md, "Limits and faults": nothing secret over plain http (issue 13, item 4): https everywhere keys, codes, tokens or
/// the client secret travel, loopback aside, refused before any network use. The non-loopback
/// addresses here are under <c>.invalid</c> (RFC 2606), which never resolves, so a missing check could
/// not reach any host either.
/// </summary>
public sealed class SecureTransportTests
{
    private static readonly TestPool Pool = TestPool.Default;
    private const string Plain = "http://jwks.example.invalid/eu-west-1_TestPool1/.well-known/jwks.json";

    [Theory]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/x/.well-known/jwks.json")]
    [InlineData("https://myapp.auth.eu-west-1.amazoncognito.com/")]
    [InlineData("http://127.0.0.1:5080/")]
    [InlineData("http://127.12.0.9/")]
    [InlineData("http://localhost:5000/x")]
    [InlineData("http://[::1]:8080/")]
    public void Https_and_loopback_http_are_allowed(string address) =>
        Assert.Null(SecureTransport.Refusal(new Uri(address), "the address"));

    [Theory]
    [InlineData("http://myapp.auth.eu-west-1.amazoncognito.com/")]
    [InlineData("http://10.0.0.5/")]
    [InlineData("http://localhost.example.invalid/")]
    [InlineData("ftp://127.0.0.1/jwks.json")]
    [InlineData("file:///etc/passwd")]
    public void Anything_else_is_refused_with_what_to_do(string address)
    {
        var refusal = SecureTransport.Refusal(new Uri(address), "the JWKS address");
        Assert.NotNull(refusal);
        Assert.StartsWith("the JWKS address ", refusal, StringComparison.Ordinal);
        Assert.Contains("https", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void The_opt_out_allows_plain_http_but_no_other_scheme()
    {
        Assert.Null(SecureTransport.Refusal(new Uri("http://myapp.auth.eu-west-1.amazoncognito.com/"), "the address", allowPlainHttp: true));
        Assert.Equal("the address must be an absolute https URL, not 'ftp://127.0.0.1/x'", SecureTransport.Refusal(new Uri("ftp://127.0.0.1/x"), "the address", allowPlainHttp: true));
        Assert.Throws<ArgumentNullException>("address", () => SecureTransport.Refusal(null!, "the address"));
        using var http = new HttpClient();
        Assert.Throws<ArgumentNullException>("jwksUris", () => new LiveKeySet(KeySet.Empty, null!, http));
    }

    [Fact]
    public void A_relative_address_is_refused() =>
        Assert.Contains("absolute https URL", SecureTransport.Refusal(new Uri("/jwks.json", UriKind.Relative), "the JWKS address"), StringComparison.Ordinal);

    [Fact]
    public async Task The_JWKS_client_refuses_plain_http_before_the_network()
    {
        using var http = new HttpClient(new ThrowingHandler());
        var refused = Failed(await new JwksClient(http, TimeSpan.FromSeconds(1)).FetchAsync(Pool.Pool, new Uri(Plain)));
        Assert.Equal("the JWKS address http://jwks.example.invalid is plain http: keys, codes and tokens would travel unprotected; use https (plain http is allowed only to loopback addresses, or with the explicit opt-out)", refused.Message);

        // The opt-out lets the request through (here to a handler that says it was called); other schemes never.
        var optedOut = Failed(await new JwksClient(http, TimeSpan.FromSeconds(1), requireHttps: false).FetchAsync(Pool.Pool, new Uri(Plain)));
        Assert.Contains(ThrowingHandler.Message, optedOut.Message, StringComparison.Ordinal);
        Assert.Contains("must be an absolute https URL", Failed(await new JwksClient(http, TimeSpan.FromSeconds(1), requireHttps: false).FetchAsync(Pool.Pool, new Uri("ftp://127.0.0.1/jwks.json"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_live_key_set_refuses_a_plain_http_JWKS_address_at_start_up()
    {
        using var http = new HttpClient(new ThrowingHandler());
        var e = Assert.Throws<ArgumentException>("jwksUris", () => new LiveKeySet(KeySet.Empty, [new(Pool.Pool, new Uri(Plain))], http));
        Assert.Contains("the JWKS address of user pool eu-west-1_TestPool1 http://jwks.example.invalid is plain http", e.Message, StringComparison.Ordinal);
        Assert.Contains("LiveKeySetOptions.RequireHttps", e.Message, StringComparison.Ordinal);
        Assert.NotNull(new LiveKeySet(KeySet.Empty, [new(Pool.Pool, new Uri(Plain))], http, new LiveKeySetOptions { RequireHttps = false }));
        Assert.True(new LiveKeySetOptions().RequireHttps);
    }

    [Fact]
    public void Cognito_pems_refuses_plain_http_to_another_host_with_one_line_and_leaves_the_file()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("cognito-http-").FullName, "pems.json");
        var before = TestPool.PemsJson(TestPool.Other);
        File.WriteAllText(output, before);
        var stderr = new StringWriter();
        Assert.Equal(1, CommandLine.Run(["pems", "--region", Pool.Region, "--user-pool-id", Pool.UserPoolId, "--out", output, "--jwks-url", Plain], new StringWriter(), stderr));
        var line = Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n'));
        Assert.Equal($"cognito: pems: the JWKS address http://jwks.example.invalid is plain http: keys, codes and tokens would travel unprotected; use https (plain http is allowed only to loopback addresses, or with the explicit opt-out); {output} was not changed", line);
        Assert.Equal(before, File.ReadAllText(output));
    }

    private static KeyLoadError Failed(LanguageExt.Either<KeyLoadError, KeySet> fetched) =>
        fetched.Match(Right: _ => throw new Xunit.Sdk.XunitException("keys were loaded"), Left: error => error);

    /// <summary>Fails every request, saying so: proof that a request was (or, when absent from the answer, was not) attempted.</summary>
    private sealed class ThrowingHandler : HttpMessageHandler
    {
        internal const string Message = "the request reached the handler";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException(Message);
    }
}
