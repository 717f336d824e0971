namespace Cognito.AspNet;

/// <summary>
/// The names under which Cognito schemes were added: only those options are completed, checked and
/// given a verifier (an unnamed or foreign <see cref="CognitoCookiesOptions"/> is left alone).
/// </summary>
internal sealed class CognitoSchemes
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    internal void Add(string name)
    {
        lock (_names)
        {
            _names.Add(name);
        }
    }

    internal bool Contains(string? name)
    {
        lock (_names)
        {
            return name is not null && _names.Contains(name);
        }
    }
}
