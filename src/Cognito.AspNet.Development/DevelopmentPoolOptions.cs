namespace Cognito.AspNet.Development;

/// <summary>Options of the development user pool (<see cref="DevelopmentPoolExtensions.AddCognitoDevelopmentPool"/>).</summary>
public sealed class DevelopmentPoolOptions
{
    /// <summary>
    /// Let the development pool run outside the Development environment (tests on a CI host). It signs in
    /// anyone: never in production.
    /// </summary>
    public bool AllowOutsideDevelopment { get; set; }
}
