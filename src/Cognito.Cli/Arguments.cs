namespace Cognito.Cli;

/// <summary><c>--name value</c> and <c>--flag</c> arguments, each name at most once unless it is repeatable.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    internal static Arguments? Parse(string[] args, IReadOnlySet<string> options, IReadOnlySet<string> flags, out string? error) =>
        Parse(args, options, flags, new HashSet<string>(), out error);

    /// <summary>As <see cref="Parse(string[], IReadOnlySet{string}, IReadOnlySet{string}, out string?)"/>; the options in <paramref name="repeatable"/> may be given several times.</summary>
    internal static Arguments? Parse(string[] args, IReadOnlySet<string> options, IReadOnlySet<string> flags, IReadOnlySet<string> repeatable, out string? error)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : null;
            string? inlineValue = null;
            if (name is not null && name.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }

            if (name is null || !(options.Contains(name) || flags.Contains(name)))
            {
                error = $"unknown argument '{arg}'";
                return null;
            }

            if (parsed._values.ContainsKey(name) && !repeatable.Contains(name))
            {
                error = $"--{name} given twice";
                return null;
            }

            if (flags.Contains(name))
            {
                parsed._values[name] = null;
                continue;
            }

            if (inlineValue is null)
            {
                if (i + 1 >= args.Length)
                {
                    error = $"--{name} needs a value";
                    return null;
                }

                inlineValue = args[++i];
            }

            parsed._values.TryAdd(name, inlineValue);
            if (!parsed._repeated.TryGetValue(name, out var all))
            {
                parsed._repeated[name] = all = [];
            }

            all.Add(inlineValue);
        }

        error = null;
        return parsed;
    }

    internal bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The first value of an option, or null.</summary>
    internal string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>Every value of an option, in the order given.</summary>
    internal IReadOnlyList<string> All(string name) => _repeated.TryGetValue(name, out var values) ? values : [];
}
