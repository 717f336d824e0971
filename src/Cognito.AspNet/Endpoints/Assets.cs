using System.Collections.Concurrent;

namespace Cognito.AspNet;

/// <summary>The adapter's pages and scripts, embedded in the assembly (<c>Assets/</c>), read once.</summary>
internal static class Assets
{
    private static readonly ConcurrentDictionary<string, string> Loaded = new(StringComparer.Ordinal);

    internal static string Text(string name) => Loaded.GetOrAdd(name, static n =>
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream(n)
            ?? throw new InvalidOperationException($"the embedded asset {n} is missing from Cognito.AspNet");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>A page with its <c>{{name}}</c> holes filled with values the caller has already encoded for their place.</summary>
    internal static string Fill(string name, params (string Hole, string Value)[] values)
    {
        var text = Text(name);
        foreach (var (hole, value) in values)
        {
            text = text.Replace("{{" + hole + "}}", value, StringComparison.Ordinal);
        }

        return text;
    }
}
