namespace Cognito;

/// <summary>A Cognito user pool: its region and id, and the issuer its tokens carry.</summary>
public sealed record UserPool
{
    /// <summary>A user pool in a region, e.g. <c>new UserPool("eu-west-1", "eu-west-1_AbC123")</c>.</summary>
    /// <exception cref="ArgumentException">The region or id is empty, or the id is not <c>{region}_{name}</c>.</exception>
    public UserPool(string region, string userPoolId)
    {
        if (string.IsNullOrWhiteSpace(region))
        {
            throw new ArgumentException("The user pool region is empty: set it (USER_POOL_REGION), e.g. eu-west-1.", nameof(region));
        }

        if (string.IsNullOrWhiteSpace(userPoolId))
        {
            throw new ArgumentException("The user pool id is empty: set it (USER_POOL_ID), e.g. eu-west-1_AbC123.", nameof(userPoolId));
        }

        if (!IsPoolIdOf(region, userPoolId))
        {
            throw new ArgumentException(
                $"The user pool id '{userPoolId}' does not belong to region '{region}': Cognito pool ids are '{{region}}_{{name}}', e.g. {region}_AbC123.",
                nameof(userPoolId));
        }

        Region = region;
        UserPoolId = userPoolId;
        Issuer = $"https://cognito-idp.{region}.amazonaws.com/{userPoolId}";
        UpdatedIssuer = $"https://issuer-cognito-idp.{region}.amazonaws.com/{userPoolId}";
    }

    /// <summary>The AWS region, e.g. <c>eu-west-1</c>.</summary>
    public string Region { get; }

    /// <summary>The user pool id, e.g. <c>eu-west-1_AbC123</c>.</summary>
    public string UserPoolId { get; }

    /// <summary>The <c>iss</c> of this pool's tokens in the original form: <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c> (see also <see cref="UpdatedIssuer"/>).</summary>
    public string Issuer { get; }

    /// <summary>
    /// The <c>iss</c> of this pool's tokens when its issuer configuration is <c>UPDATED</c> (what AWS
    /// recommends, and what multi-region replication needs):
    /// <c>https://issuer-cognito-idp.{region}.amazonaws.com/{userPoolId}</c>. Tokens with either form are
    /// this pool's.
    /// </summary>
    public string UpdatedIssuer { get; }

    /// <summary>The default JWKS address of this pool.</summary>
    public Uri JwksUri => new($"{Issuer}/.well-known/jwks.json");

    /// <summary>True when <paramref name="userPoolId"/> is <c>{region}_{name}</c> with a non-empty alphanumeric name.</summary>
    public static bool IsPoolIdOf(string region, string userPoolId) =>
        userPoolId.Length > region.Length + 1
        && userPoolId.StartsWith(region, StringComparison.Ordinal)
        && userPoolId[region.Length] == '_'
        && userPoolId.AsSpan(region.Length + 1).ContainsAnyExcept(AlphaNumeric) is false
        && region.AsSpan().ContainsAnyExcept(RegionChars) is false;

    private static readonly System.Buffers.SearchValues<char> AlphaNumeric =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    private static readonly System.Buffers.SearchValues<char> RegionChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <inheritdoc/>
    public override string ToString() => UserPoolId;
}
