using System.Reflection;
using Cognito.AspNet;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// Issue 25, item 3: the <c>Cognito</c> section is bound without reflection (Native AOT). The reflection
/// binder the adapter used before is the oracle: every public setting it can bind, the hand-written
/// binder binds to the same value, so a setting added later and forgotten in the binder fails here.
/// </summary>
public sealed class SettingsBinderTests
{
    private static readonly PropertyInfo[] Settings = typeof(CognitoCookiesOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod?.IsPublic == true && SampleValue(p) is not null)
        .ToArray();

    /// <summary>A configuration value for a property of this type, unlike every default, or null for a type configuration cannot carry.</summary>
    private static string? SampleValue(PropertyInfo property) => (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) switch
    {
        var t when t == typeof(string) => "/configured",
        var t when t == typeof(bool) => property.GetValue(new CognitoCookiesOptions()) is true ? "false" : "True",
        var t when t == typeof(int) => "7",
        var t when t == typeof(TimeSpan) => "00:03:17",
        var t when t == typeof(Uri) => "https://keys.example/jwks.json",
        var t when t == typeof(PathString) => "/configured",
        var t when t.IsEnum => Enum.GetNames(t).First(name => !Equals(Enum.Parse(t, name), property.GetValue(new CognitoCookiesOptions()))),
        _ => null,
    };

    [Fact]
    public void Every_public_setting_binds_as_the_reflection_binder_binds_it()
    {
        Assert.True(Settings.Length >= 30, $"only {Settings.Length} settings found");
        foreach (var property in Settings)
        {
            var section = Section(new() { [$"Cognito:{property.Name}"] = SampleValue(property) });
            var expected = new CognitoCookiesOptions();
            section.Bind(expected);
            var actual = new CognitoCookiesOptions();
            SettingsBinder.Bind(section, actual);
            Assert.True(!Equals(property.GetValue(new CognitoCookiesOptions()), property.GetValue(expected)), $"{property.Name}: the sample value is its default");
            Assert.True(Equals(property.GetValue(expected), property.GetValue(actual)), $"{property.Name}: {property.GetValue(actual)} instead of {property.GetValue(expected)}");
        }
    }

    [Fact]
    public void Booleans_and_enums_bind_in_any_case_and_an_empty_value_leaves_the_default()
    {
        var options = new CognitoCookiesOptions();
        SettingsBinder.Bind(Section(new() { ["Cognito:FollowKeyRotation"] = "FALSE", ["Cognito:CookieSameSite"] = "strict", ["Cognito:ClockSkew"] = "" }), options);
        Assert.False(options.FollowKeyRotation);
        Assert.Equal(SameSiteMode.Strict, options.CookieSameSite);
        Assert.Equal(CognitoOptions.DefaultClockSkew, options.ClockSkew);
    }

    [Fact]
    public void A_list_in_configuration_replaces_the_default_list()
    {
        var options = new CognitoCookiesOptions();
        SettingsBinder.Bind(Section(new() { ["Cognito:Scopes:0"] = "openid", ["Cognito:Scopes:1"] = "orders/read", ["Cognito:ApiPaths:0"] = "/v2", ["Cognito:AdditionalClientIds:0"] = "other" }), options);
        Assert.Equal(["openid", "orders/read"], options.Scopes);
        Assert.Equal([new PathString("/v2")], options.ApiPaths);
        Assert.Equal(["other"], options.AdditionalClientIds);

        var untouched = new CognitoCookiesOptions();
        SettingsBinder.Bind(Section([]), untouched);
        Assert.Equal(["openid", "email", "profile"], untouched.Scopes);
    }

    [Theory]
    [InlineData("ClockSkew", "five minutes", "TimeSpan")]
    [InlineData("BackchannelCallsPerSecond", "99999999999", "Int32")]
    [InlineData("CookieSecure", "Sometimes", "CookieSecurePolicy")]
    [InlineData("RequireHttpsMetadata", "yes", "Boolean")]
    public void A_value_that_does_not_parse_stops_the_start_up_naming_its_key(string key, string value, string type)
    {
        var e = Assert.Throws<InvalidOperationException>(() => SettingsBinder.Bind(Section(new() { [$"Cognito:{key}"] = value }), new CognitoCookiesOptions()));
        Assert.Equal($"The configuration value at 'Cognito:{key}' is not a {type}: fix it in the app's configuration (appsettings.json, environment variable Cognito__{key}).", e.Message);
        Assert.DoesNotContain(value, e.Message, StringComparison.Ordinal);
    }

    private static IConfigurationSection Section(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Cognito");
}
