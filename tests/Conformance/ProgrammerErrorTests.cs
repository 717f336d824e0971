namespace Cognito.Conformance;

/// <summary>
/// Programmer errors and broken configuration throw at start-up, naming what to fix (the Engineering
/// standards' rule: exceptions are for these, never for request input).
/// </summary>
public sealed class ProgrammerErrorTests
{
    private static readonly TestPool Pool = TestPool.Default;

    private static CognitoOptions Options => Pool.Auth().Options;

    private static string Message(CognitoOptions options) =>
        Assert.Throws<ArgumentException>(nameof(options), () => new CognitoAuth(options)).Message;

    [Theory]
    [InlineData("")]
    [InlineData("client id")]
    [InlineData("client;id")]
    [InlineData("client=id")]
    [InlineData("client,id")]
    [InlineData("client\"id")]
    [InlineData(";client")]
    [InlineData("clienté")]
    public void A_client_id_no_cookie_name_can_hold_is_refused(string clientId) =>
        Assert.StartsWith("The app client id (USER_POOL_CLIENT_ID) is empty or has characters no cookie name can hold.", Message(Options with { ClientId = clientId }), StringComparison.Ordinal);

    [Fact]
    public void Configuration_errors_say_what_to_fix()
    {
        Assert.StartsWith("No user pool configured: set the region and user pool id (USER_POOL_REGION, USER_POOL_ID).", Message(Options with { UserPools = [] }), StringComparison.Ordinal);
        Assert.StartsWith("ClockSkew must be between 0 and 300 s.", Message(Options with { ClockSkew = TimeSpan.FromSeconds(301) }), StringComparison.Ordinal);
        Assert.StartsWith("ClockSkew must be between 0 and 300 s.", Message(Options with { ClockSkew = TimeSpan.FromSeconds(-1) }), StringComparison.Ordinal);
        Assert.StartsWith("SessionCacheSize must be 0 (off) or more.", Message(Options with { SessionCacheSize = -1 }), StringComparison.Ordinal);
        Assert.StartsWith("MaxTokenLength must be positive and MaxCookieHeaderLength at least as large.", Message(Options with { MaxTokenLength = 0 }), StringComparison.Ordinal);
        Assert.StartsWith("MaxTokenLength must be positive and MaxCookieHeaderLength at least as large.", Message(Options with { MaxCookieHeaderLength = 100, MaxTokenLength = 200 }), StringComparison.Ordinal);
        Assert.StartsWith("No keys: set Keys (pems.json, JWKS) or LiveKeys.", Message(Options with { Keys = null }), StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new CognitoAuth(null!));
        Assert.Throws<ArgumentNullException>(() => new CognitoAuth(Options with { TimeProvider = null! }));
        Assert.NotNull(new CognitoAuth(Options with { ClockSkew = TimeSpan.FromMinutes(5), MaxCookieHeaderLength = 200, MaxTokenLength = 200 }));
        Assert.NotNull(new CognitoAuth(Options with { ClockSkew = TimeSpan.Zero, SessionCacheSize = 0, MaxTokenLength = 1, MaxCookieHeaderLength = 1 }));
    }

    [Theory]
    [InlineData("", "eu-west-1_AbC123", "The user pool region is empty: set it (USER_POOL_REGION), e.g. eu-west-1.", "region")]
    [InlineData(" ", "eu-west-1_AbC123", "The user pool region is empty: set it (USER_POOL_REGION), e.g. eu-west-1.", "region")]
    [InlineData("eu-west-1", "", "The user pool id is empty: set it (USER_POOL_ID), e.g. eu-west-1_AbC123.", "userPoolId")]
    [InlineData("eu-west-1", " ", "The user pool id is empty: set it (USER_POOL_ID), e.g. eu-west-1_AbC123.", "userPoolId")]
    public void An_empty_region_or_pool_id_says_which(string region, string poolId, string message, string parameter) =>
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(parameter, () => new UserPool(region, poolId)).Message, StringComparison.Ordinal);

    [Fact]
    public async Task Null_arguments_of_the_public_surface_throw()
    {
        var keys = Pool.KeySet();
        Assert.Throws<ArgumentNullException>(() => keys.KeysOf(null!));
        Assert.Throws<ArgumentNullException>(() => keys.Merge(null!));
        Assert.Throws<ArgumentNullException>(() => PemsFile.Load(null!));
        Assert.Throws<ArgumentNullException>(() => PemsFile.Serialize(null!));
        Assert.Throws<ArgumentNullException>(() => Jwks.Parse(null!, "{}"));
        Assert.Throws<ArgumentNullException>(() => AmplifyCookieNames.EncodeUsername(null!));
        Assert.Throws<ArgumentNullException>(() => AmplifyCookieNames.EncodeValue(null!));
        Assert.Throws<ArgumentNullException>(() => AmplifyCookieNames.DecodeValue(null!));
        using var http = new HttpClient();
        await Assert.ThrowsAsync<ArgumentNullException>(() => new JwksClient(http, TimeSpan.FromSeconds(1)).FetchAsync(null!));
        Assert.Throws<ArgumentNullException>(() => new LiveKeySet(null!, [], http));
        Assert.Throws<ArgumentNullException>(() => new LiveKeySet(keys, null!, http));
        var live = new LiveKeySet(keys, [], http);
        Assert.Throws<ArgumentNullException>(() => live.Replace(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => live.RefreshAsync(null!));
    }
}
